// When a reference to an object missing from the scan is reported: the per-namespace decision of
// src/rules/lib/completeness.ts and its overrides (engine option, config key, CLI flags).
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, parseConfig } from "../../../src/core/config.js";
import { runRules } from "../../../src/core/engine.js";
import { parseYaml } from "../../../src/inputs/yaml.js";
import { referenceResolver } from "../../../src/rules/lib/completeness.js";
import { ruleById } from "../../../src/rules/index.js";
import { runCli, tempTree } from "../../e2e/helpers.js";

const pod = (ns: string, sa: string, labels = "") => `
apiVersion: v1
kind: Pod
metadata: { name: p-${sa}, namespace: ${ns}${labels} }
spec: { serviceAccountName: ${sa}, containers: [{ name: c, image: registry.example.com/c:1.0.0 }] }
`;

function resolve(text: string, assume?: boolean) {
  const resources = parseYaml(text, "x.yaml").resources;
  const r = referenceResolver(resources, assume);
  const first = resources[0];
  if (first === undefined) throw new Error("no resource");
  return (kind: string, name: string) => r(first, kind, name);
}

describe("referenceResolver", () => {
  it("finds nothing complete in a lone object", () => {
    expect(resolve(pod("shop", "api"))("ServiceAccount", "api")).toMatchObject({
      exists: false,
      complete: false,
    });
  });
  it("counts the namespace's own Namespace object as complete", () => {
    const text = pod("shop", "api") + "---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n";
    expect(resolve(text)("ServiceAccount", "api").complete).toBe(true);
    // Another namespace's object says nothing about this one.
    const other = pod("shop", "api") + "---\napiVersion: v1\nkind: Namespace\nmetadata: { name: billing }\n";
    expect(resolve(other)("ServiceAccount", "api").complete).toBe(false);
  });
  it("counts other objects of the kind in plain manifests, but not implicit ones", () => {
    const sa = (name: string) =>
      `---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: shop }\n`;
    expect(resolve(pod("shop", "api") + sa("web"))("ServiceAccount", "api").complete).toBe(true);
    expect(resolve(pod("shop", "api") + sa("default"))("ServiceAccount", "api").complete).toBe(false);
  });
  it("treats a Helm release's own names as complete, other names not", () => {
    const helm = pod("shop", "api", ", labels: { helm.sh/chart: x-1.0.0, app.kubernetes.io/instance: shop }");
    expect(resolve(helm)("ServiceAccount", "shop-api").complete).toBe(true);
    expect(resolve(helm)("ServiceAccount", "shop")).toMatchObject({ complete: true });
    expect(resolve(helm)("ServiceAccount", "shopping").complete).toBe(false);
    expect(resolve(helm)("ServiceAccount", "external").complete).toBe(false);
  });
  it("is never complete for a kind a Role of the scan may create at run time", () => {
    const role = `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: gen }\nrules: [{ apiGroups: [""], resources: ["*"], verbs: [create] }]\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n`;
    expect(resolve(pod("shop", "api") + role)("Secret", "token").complete).toBe(false);
  });
  it("obeys an explicit override either way", () => {
    expect(resolve(pod("shop", "api"), true)("ServiceAccount", "api").complete).toBe(true);
    const text = pod("shop", "api") + "---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n";
    expect(resolve(text, false)("ServiceAccount", "api").complete).toBe(false);
  });
});

describe("assumeComplete", () => {
  const rule = ruleById("service-account-missing");
  if (rule === undefined) throw new Error("service-account-missing is not registered");
  const run = (assumeComplete: boolean | undefined, config = EMPTY_CONFIG) =>
    runRules(parseYaml(pod("shop", "api"), "x.yaml").resources, {
      rules: [rule],
      config,
      ...(assumeComplete !== undefined ? { assumeComplete } : {}),
    }).findings.map((f) => f.ruleId);

  it("reaches rules from the engine option and the config key, the option winning", () => {
    expect(run(undefined)).toEqual([]);
    expect(run(true)).toEqual(["service-account-missing"]);
    const { config, errors } = parseConfig("assumeComplete: true\n", new Set());
    expect(errors).toEqual([]);
    expect(run(undefined, config)).toEqual(["service-account-missing"]);
    expect(run(false, config)).toEqual([]);
  });
  it("rejects a config value that is not a boolean, naming its line", () => {
    const { errors } = parseConfig("failOn: low\nassumeComplete: yes please\n", new Set());
    expect(errors).toMatchObject([{ line: 2 }]);
  });
  it("is set by --assume-complete and --no-assume-complete", async () => {
    const cwd = tempTree({
      "app.yaml": pod("shop", "api"),
      ".kubeward.yaml": "assumeComplete: true\n",
    });
    const args = ["scan", "app.yaml", "--format", "json"];
    const ids = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ids((await runCli(args, { cwd })).stdout)).toContain("service-account-missing");
    expect(ids((await runCli([...args, "--no-assume-complete"], { cwd })).stdout)).not.toContain(
      "service-account-missing",
    );
    expect(ids((await runCli([...args, "--no-config"], { cwd })).stdout)).not.toContain(
      "service-account-missing",
    );
    expect(ids((await runCli([...args, "--no-config", "--assume-complete"], { cwd })).stdout)).toContain(
      "service-account-missing",
    );
    const both = await runCli([...args, "--assume-complete", "--no-assume-complete"], { cwd });
    expect(both.code).toBe(2);
  });
});
