// Releases get their namespace (issue 8 item 4): rendered objects without one land in the
// release's namespace (HelmRelease targetNamespace, Argo CD destination.namespace, --namespace), two
// releases of one chart stay two sets of findings, and each finding names what rendered it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";
import { formatStylish } from "../../src/report/stylish.js";

const ROOT = join(import.meta.dirname, "fixtures", "releases");

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
