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
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x\n      image: w\n      image: z\n";
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
    // (`z`, not `y`: a plain `y` key is the boolean true in go-yaml v2, the key "true" in Kubernetes)
    const t = "a: &a {x: 1, z: 1}\nm:\n  x: 0\n  <<: *a\n  z: 2\n";
    const r = parseYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  ${t.replace(/\n/g, "\n  ")}`, "m.yaml");
    expect(r.findings).toEqual([]);
    expect((r.resources[0]?.object as { data: { m: unknown } }).data.m).toEqual({ x: 1, z: 2 });
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
    // Read as kubectl reads it, and the leniency is reported where it is (issue 10).
    expect(r.findings.map((f) => `${f.ruleId} ${f.messageId} ${f.line}:${f.column}`)).toEqual([
      "lenient-yaml commentSpacing 3:22",
      "lenient-yaml commentSpacing 5:9",
      "lenient-yaml commentSpacing 6:9",
    ]);
    expect(r.resources[0]?.object).toMatchObject({ metadata: { name: "m" }, data: { a: "x", b: "y" } });
  });

  // Each expected object below is what `kubectl label --local -f FILE x=y -o json` (kubectl
  // v1.32, go-yaml v2 through sigs.k8s.io/yaml) printed for the same text, without the label.
  const at = (text: string) => {
    const r = parseYaml(text, "l.yaml");
    return {
      objects: r.resources.map((x) => x.object),
      findings: r.findings.map((f) => `${f.ruleId} ${f.messageId} ${f.line}:${f.column}`),
    };
  };

  it("quoted strings continued at (or left of) their key's indentation", () => {
    const t = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: ml",
      "  annotations:",
      '    a: "first line',
      '    second line"',
      "    b: 'one",
      "  two'",
      "data:",
      '  x: "multi',
      "line at parent",
      '  indent"',
      "",
    ].join("\n");
    expect(at(t)).toEqual({
      objects: [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "ml", annotations: { a: "first line second line", b: "one two" } },
          data: { x: "multi line at parent indent" },
        },
      ],
      findings: ["lenient-yaml quotedIndent 6:8", "lenient-yaml quotedIndent 8:8", "lenient-yaml quotedIndent 11:6"],
    });
  });

  it("flow sequences and mappings continued at their key's indentation, in a pod that is still checked", () => {
    const t = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata:",
      "  name: flow",
      "spec:",
      "  containers:",
      "    - name: c",
      "      image: nginx:1.2.3",
      "      securityContext: {privileged: true,",
      "      runAsUser: 0}",
      '      args: ["a",',
      '  "b"]',
      "      command: [",
      '        "x"',
      "      ]",
      "",
    ].join("\n");
    const r = at(t);
    expect(r.objects[0]).toMatchObject({
      spec: {
        containers: [{ securityContext: { privileged: true, runAsUser: 0 }, args: ["a", "b"], command: ["x"] }],
      },
    });
    // The closing bracket at the key's indentation is plain YAML: no finding for `command`.
    expect(r.findings).toEqual(["lenient-yaml flowIndent 9:24", "lenient-yaml flowIndent 11:13"]);
    const ids = scanText(t).map((f) => f.ruleId);
    expect(ids).toContain("privileged-container");
    expect(ids).not.toContain("parse-error");
  });

  it("keeps block scalars as written (a quote in a script opens nothing), and CRLF line ends", () => {
    const t =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  script: |\n    echo "unbalanced\n    it\'s fine\n  q: "x\n y"\n';
    expect(at(t)).toEqual({
      objects: [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "a" },
          data: { script: 'echo "unbalanced\nit\'s fine\n', q: "x y" },
        },
      ],
      findings: ["lenient-yaml quotedIndent 8:6"],
    });
    const crlf = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  a: "one\r\n  two"\r\n';
    expect(at(crlf)).toMatchObject({ objects: [{ data: { a: "one two" } }], findings: ["lenient-yaml quotedIndent 6:6"] });
  });

  it("what kubectl rejects stays a parse-error: a document marker inside a quoted string, an unclosed bracket", () => {
    const marker = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: r}\ndata:\n  a: "one\n---\n  two"\n';
    expect(at(marker).findings.some((f) => f.startsWith("parse-error"))).toBe(true);
    expect(at(marker).findings.some((f) => f.startsWith("lenient-yaml"))).toBe(false);
    const unclosed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  a: [1, 2\n  b: x\n";
    expect(at(unclosed)).toMatchObject({ objects: [], findings: [expect.stringMatching(/^parse-error syntax /)] });
  });

  it("a parse-error's remediation no longer claims kubectl shows the same problem for what it accepts", () => {
    const f = parseYaml("a: [\n", "x.yaml").findings[0];
    expect(f?.ruleId).toBe("parse-error");
    expect(f?.remediation).not.toContain("shows the same problem");
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

describe("YAML 1.1 booleans (kubectl sends a plain `yes` as true)", () => {
  const pod = (securityContext: string, env = "") =>
    [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p}",
      "spec:",
      "  containers:",
      "    - name: c",
      "      image: registry.example.com/c:1.0",
      `      securityContext: ${securityContext}`,
      ...(env === "" ? [] : ["      env:", `        - {name: DEBUG, value: ${env}}`]),
      "",
    ].join("\n");
  const privileged = (text: string) => (objectOf(text) as { spec: { containers: [{ securityContext: { privileged: unknown } }] } }).spec.containers[0].securityContext.privileged;

  it.each([
    ["yes", true],
    ["Yes", true],
    ["YES", true],
    ["y", true],
    ["Y", true],
    ["on", true],
    ["On", true],
    ["ON", true],
    ["no", false],
    ["No", false],
    ["NO", false],
    ["n", false],
    ["N", false],
    ["off", false],
    ["Off", false],
    ["OFF", false],
  ])("reads plain `%s` as %s and reports it at the value", (word, value) => {
    const text = pod(`{privileged: ${word}}`);
    expect(privileged(text)).toBe(value);
    const r = parseYaml(text, "p.yaml");
    expect(r.findings.map((f) => `${f.ruleId} ${f.messageId} ${String(f.line)}:${String(f.column)}`)).toEqual([
      "lenient-yaml yaml11Boolean 8:37",
    ]);
    expect(r.findings[0]?.message).toContain(`\`${word}\` as the boolean ${String(value)}`);
  });

  it("leaves quoted, tagged and other words strings, as go-yaml v2 does", () => {
    for (const word of ['"yes"', "'on'", "!!str yes", "yEs", "oN", "yes please", "t", "nope"]) {
      const text = pod(`{privileged: ${word}}`);
      expect(typeof privileged(text), word).toBe("string");
      expect(parseYaml(text, "p.yaml").findings, word).toEqual([]);
    }
  });

  it("finds the privileged container behind `privileged: yes` and does not call the object invalid", () => {
    const ids = scanText(pod("\n        privileged: yes")).map((f) => f.ruleId);
    expect(ids).toContain("privileged-container");
    expect(ids).toContain("lenient-yaml");
    expect(ids).not.toContain("invalid-object");
  });

  it("rejects a quoted \"yes\" in a boolean field, as the API server does", () => {
    const ids = scanText(pod('{privileged: "yes"}')).map((f) => f.ruleId);
    expect(ids).toContain("invalid-object");
    expect(ids).not.toContain("privileged-container");
  });

  it("rejects a plain `yes` in a string field (kubectl sends true, which an env value cannot be)", () => {
    const found = scanText(pod("{}", "yes")).filter((f) => f.ruleId === "invalid-object" || f.ruleId === "lenient-yaml");
    expect(found.map((f) => `${f.ruleId} ${String(f.line)}`).sort()).toEqual(["invalid-object 10", "lenient-yaml 10"]);
  });

  it("reports an anchored `yes` once, where it is written", () => {
    const text = pod("{privileged: &t yes, allowPrivilegeEscalation: *t}");
    expect(objectOf(text)).toMatchObject({
      spec: { containers: [{ securityContext: { privileged: true, allowPrivilegeEscalation: true } }] },
    });
    expect(parseYaml(text, "p.yaml").findings.map((f) => f.column)).toEqual([40]);
  });
});

