// `customRules:` in .kubeward.yaml: each mistake is an error at its line and column; a good entry
// becomes a rule that `rules:`, exemptions and suppression annotations can name.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { knownRulesOf, parseConfig } from "../../src/core/config.js";
import { ALL_RULES, RULES } from "../../src/rules/index.js";
import { customRulesOf, TEMPLATE_SCHEMAS, TEMPLATES } from "../../src/rules/templates/index.js";
import { configJsonSchema } from "../../tools/gen-schema.js";
import { scanText } from "../helpers/scan.js";

const parse = (text: string) => parseConfig(text, knownRulesOf(ALL_RULES), TEMPLATE_SCHEMAS);
const errorsOf = (text: string) => parse(text).errors.map((e) => `${e.line}:${e.column} ${e.message}`);

describe("customRules errors", () => {
  it("name the line and column of a misspelt template, with a suggestion", () => {
    expect(errorsOf("customRules:\n  - id: team-label\n    template: required-metadta\n")).toEqual([
      "3:15 customRules[0]: unknown template `required-metadta` (did you mean `required-metadata`?); known: field, required-metadata, allowed-registries, forbidden-capabilities",
    ]);
  });

  it("name a misspelt or mistyped option at its key or value", () => {
    const text = [
      "customRules:",
      "  - id: no-host-port",
      "    template: field",
      "    options:",
      "      pth: ports[*].hostPort",
      "  - id: max-replicas",
      "    template: field",
      "    options:",
      "      path: spec.replicas",
      "      condition: bigger",
      "      values: 3",
      "",
    ].join("\n");
    expect(errorsOf(text)).toEqual([
      "5:7 customRules[0]: unknown option `pth` (did you mean `path`?); known: target, path, condition, value, values, mode, kinds, fixValue",
      "10:18 customRules[1]: option `condition` must be one of exists, absent, equals, oneOf, matches, gt, lt",
      "11:15 customRules[1]: option `values` must be a list of strings, not number",
    ]);
  });

  it("check what the schema cannot: a bad path, a bad regex, a condition without its value, a missing option", () => {
    const text = [
      "customRules:",
      "  - id: a",
      "    template: field",
      "    options: { path: 'spec..x' }",
      "  - id: b",
      "    template: field",
      "    options: { path: spec.x, condition: matches, value: '(' }",
      "  - id: c",
      "    template: field",
      "    options: { path: spec.x, condition: gt }",
      "  - id: d",
      "    template: allowed-registries",
      "  - id: e",
      "    template: required-metadata",
      "    options: { kinds: [Deployment] }",
      "",
    ].join("\n");
    const errors = errorsOf(text);
    expect(errors[0]).toMatch(/^4:22 customRules\[0\]: option `path`: an empty key at character 6$/);
    expect(errors[1]).toMatch(/^7:57 customRules\[1\]: option `value` is not a valid regular expression/);
    expect(errors.slice(2)).toEqual([
      "10:41 customRules[2]: condition `gt` needs option `value`",
      "11:5 customRules[3]: the allowed-registries template needs option `allowedRegistries`",
      "15:14 customRules[4]: the required-metadata template needs `labels` or `annotations`",
    ]);
  });

  it("reject a built-in rule's ID, a repeated ID, a non-kebab ID, unknown keys and a bad severity", () => {
    const text = [
      "customRules:",
      "  - id: host-pid",
      "    template: field",
      "    options: { path: spec.hostPID }",
      "  - id: mine",
      "    template: field",
      "    options: { path: spec.x }",
      "  - id: mine",
      "    template: field",
      "    options: { path: spec.y }",
      "  - id: My_Rule",
      "    template: field",
      "    severty: high",
      "    options: { path: spec.z }",
      "  - id: loud",
      "    template: field",
      "    severity: loud",
      "    options: { path: spec.z }",
      "",
    ].join("\n");
    expect(errorsOf(text)).toEqual([
      "2:9 customRules[0]: the ID `host-pid` is a built-in rule's; choose another",
      "8:9 customRules[2]: the ID `mine` is declared twice",
      "13:5 customRules[3]: unknown key `severty` (expected one of id, template, options, severity, category, title, message, description, remediation)",
      "11:9 customRules[3]: the ID `My_Rule` must be kebab-case (lower-case words joined by -)",
      "17:15 customRules[4]: `severity` must be one of info, low, medium, high, critical",
    ]);
  });

  it("is a list", () => {
    expect(errorsOf("customRules: { id: x }\n")).toEqual([
      "1:14 `customRules` must be a list of {id, template, options}",
    ]);
  });
});

describe("custom rules", () => {
  const text = [
    "rules:",
    "  no-latest: critical",
    "exemptions:",
    "  - rules: [no-latest]",
    "    namespaces: [sandbox]",
    "customRules:",
    "  - id: no-latest",
    "    template: field",
    "    title: Images must not use latest",
    "    remediation: Pin a version.",
    "    options: { target: container, path: image, condition: matches, value: ':latest$' }",
    "",
  ].join("\n");

  it("can be named in rules: and exemptions:, wherever customRules is in the file", () => {
    const { config, errors } = parse(text);
    expect(errors).toEqual([]);
    expect(config.rules["no-latest"]).toEqual({ enabled: true, severity: "critical" });
    expect(config.customRules?.map((c) => c.id)).toEqual(["no-latest"]);
  });

  it("run with their severity, remediation and exemptions", () => {
    const { config } = parse(text);
    const rules = [...RULES, ...customRulesOf(config)];
    const pod = (ns: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n`;
    const found = scanText(pod("shop"), "p.yaml", { rules, config }).filter((f) => f.ruleId === "no-latest");
    expect(found.map((f) => `${f.line}:${f.column} ${f.severity} ${f.remediation} ${f.message}`)).toEqual([
      "9:7 critical Pin a version. Container `web`: `image` is `nginx:latest`; it must not match `:latest$`.",
    ]);
    const exempt = scanText(pod("sandbox"), "p.yaml", { rules, config }).filter(
      (f) => f.ruleId === "no-latest",
    );
    expect(exempt.map((f) => f.suppressed?.kind)).toEqual(["config"]);
  });

  it("a Config built in code with a bad path reports nothing instead of crashing", () => {
    const rules = customRulesOf({
      customRules: [{ id: "x", template: "field", options: { path: "a..b" } }],
    });
    const findings = scanText("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", "c.yaml", { rules });
    expect(findings).toEqual([]);
  });
});

describe("docs/kubeward.schema.json for customRules", () => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  const validate = ajv.compile(configJsonSchema());

  it("accepts every template's docs example and the optional keys", () => {
    const customRules = TEMPLATES.map((t) => ({
      id: t.example.id,
      template: t.name,
      options: t.example.options,
      severity: "high",
      message: "x",
    }));
    const ok = validate({ customRules, assumeComplete: true, fix: { keep: ["web:hostNetwork"] } });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects a misspelt template, an option of another template, and a missing required option", () => {
    expect(validate({ customRules: [{ id: "a", template: "feild", options: { path: "x" } }] })).toBe(false);
    expect(
      validate({ customRules: [{ id: "a", template: "field", options: { path: "x", labels: ["t"] } }] }),
    ).toBe(false);
    expect(validate({ customRules: [{ id: "a", template: "allowed-registries", options: {} }] })).toBe(false);
    expect(validate({ customRules: [{ id: "a", template: "field", options: { path: "x" } }] })).toBe(true);
  });
});
