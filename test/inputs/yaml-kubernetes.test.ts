// The parser reads what kubectl reads (go-yaml v2 through sigs.k8s.io/yaml), and survives what
// would crash it: issue 10 ("the parser is stricter than Kubernetes", merge keys) and issue 9
// (deep nesting, quadratic duplicate-key check).
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/inputs/yaml.js";
import { scanText } from "../helpers/scan.js";
import { positionOf } from "../e2e/helpers.js";

const objectOf = (text: string, i = 0) => parseYaml(text, "t.yaml").resources[i]?.object;

describe("duplicate keys (kubectl keeps the last value)", () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  name: second\ndata:\n  a: '1'\n";

  it("keeps the object, with the last value, and reports duplicate-key at the repeated key", () => {
    const r = parseYaml(text, "d.yaml");
    expect(r.resources.map((x) => x.ref.name)).toEqual(["second"]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      ruleId: "duplicate-key",
      messageId: "repeated",
      file: "d.yaml",
      ...positionOf(text, "name: second"),
    });
    expect(r.findings[0]?.message).toContain("first at line 4");
  });

  it("locates the key in effect (the last one)", () => {
    const r = parseYaml(text, "d.yaml");
    expect(r.resources[0]?.source.locate(["metadata", "name"]).loc).toMatchObject(
      positionOf(text, "name: second"),
    );
  });

  it("finds repeats in every mapping, nested ones too, once per extra occurrence", () => {
    const t =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x\n      image: y\n      image: z\n";
    const r = parseYaml(t, "p.yaml");
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["duplicate-key", 8],
      ["duplicate-key", 9],
    ]);
    expect(objectOf(t)).toMatchObject({ spec: { containers: [{ image: "z" }] } });
  });

  it("a privileged container hidden by a repeated key is still found", () => {
    const t =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext: {privileged: false}\n      securityContext: {privileged: true}\n";
    const ids = scanText(t).map((f) => f.ruleId);
    expect(ids).toContain("duplicate-key");
    expect(ids).toContain("privileged-container");
    expect(ids).not.toContain("parse-error");
  });

  it("treats `__proto__` as an ordinary key", () => {
    const o = objectOf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  __proto__: x\n");
    const data = (o as { data: Record<string, unknown> }).data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(["__proto__"]);
  });
});

describe("merge keys (<<), resolved as go-yaml v2 does", () => {
  it("applies the merged mapping and finds a privileged container behind it", () => {
    const t = `apiVersion: v1
kind: Pod
metadata: {name: p}
x-base: &base
  privileged: true
spec:
  containers:
    - name: a
      image: x:1
      securityContext:
        <<: *base
`;
    expect(objectOf(t)).toMatchObject({
      spec: { containers: [{ securityContext: { privileged: true } }] },
    });
    const findings = scanText(t);
    expect(findings.map((f) => f.ruleId)).toContain("privileged-container");
    expect(findings.map((f) => f.ruleId)).not.toContain("invalid-object");
    // The finding points where the merged value is written: the anchor's mapping.
    const f = findings.find((x) => x.ruleId === "privileged-container");
    expect(f).toMatchObject(positionOf(t, "privileged: true"));
  });

  it("sets keys in order: a key before << is overridden by it, a key after it wins", () => {
    const t = "a: &a {x: 1, y: 1}\nm:\n  x: 0\n  <<: *a\n  y: 2\n";
    const r = parseYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  ${t.replace(/\n/g, "\n  ")}`, "m.yaml");
    expect(r.findings).toEqual([]);
    expect((r.resources[0]?.object as { data: { m: unknown } }).data.m).toEqual({ x: 1, y: 2 });
  });

  it("in a list of merged mappings, the earlier mapping wins", () => {
    const o = objectOf(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\nx: &a {k: a}\ny: &b {k: b, z: b}\ndata:\n  <<: [*a, *b]\n",
    );
    expect((o as { data: unknown }).data).toEqual({ k: "a", z: "b" });
  });

  it("a quoted '<<' is an ordinary key", () => {
    const o = objectOf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  '<<': v\n");
    expect((o as { data: unknown }).data).toEqual({ "<<": "v" });
  });

  it("merging a scalar is the error kubectl gives", () => {
    const r = parseYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  <<: 3\n", "m.yaml");
    expect(r.resources).toEqual([]);
    expect(r.findings[0]).toMatchObject({ ruleId: "parse-error", line: 5 });
    expect(r.findings[0]?.message).toContain("map merge requires map");
  });
});

describe("syntax kubectl accepts", () => {
  it("a comment right after a quoted scalar or a flow collection", () => {
    const t = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'm'}#c\ndata:\n  a: 'x'#comment\n  b: \"y\"#c\n";
    const r = parseYaml(t, "c.yaml");
    expect(r.findings).toEqual([]);
    expect(r.resources[0]?.object).toMatchObject({ metadata: { name: "m" }, data: { a: "x", b: "y" } });
  });
});

describe("nesting limits (issue 9 item 3)", () => {
  const deepBlock = (n: number) =>
    Array.from({ length: n }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n";
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: after}\nspec: {containers: [{name: c, image: 'a:1'}]}\n";

  it.each([
    ["block mappings (beyond what the parser itself survives)", deepBlock(2_500)],
    ["flow sequences", "[".repeat(10_000) + "]".repeat(10_000) + "\n"],
    ["compact block sequences", "- ".repeat(10_000) + "x\n"],
    ["moderately deep block mappings", deepBlock(600)],
  ])("%s: one located parse-error, and the next document is still read", (_name, deep) => {
    const r = parseYaml(`${deep}---\n${pod}`, "deep.yaml");
    expect(r.resources.map((x) => x.ref.name)).toEqual(["after"]);
    const errors = r.findings.filter((f) => f.ruleId === "parse-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ messageId: "tooDeep", file: "deep.yaml" });
    expect(errors[0]?.message).toContain("deeper than 250 levels");
    expect(errors[0]?.line).toBeGreaterThanOrEqual(1);
    expect(errors[0]?.remediation).not.toMatch(/syntax/);
  }, 60_000);

  it("accepts nesting up to the limit", () => {
    const r = parseYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: ${"[".repeat(240)}${"]".repeat(240)}\n`, "ok.yaml");
    expect(r.findings).toEqual([]);
    expect(r.resources).toHaveLength(1);
  });
});

describe("large mappings (issue 9 item 5)", () => {
  it("reads a 40,000-key ConfigMap and reports its repeated keys", () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: v${i}`);
    keys.push("  k7: again");
    const r = parseYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${keys.join("\n")}\n`, "big.yaml");
    expect(r.resources).toHaveLength(1);
    expect(Object.keys((r.resources[0]?.object as { data: object }).data)).toHaveLength(40_000);
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([["duplicate-key", 40_005]]);
  }, 60_000);
});

describe("YAML special numbers in messages (item 10)", () => {
  it("`.inf` is named as YAML writes it, not as JSON's null", () => {
    const f = scanText(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: .inf\n  template: {spec: {containers: [{name: c, image: 'a:1'}]}}\n",
    ).find((x) => x.ruleId === "invalid-object");
    expect(f?.message).toBe("`spec.replicas` must be an integer, not the number .inf.");
  });
});
