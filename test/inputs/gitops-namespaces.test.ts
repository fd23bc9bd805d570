// Issue 8 item 4 leftovers: a Flux Kustomization's targetNamespace lands on its objects (as
// kustomize's namespace field does), and a NetworkPolicy in one release's namespace does not
// silence another release's missing-policy finding.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";

// Scanned from a copy outside this checkout (it stands for a repository of its own: see gitops-release.test.ts).
const ROOT = mkdtempSync(join(tmpdir(), "kubeward-release-netpol-"));
cpSync(join(import.meta.dirname, "fixtures", "release-netpol"), ROOT, { recursive: true });
afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
});

describe("GitOps namespaces", () => {
  const findings = scan({ paths: ["."], cwd: ROOT, configFile: false }).findings;

  it("does not let a NetworkPolicy in production silence the staging release", () => {
    const f = findings.filter((x) => x.ruleId === "workload-without-network-policy" && x.resource?.kind === "Deployment");
    expect(f.map((x) => [x.resource?.namespace, x.release])).toEqual([
      ["staging", "HelmRelease flux-system/web-staging"],
    ]);
  });

  it("puts a Flux Kustomization's objects into its targetNamespace and names it (kustomization and plain directory)", () => {
    const pid = findings.filter((x) => x.ruleId === "host-pid");
    expect(pid.map((x) => [x.resource?.namespace, x.release, x.file])).toEqual([
      ["team-a", "Kustomization flux-system/api", "apps/web/pod.yaml"],
    ]);
    const ipc = findings.filter((x) => x.ruleId === "host-ipc");
    expect(ipc.map((x) => [x.resource?.namespace, x.release, x.file])).toEqual([
      ["team-b", "Kustomization flux-system/plain", "apps/plain/pod.yaml"],
    ]);
  });
});
