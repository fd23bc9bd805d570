// The RBAC matching helpers against the authorizer's documented semantics (rbac/v1 helpers):
// "*" wildcards, "*/subresource", case-sensitive names, aggregated ClusterRoles.
import { describe, expect, it } from "vitest";
import type { PolicyRule } from "../../../src/core/k8s.js";
import { parseYaml } from "../../../src/inputs/yaml.js";
import { listOf, matchGrant, policyRulesOf, subjectsOf } from "../../../src/rules/lib/rbac.js";

const exec = { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] };
const rule = (r: Partial<PolicyRule>): PolicyRule => ({ apiGroups: [""], verbs: ["create"], ...r });

describe("matchGrant", () => {
  it("matches exact resources, */subresource and wildcard verbs and groups", () => {
    expect(matchGrant(rule({ resources: ["pods/exec"] }), exec)).toBeDefined();
    expect(matchGrant(rule({ resources: ["*/exec"] }), exec)).toBeDefined();
    expect(matchGrant(rule({ resources: ["pods/exec"], verbs: ["*"] }), exec)).toBeDefined();
    expect(matchGrant(rule({ resources: ["pods/exec"], apiGroups: ["*"] }), exec)).toBeDefined();
  });
  it("does not treat resource/* or other cases and groups as matches", () => {
    expect(matchGrant(rule({ resources: ["pods/*"] }), exec)).toBeUndefined();
    expect(matchGrant(rule({ resources: ["Pods/exec"] }), exec)).toBeUndefined();
    expect(matchGrant(rule({ resources: ["pods/exec"], apiGroups: ["apps"] }), exec)).toBeUndefined();
    expect(matchGrant(rule({ resources: ["pods/exec"], verbs: ["get"] }), exec)).toBeUndefined();
    expect(matchGrant(rule({ resources: ["pods"] }), exec)).toBeUndefined();
  });
  it('leaves a bare "*" resource out unless asked', () => {
    expect(matchGrant(rule({ resources: ["*"] }), exec)).toBeUndefined();
    expect(matchGrant(rule({ resources: ["*"] }), exec, true)?.resources).toEqual([{ index: 0, value: "*" }]);
  });
  it("reports the indexes of the matching verbs and resources", () => {
    const m = matchGrant(rule({ resources: ["pods", "pods/exec"], verbs: ["get", "create", "*"] }), exec);
    expect(m?.verbs.map((v) => v.index)).toEqual([1, 2]);
    expect(m?.resources.map((r) => r.index)).toEqual([1]);
  });
  it('matches "sub/*" in the wanted list against any of its subresources', () => {
    const g = { apiGroups: ["authentication.k8s.io"], resources: ["userextras/*"], verbs: ["impersonate"] };
    const r = rule({
      apiGroups: ["authentication.k8s.io"],
      resources: ["userextras/scopes"],
      verbs: ["impersonate"],
    });
    expect(matchGrant(r, g)).toBeDefined();
  });
  it("reads a missing apiGroups as the core group", () => {
    expect(matchGrant({ resources: ["pods/exec"], verbs: ["create"] }, exec)).toBeDefined();
  });
});

describe("policyRulesOf / subjectsOf", () => {
  const docs = parseYaml(
    [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRole",
      "metadata: { name: agg }",
      "aggregationRule: { clusterRoleSelectors: [] }",
      "rules: [{ apiGroups: [''], resources: [pods], verbs: [get] }]",
      "---",
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: Role",
      "metadata: { name: r, namespace: ns }",
      "rules: [{ apiGroups: [''], resources: [pods], verbs: [get] }]",
      "---",
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: RoleBinding",
      "metadata: { name: b, namespace: ns }",
      "subjects: [{ kind: ServiceAccount, name: default }, { kind: User, name: bob }]",
      "roleRef: { kind: Role, name: r }",
    ].join("\n"),
    "rbac.yaml",
  ).resources;
  it("gives an aggregated ClusterRole no rules of its own", () => {
    expect(docs.map((d) => policyRulesOf(d).length)).toEqual([0, 1, 0]);
  });
  it("lists binding subjects with their paths", () => {
    const b = docs[2];
    expect(b && subjectsOf(b).map((s) => [s.path.join("."), s.kind, s.name])).toEqual([
      ["subjects.0", "ServiceAccount", "default"],
      ["subjects.1", "User", "bob"],
    ]);
  });
});

describe("listOf", () => {
  it("joins distinct values in prose, and names a wildcard", () => {
    expect(listOf([{ value: "get" }])).toBe("get");
    expect(listOf([{ value: "get" }, { value: "list" }, { value: "get" }])).toBe("get and list");
    expect(listOf([{ value: "get" }, { value: "list" }, { value: "watch" }])).toBe("get, list and watch");
    expect(listOf([{ value: "get" }, { value: "*" }], "every verb")).toBe("every verb");
  });
});

describe("policyRulesOf with null items", () => {
  it("reads null list items as the empty string, as the API server decodes them", () => {
    const [role] = parseYaml(
      [
        "apiVersion: rbac.authorization.k8s.io/v1",
        "kind: Role",
        "metadata: { name: r, namespace: ns }",
        "rules: [{ apiGroups: [null], resources: [secrets, null], resourceNames: [null], verbs: [null, get] }]",
      ].join("\n"),
      "null.yaml",
    ).resources;
    const views = role ? policyRulesOf(role) : [];
    expect(views.map((v) => v.rule)).toEqual([
      { apiGroups: [""], resources: ["secrets", ""], resourceNames: [""], verbs: ["", "get"] },
    ]);
  });
});
