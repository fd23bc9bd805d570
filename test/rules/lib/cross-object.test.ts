// Namespace grouping and the pods of workloads, as the cross-object rules see them.
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../../src/inputs/yaml.js";
import { groupByNamespace, namespaceScope } from "../../../src/rules/lib/namespaces.js";
import { policySelects } from "../../../src/rules/lib/network-policies.js";
import { customResourceNames, workloadPods } from "../../../src/rules/lib/workload-pods.js";

const text = `
apiVersion: v1
kind: Pod
metadata: { name: a, labels: { app: a } }
spec: { hostNetwork: true, containers: [{ name: c, image: x }] }
---
apiVersion: v1
kind: PodTemplate
metadata: { name: t, namespace: ns }
template: { metadata: { labels: { app: t } }, spec: { containers: [{ name: c, image: x }] } }
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: r, namespace: ns }
spec: { template: { metadata: { labels: { app: r, n: 1 } }, spec: { containers: [{ name: c, image: x }] } } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cm, namespace: ns }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: np }
spec: {}
`;
const resources = parseYaml(text, "x.yaml").resources;
const [pod, template, rollout, configMap, policy] = resources;

describe("groupByNamespace", () => {
  it('keeps namespace-less objects together under ""', () => {
    const groups = groupByNamespace(resources);
    expect([...groups.keys()]).toEqual(["", "ns"]);
    expect(groups.get("")?.map((r) => r.ref.name)).toEqual(["a", "np"]);
  });
});

describe("namespaceScope", () => {
  it("pairs a namespace with the namespace-less objects, and those with everything", () => {
    const scope = namespaceScope(resources);
    expect(scope("ns").map((r) => r.ref.name)).toEqual(["t", "r", "cm", "a", "np"]);
    expect(scope("other").map((r) => r.ref.name)).toEqual(["a", "np"]);
    expect(scope("").map((r) => r.ref.name)).toEqual(["a", "t", "r", "cm", "np"]);
  });
});

describe("workloadPods", () => {
  it("reads built-in and custom pod templates, but not PodTemplates or other kinds", () => {
    expect(pod && workloadPods(pod)).toMatchObject({ labels: { app: "a" }, hostNetwork: true });
    expect(template && workloadPods(template)).toBeUndefined();
    expect(configMap && workloadPods(configMap)).toBeUndefined();
    // Non-string label values (n: 1) are dropped: the API server would reject them.
    expect(rollout && workloadPods(rollout)).toMatchObject({
      labels: { app: "r" },
      podMetaPath: ["spec", "template", "metadata"],
      hostNetwork: false,
    });
  });
});

describe("policySelects", () => {
  it("reads a missing podSelector as {} (every pod)", () => {
    expect(policy && policySelects(policy, { any: "thing" })).toBe(true);
  });
});

describe("customResourceNames", () => {
  it("names objects of non-built-in API groups only", () => {
    expect([...customResourceNames(resources)]).toEqual(["r"]);
  });
});
