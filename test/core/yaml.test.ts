import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/inputs/yaml.js";

describe("parseYaml", () => {
  it("reads multi-document YAML, skips and counts non-Kubernetes documents and empty ones", () => {
    const r = parseYaml(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\nfoo: bar\n---\n- 1\n",
      "f.yaml",
    );
    expect(r.resources.map((x) => x.ref.name)).toEqual(["a"]);
    expect(r.skipped).toBe(2);
    expect(r.findings).toEqual([]);
  });

  it("expands kind: List and *List items, each located at its item", () => {
    const text = `apiVersion: v1
kind: ServiceList
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: one, namespace: ns }
  - apiVersion: v1
    kind: Service
    metadata: { name: two }
  - just: data
`;
    const r = parseYaml(text, "l.yaml");
    expect(r.resources.map((x) => `${x.ref.kind}/${x.ref.namespace ?? "-"}/${x.ref.name}`)).toEqual([
      "Service/ns/one",
      "Service/-/two",
    ]);
    expect(r.resources[1]?.source.locate(["metadata", "name"]).loc.line).toBe(9);
    expect(r.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(["invalid-object:10"]);
  });

  it("reads JSON", () => {
    const r = parseYaml(
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"}\n}\n',
      "p.json",
    );
    expect(r.resources[0]?.source.locate(["metadata", "name"]).loc).toMatchObject({ line: 4, column: 16 });
  });

  it("locates existing keys exactly and missing keys at their nearest ancestor", () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n";
    const res = parseYaml(text, "p.yaml").resources[0];
    expect(res?.source.locate(["spec", "containers", 0, "image"])).toMatchObject({
      loc: { line: 8, column: 7 },
      exact: true,
    });
    expect(res?.source.locate(["spec", "containers", 0, "securityContext", "privileged"])).toMatchObject({
      loc: { line: 7, column: 7 },
      exact: false,
    });
  });

  it.each([
    ["invalid YAML", "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n", 3],
    ["tab indentation", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 4],
  ])("reports %s as parse-error with its line", (_name, text, line) => {
    const r = parseYaml(text, "bad.yaml");
    expect(r.resources).toEqual([]);
    expect(r.findings[0]).toMatchObject({ ruleId: "parse-error", file: "bad.yaml", line });
  });

  it("keeps the good documents of a file whose other document is broken", () => {
    const r = parseYaml("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [\n", "m.yaml");
    expect(r.resources.map((x) => x.ref.name)).toEqual(["a"]);
    expect(r.findings.map((f) => f.ruleId)).toContain("parse-error");
  });

  it("refuses binary data and alias bombs without hanging", () => {
    expect(parseYaml("apiVersion: v1\0\0", "b.yaml").findings[0]?.messageId).toBe("binary");
    const lol = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lol.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const t0 = performance.now();
    const r = parseYaml(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${lol.join("\n  ")}\n`,
      "bomb.yaml",
    );
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.findings[0]).toMatchObject({ ruleId: "parse-error", messageId: "aliasBomb" });
  });
});
