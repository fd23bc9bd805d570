// GitOps objects in the tree: local sources are rendered with the object's values, namespace and
// release name; remote ones are reported, never fetched.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";

// Scanned from a copy outside this checkout: the fixture stands for a repository of its own, so
// the kubeward clone's own remotes (its origin) must not decide which repoURL counts as local.
const ROOT = mkdtempSync(join(tmpdir(), "kubeward-gitops-"));
cpSync(join(import.meta.dirname, "fixtures", "gitops"), ROOT, { recursive: true });
afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
});
const lineOf = (file: string, needle: string) =>
  readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .findIndex((l) => l.includes(needle)) + 1;

describe("GitOps objects", () => {
  // Only clusters/ is scanned: charts/ and apps/ are reached through the objects.
  const findings = scan({ paths: ["clusters"], cwd: ROOT, configFile: false }).findings;
  const byRule = (id: string) => findings.filter((f) => f.ruleId === id);

  it("renders a Flux HelmRelease's local chart with its values, valuesFrom, target namespace and release name", () => {
    const priv = byRule("privileged-container").find((f) => f.resource?.namespace === "prod");
    expect(priv?.resource?.name).toBe("prod-app-app");
    expect(priv?.file).toBe("charts/app/templates/deployment.yaml");
    expect(priv?.values).toEqual({
      path: "privileged",
      file: "clusters/prod/releases.yaml",
      line: lineOf("clusters/prod/releases.yaml", "  values:"),
    });
    const net = byRule("host-network").find((f) => f.resource?.namespace === "prod");
    expect(net?.values).toEqual({
      path: "hostNetwork",
      file: "clusters/prod/values-cm.yaml",
      line: lineOf("clusters/prod/values-cm.yaml", "values.yaml:"),
    });
  });

  it("renders an Argo CD Application with a local helm path", () => {
    const priv = byRule("privileged-container").find((f) => f.resource?.namespace === "team");
    expect(priv?.resource?.name).toBe("argo-app");
    expect(priv?.values?.file).toBe("clusters/prod/argo.yaml");
  });

  it("builds the path of a Flux Kustomization", () => {
    const f = byRule("host-pid");
    expect(f.map((x) => x.file)).toEqual(["apps/kust/pod.yaml"]);
    expect(f[0]?.line).toBe(lineOf("apps/kust/pod.yaml", "hostPID"));
  });

  it("reports remote sources as not scanned (info), with their URL", () => {
    const remote = byRule("not-scanned").filter((f) => f.messageId === "remote");
    expect(remote.map((f) => f.severity)).toEqual(["info", "info"]);
    expect(remote.map((f) => f.message).sort()).toEqual([
      "Application remote-chart: not scanned: remote source https://charts.example.com (chart nginx)",
      "HelmRelease redis: not scanned: remote source https://charts.bitnami.com/bitnami (chart redis)",
    ]);
  });

  it("reports a HelmRelease without a chart at the object", () => {
    const f = byRule("render-error");
    expect(f).toHaveLength(1);
    expect(f[0]?.file).toBe("clusters/prod/releases.yaml");
    expect(f[0]?.line).toBe(lineOf("clusters/prod/releases.yaml", "name: no-chart") - 3);
    expect(f[0]?.message).toContain("no chart");
  });
});
