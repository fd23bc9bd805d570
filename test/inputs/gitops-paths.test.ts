// GitOps source paths stay inside the repository (issue 8 item 10): a Flux Kustomization without
// `path` is the repository root, not the working directory; an Argo CD Application of another
// repository, with `path: /`, or a path out of the repository (`..`, a symlink) is not scanned.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanResult } from "../../src/api.js";

const write = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n`;
const argo = (name: string, repoURL: string, path: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    namespace: apps\n  source:\n    repoURL: ${repoURL}\n    path: ${path}\n---\n`;

describe.skipIf(process.platform === "win32")("GitOps paths", () => {
  let work = "";
  let result: ScanResult;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "kubeward-gitops-"));
    // The working directory holds more than the repository: none of it may be scanned.
    write(join(work, "elsewhere", "pod.yaml"), pod("cwd-pod"));
    write(join(work, "outside", "pod.yaml"), pod("outside-pod"));
    const repo = join(work, "repo");
    write(join(repo, ".git", "config"), '[remote "origin"]\n\turl = git@github.com:acme/repo.git\n');
    write(join(repo, "apps", "pod.yaml"), pod("repo-pod"));
    symlinkSync(join(work, "outside"), join(repo, "linked"));
    write(
      join(repo, "clusters", "flux.yaml"),
      [
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata:\n  name: self\n  namespace: flux-system",
        "spec:\n  url: https://github.com/acme/repo",
        "---",
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata:\n  name: all\n  namespace: flux-system",
        "spec:\n  sourceRef:\n    kind: GitRepository\n    name: self",
        "",
      ].join("\n"),
    );
    write(
      join(repo, "clusters", "argo.yaml"),
      argo("other-repo-root", "https://github.com/someone/else.git", "/") +
        argo("escape", "https://github.com/acme/repo.git", "../outside") +
        argo("symlink", "https://github.com/acme/repo.git", "linked"),
    );
    result = scan({ paths: ["repo/clusters"], cwd: work, configFile: false });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const names = () => result.findings.filter((f) => f.ruleId === "privileged-container").map((f) => f.resource?.name);

  it("resolves a Flux Kustomization without path at the repository root, not the working directory", () => {
    expect(names()).toContain("repo-pod");
    expect(names()).not.toContain("cwd-pod");
  });

  it("never leaves the repository: another repository's `/`, `..` and a symlink out are not scanned", () => {
    expect(names()).not.toContain("outside-pod");
    const notices = result.findings.filter((f) => f.ruleId === "not-scanned").map((f) => f.message);
    for (const name of ["other-repo-root", "escape", "symlink"])
      expect(notices.some((m) => m.includes(name)), name).toBe(true);
    expect(result.findings.every((f) => f.file?.startsWith("..") === false)).toBe(true);
  });
});
