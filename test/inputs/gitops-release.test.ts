// Releases get their namespace (issue 8 item 4): rendered objects without one land in the
// release's namespace (HelmRelease targetNamespace, Argo CD destination.namespace, --namespace), two
// releases of one chart stay two sets of findings, and each finding names what rendered it.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";
import { formatStylish } from "../../src/report/stylish.js";

// Scanned from a copy outside this checkout: the fixture stands for a repository of its own, so
// the kubeward clone's own remotes (its origin) must not decide which repoURL counts as local.
const ROOT = mkdtempSync(join(tmpdir(), "kubeward-releases-"));
cpSync(join(import.meta.dirname, "fixtures", "releases"), ROOT, { recursive: true });
afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
});

describe("release namespaces", () => {
  const result = scan({ paths: ["clusters"], cwd: ROOT, configFile: false });
  const priv = result.findings.filter((f) => f.ruleId === "privileged-container");

  it("keeps two releases of one chart apart, each in its namespace, naming the object that rendered it", () => {
    expect(priv.map((f) => [f.resource?.namespace, f.release]).sort()).toEqual([
      ["production", "HelmRelease flux-system/web-production"],
      ["qa", "Application argocd/web-qa"],
      ["staging", "HelmRelease flux-system/web-staging"],
    ]);
    expect(formatStylish(result, {})).toContain("from HelmRelease flux-system/web-staging");
  });

  it("applies --namespace to a chart scanned directly", () => {
    const f = scan({ paths: ["charts/web"], cwd: ROOT, configFile: false, helm: { namespace: "team" } }).findings;
    const p = f.filter((x) => x.ruleId === "privileged-container");
    expect(p).toHaveLength(1);
    expect(p[0]?.resource?.namespace).toBe("team");
    expect(p[0]?.release).toBe("release release-name");
  });
});