describe("go-yaml v2 numbers (YAML 1.1 ints, as kubectl sends them)", () => {
  const data = (value: string) =>
    (objectOf(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  v: ${value}\n`) as { data: { v: unknown } })
      .data.v;

  it.each([
    ["0644", 420],
    ["0400", 256],
    ["+0644", 420],
    ["-0644", -420],
    ["0o644", 420],
    ["0O644", 420],
    ["-0o17", -15],
    ["0x1F", 31],
    ["0X1f", 31],
    ["-0x1F", -31],
    ["+0x1F", 31],
    ["0b101", 5],
    ["-0B101", -5],
    ["1_000", 1000],
    ["0_644", 420],
    ["1_0.5", 10.5],
    ["08", 8],
    ["00", 0],
    ["0", 0],
    ["644", 644],
    ["1e3", 1000],
  ])("reads plain `%s` as %s", (text, value) => {
    expect(data(text)).toBe(value);
  });

  it.each(["'0644'", '"0x1F"', "!!str 0644", "0x", "0b102", "0o8", "2024-01-01", "1:20", "_1", "0x1p3", "my_name"])(
    "leaves %s a string, as go-yaml v2 does",
    (text) => {
      expect(typeof data(text)).toBe("string");
    },
  );

  it("reads `defaultMode: 0644` as 420 without a finding (it is what the writer meant)", () => {
    const text = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p}",
      "spec:",
      "  containers: [{name: c, image: 'registry.example.com/c:1.0'}]",
      "  volumes:",
      "    - name: s",
      "      secret: {secretName: s, defaultMode: 0644}",
      "",
    ].join("\n");
    const r = parseYaml(text, "p.yaml");
    expect(r.resources[0]?.object).toMatchObject({ spec: { volumes: [{ secret: { defaultMode: 420 } }] } });
    expect(r.findings).toEqual([]);
  });
});

describe("map keys as sigs.k8s.io/yaml names them (the string of go-yaml's value)", () => {
  const labels = (keys: string) =>
    Object.keys(
      (objectOf(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {${keys}}\n`) as {
        metadata: { labels: object };
      }).metadata.labels,
    );

  it.each([
    ["on", "true"],
    ["yes", "true"],
    ["Y", "true"],
    ["off", "false"],
    ["n", "false"],
    ["true", "true"],
    ["False", "false"],
    ["0644", "420"],
    ["0x1F", "31"],
    ["1_000", "1000"],
    ["1.50", "1.5"],
    ["1.0", "1"],
    ["1e6", "1e+06"],
    ["0.00001", "1e-05"],
    ["3.14159265358979", "3.1415927"],
    [".inf", ".inf"],
    ["9223372036854775807", "9223372036854775807"],
    ['"on"', "on"],
    ["'0644'", "0644"],
    ["!!str yes", "yes"],
    ["2024-01-01", "2024-01-01"],
  ])("key `%s` is %s", (key, name) => {
    expect(labels(`${key}: v`)).toEqual([name]);
  });

  it.each(["~", "null", "9223372036854775808"])("rejects the key `%s`, as kubectl does", (key) => {
    const r = parseYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {${key}: v}\n`, "c.yaml");
    expect(r.resources).toEqual([]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["parse-error"]);
  });

  it("reports a YAML 1.1 boolean key as lenient-yaml, and `on:` after `true:` as a repeated key", () => {
    const r = parseYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  true: a\n  on: b\n", "c.yaml");
    expect(r.resources[0]?.object).toMatchObject({ data: { true: "b" } });
    expect(r.findings.map((f) => `${f.ruleId} ${f.messageId} ${String(f.line)}:${String(f.column)}`).sort()).toEqual([
      "duplicate-key repeated 6:3",
      "lenient-yaml yaml11Boolean 6:3",
    ]);
  });

  it("matches a selector `on: x` with template labels `\"true\": x`, as the API server does", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: d}",
      "spec:",
      "  selector: {matchLabels: {on: x}}",
      "  template:",
      '    metadata: {labels: {"true": x}}',
      "    spec: {containers: [{name: c, image: 'registry.example.com/c:1.0'}]}",
      "",
    ].join("\n");
    expect(scanText(text).map((f) => f.ruleId)).not.toContain("selector-mismatch");
    const swapped = text.replace("{on: x}", "{off: x}");
    expect(scanText(swapped).map((f) => f.ruleId)).toContain("selector-mismatch");
  });

  it("locates a finding on a label written `on:` (path key \"true\")", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    on: 'not a valid label value!'\n";
    const f = scanText(text).find((x) => x.ruleId === "label-invalid");
    expect(f && `${String(f.line)}:${String(f.column)}`).toBe("6:5");
  });
});
