// Kustomize directories as input: built by `kustomize build` or `kubectl kustomize`, with kustomize's
// own `originAnnotations` recording which base or overlay file defines each object. We wrap the
// user's directory in a temporary kustomization that turns them on (their files stay untouched),
// then point findings at the object in its origin file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { notScanned, renderError } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type { KObject, Path, Resource, SourceLoc } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { displayName, toPosix, type Loaded } from "./files.js";
import { DEFAULT_TOOL_TIMEOUT_MS, type HelmOptions } from "./helm.js";
import { KUSTOMIZATION_NAMES, KustomizeSandbox, type SandboxIssue } from "./kustomize-sandbox.js";
import { DEFAULT_MAX_FILE_SIZE } from "./files.js";
import { runJobs, sizeText } from "./run.js";
import { findKustomize, NO_KUSTOMIZE, NO_NETWORK_ENV } from "./tools.js";
import { generatorLocator, KustomizeOrigins } from "./kustomize-origins.js";
import { parseYaml } from "./yaml.js";
import { CLUSTER_SCOPED } from "../rules/security/default-namespace.js";

export { KUSTOMIZATION_NAMES };

export function isKustomizeDir(dir: string): boolean {
  return KUSTOMIZATION_NAMES.some((n) => existsSync(join(dir, n)));
}

const ORIGIN = "config.kubernetes.io/origin";

export interface KustomizeInput {
  dir: string;
  reportAt?: SourceLoc;
  /** The GitOps object that builds it (`Kustomization flux-system/apps`), named in findings. */
  origin?: string;
  /** Flux's `targetNamespace`: set on every namespaced object, as kustomize's `namespace:` does. */
  namespace?: string;
}

