// GitOps objects (Flux HelmRelease/Kustomization, Argo CD Application) found in the scanned tree:
// render what they point at when it is a local path. (Not implemented yet.)
import type { Loaded } from "./files.js";
import type { HelmOptions } from "./helm.js";

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function expandGitOps(_loaded: Loaded, _options: HelmOptions, _cwd: string): void {}