export function buildKustomizations(
  inputs: readonly KustomizeInput[],
  options: HelmOptions,
  cwd: string,
  loaded: Loaded,
): void {
  if (inputs.length === 0) return;
  const env = options.env ?? process.env;
  const tool = findKustomize(env);
  const locOf = (input: KustomizeInput): SourceLoc =>
    input.reportAt ?? {
      file: displayName(
        cwd,
        join(input.dir, KUSTOMIZATION_NAMES.find((n) => existsSync(join(input.dir, n))) ?? ""),
      ),
      line: 1,
      column: 1,
    };
  if (tool === undefined) {
    for (const i of inputs)
      loaded.findings.push(inputFinding(renderError, "kustomize", { detail: NO_KUSTOMIZE }, locOf(i)));
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), "kubeward-kustomize-"));
  const maxFileSize = options.maxOutputBytes ?? DEFAULT_MAX_FILE_SIZE;
  try {
    // Each input is built from its own sandbox copy (see kustomize-sandbox.ts); what the copy left
    // out is reported at the kustomization's line.
    const sandboxes = inputs.map((input, i) => {
      const dir = resolve(input.dir);
      const root = isInside(resolve(cwd), dir) ? resolve(cwd) : dir;
      const box = new KustomizeSandbox(root, join(tmp, String(i), "tree"), {
        maxFileSize,
        maxTotalBytes: 4 * maxFileSize,
      });
      const ok = box.addDir(dir);
      for (const issue of box.issues) loaded.findings.push(issueFinding(issue, cwd));
      if (!ok) return undefined;
      const w = join(tmp, String(i), "wrap");
      mkdirSync(w, { recursive: true });
      const rel = toPosix(relative(w, box.toSandbox(dir)));
      writeFileSync(
        join(w, "kustomization.yaml"),
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`,
      );
      return { box, wrapper: w };
    });
    const home = join(tmp, "home");
    mkdirSync(home);
    const built = sandboxes.flatMap((s, i) =>
      s === undefined ? [] : [{ s, input: inputs[i] as KustomizeInput }],
    );
    const results = runJobs(
      built.map(({ s }) => ({
        command: tool.command,
        // kustomize's default load restrictor (files only under each kustomization's root); no PATH
        // (so no git), an empty HOME, and a proxy nobody listens on: nothing is fetched.
        args: [...tool.prefix, s.wrapper],
        env: isolatedEnv(home),
        cwd: s.wrapper,
        timeoutMs: options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
        maxOutputBytes: maxFileSize,
      })),
    );
    results.forEach((r, i) => {
      const { s, input } = built[i] as (typeof built)[number];
      if (r.status !== 0) {
        const detail = r.tooLarge
          ? `the built output is over the ${sizeText(maxFileSize)} file-size limit (raise it with --max-file-size)`
          : r.timedOut
            ? "kustomize did not finish in time (raise it with --timeout)"
            : cleanError(r.stderr, s.wrapper, s.box, cwd);
        loaded.findings.push(
          inputFinding(renderError, "kustomize", { detail }, refLoc(locOf(input), detail, cwd)),
        );
        return;
      }
      addBuilt(r.stdout, s.wrapper, s.box, input, cwd, loaded);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The environment kustomize runs in: nothing of the user's, no way out to the network. */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    KUBECONFIG: join(home, "none"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "file",
    ...NO_NETWORK_ENV,
  };
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function issueFinding(issue: SandboxIssue, cwd: string) {
  const loc = { file: displayName(cwd, issue.file), line: issue.line, column: issue.column };
  const e = JSON.stringify(issue.entry);
  switch (issue.kind) {
    case "remote":
      return inputFinding(
        notScanned,
        "notice",
        { detail: `not scanned: remote kustomize resource ${e} (kubeward never fetches)` },
        loc,
      );
    case "symlink":
      return inputFinding(
        notScanned,
        "notice",
        { detail: `not followed: ${e} is a symlink that leaves the scanned tree` },
        loc,
      );
    case "outside":
      return inputFinding(
        renderError,
        "kustomize",
        { detail: `refused to load ${e}: it is outside the scanned tree` },
        loc,
      );
    case "limit":
      return inputFinding(
        renderError,
        "kustomize",
        { detail: `refused to load ${e}: it is over the file-size limit` },
        loc,
      );
  }
}

/** The line of the kustomization that names the entry kustomize could not read, when it says which. */
function refLoc(loc: SourceLoc, detail: string, cwd: string): SourceLoc {
  const refs = [...detail.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? "");
  const ref = refs.at(-1);
  if (ref === undefined || ref === "") return loc;
  try {
    const lines = readFileSync(resolve(cwd, loc.file), "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes(ref));
    return i === -1 ? loc : { ...loc, line: i + 1, column: (lines[i]?.indexOf(ref) ?? 0) + 1 };
  } catch {
    return loc;
  }
}

function cleanError(stderr: string, wrapper: string, box: KustomizeSandbox, cwd: string): string {
  // Drop the layer about our wrapper kustomization, and show paths relative to the scan root.
  let msg = stderr.replace(/^Error: /m, "").trim();
  const inner = /recursed accumulation of path '[^']*': ([\s\S]*)$/.exec(msg);
  if (inner?.[1] !== undefined) msg = inner[1];
  msg = msg.replace(/': must build at directory: [\s\S]*$/, "'");
  const rootPrefix = displayName(cwd, box.root) === "." ? "" : `${displayName(cwd, box.root)}/`;
  return msg
    .split(`${wrapper}/`)
    .join("")
    .split(`${box.into}/`)
    .join(rootPrefix)
    .split(`${resolve(cwd)}/`)
    .join("");
}

interface OriginFile {
  name: string;
  resources: Resource[];
}

/** What kustomize's origin annotation says: the defining file, or the kustomization and generator. */
function parseOrigin(raw: unknown): { path?: string; configuredIn?: string; generator?: string } {
  if (typeof raw !== "string") return {};
  const field = (key: string) => new RegExp(`(?:^|\\n)\\s*${key}:\\s*(.+)`).exec(raw)?.[1]?.trim();
  const out: { path?: string; configuredIn?: string; generator?: string } = {};
  const path = /(?:^|\n)path:\s*(.+)/.exec(raw)?.[1]?.trim();
  if (path !== undefined) out.path = path;
  const configuredIn = field("configuredIn");
  if (configuredIn !== undefined) out.configuredIn = configuredIn;
  const generator = /configuredBy:[\s\S]*?\bkind:\s*(\S+)/.exec(raw)?.[1];
  if (generator !== undefined) out.generator = generator;
  return out;
}

function addBuilt(
  stdout: string,
  wrapper: string,
  box: KustomizeSandbox,
  input: KustomizeInput,
  cwd: string,
  loaded: Loaded,
): void {
  const kustFile = kustomizationFile(input, cwd);
  const parsed = parseYaml(stdout, kustFile);
  const display = (sandboxed: string) => displayName(cwd, box.toReal(sandboxed));
  const origins = new KustomizeOrigins(box.toSandbox(resolve(input.dir)), box.into, {
    display,
    keep: (name, text) => {
      if (!loaded.texts.has(name)) loaded.texts.set(name, text);
    },
  });
  const files = new Map<string, OriginFile | undefined>();
  // The origin is in the sandbox copy: read the copy (the same bytes as the user's file).
  const originOf = (sandboxed: string): OriginFile | undefined => {
    if (!files.has(sandboxed)) {
      try {
        const text = readFileSync(sandboxed, "utf8");
        const name = display(sandboxed);
        loaded.texts.set(name, text);
        files.set(sandboxed, { name, resources: parseYaml(text, name).resources });
      } catch {
        files.set(sandboxed, undefined);
      }
    }
    return files.get(sandboxed);
  };
  const inside = (p: string) => isInside(box.into, p);
  const release = input.origin ?? `kustomization ${displayName(cwd, input.dir)}`;
  parsed.resources.forEach((r, n) => {
    const meta = isRecord(r.object["metadata"]) ? r.object["metadata"] : undefined;
    const ann = meta !== undefined && isRecord(meta["annotations"]) ? meta["annotations"] : undefined;
    const raw = ann?.[ORIGIN];
    if (ann !== undefined && typeof raw === "string") {
      Reflect.deleteProperty(ann, ORIGIN);
      if (Object.keys(ann).length === 0 && meta !== undefined) delete meta["annotations"];
    }
    const origin = parseOrigin(raw);
    // Flux's targetNamespace overrides the namespace of every namespaced object, as kustomize's
    // `namespace:` field does (Flux writes it there).
    const ref =
      input.namespace !== undefined && !CLUSTER_SCOPED.has(r.ref.kind)
        ? { ...r.ref, namespace: input.namespace }
        : r.ref;
    const base = { ...r, ref, docIndex: n, release };
    // A generated ConfigMap/Secret: at its generator entry in the kustomization that declares it.
    if (origin.configuredIn !== undefined && origin.generator !== undefined) {
      const file = resolve(wrapper, origin.configuredIn);
      const text = inside(file) ? readText(file) : undefined;
      const name = display(file);
      const locate =
        text === undefined ? undefined : generatorLocator(text, name, origin.generator, r.ref.name);
      if (locate !== undefined && text !== undefined) {
        loaded.texts.set(name, text);
        loaded.resources.push({ ...base, file: name, source: { locate } });
        return;
      }
    }
    const originFile = origin.path === undefined ? undefined : resolve(wrapper, origin.path);
    const file = originFile !== undefined && inside(originFile) ? originOf(originFile) : undefined;
    const match = file === undefined ? undefined : findOriginal(file.resources, r.object);
    if (file === undefined || match === undefined || originFile === undefined) {
      // Nothing to point at but the kustomization that was built (never the build output itself).
      const at: SourceLoc = input.reportAt ?? { file: kustFile, line: 1, column: 1 };
      if (!loaded.texts.has(at.file)) {
        const text = readText(resolve(cwd, at.file));
        if (text !== undefined) loaded.texts.set(at.file, text);
      }
      loaded.resources.push({
        ...base,
        file: at.file,
        source: { locate: () => ({ loc: at, exact: false }) },
      });
      return;
    }
    const names = { final: r.ref.name, original: match.ref.name };
    // Read the patches now: the sandbox copy is gone once the build is done.
    origins.load(originFile);
    const defined = { object: match.object, locate: (p: Path) => match.source.locate(p) };
    loaded.resources.push({
      ...base,
      file: file.name,
      docIndex: match.docIndex,
      // In the base/overlay file that defines it, or in the patch that wrote the field.
      source: { locate: (p: Path) => origins.locate(originFile, r.object, names, defined, p) },
    });
  });
  loaded.findings.push(...parsed.findings);
  loaded.skipped += parsed.skipped;
  loaded.files++;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function kustomizationFile(input: KustomizeInput, cwd: string): string {
  const name =
    KUSTOMIZATION_NAMES.find((n) => existsSync(join(input.dir, n))) ?? KUSTOMIZATION_NAMES[0] ?? "";
  return displayName(cwd, join(input.dir, name));
}

/** The object in the origin file: same kind, and the name that survives prefixes/suffixes. */
function findOriginal(candidates: readonly Resource[], obj: KObject): Resource | undefined {
  const kind = obj["kind"];
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name = typeof meta["name"] === "string" ? meta["name"] : "";
  const same = candidates.filter((c) => c.ref.kind === kind);
  return (
    same.find((c) => c.ref.name === name) ??
    same.find((c) => c.ref.name !== "" && name.includes(c.ref.name)) ??
    same[0]
  );
}
