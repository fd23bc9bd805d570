import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { knownRulesOf, parseConfig } from "../../src/core/config.js";
import { checkOptions, closest, defaultsOf, option } from "../../src/core/options.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { configJsonSchema } from "../../tools/gen-schema.js";

const schema = {
  min: option.integer("Minimum.", 2, 1),
  names: option.strings("Names.", ["a"]),
  mode: option.string("Mode.", "warn", ["warn", "deny"]),
  strict: option.boolean("Strict.", false),
  fields: option.records("Fields.", { path: { type: "string", description: "Path." } }, ["path"]),
};

describe("rule option schemas", () => {
  it("accept well-typed values and fill in defaults", () => {
    expect(
      checkOptions(schema, { min: 3, names: [], mode: "deny", strict: true, fields: [{ path: "a.b" }] }),
    ).toEqual([]);
    expect(defaultsOf(schema)).toEqual({ min: 2, names: ["a"], mode: "warn", strict: false, fields: [] });
  });

  it("reject unknown names with a suggestion, wrong types, bounds, enums and record keys", () => {
    const problems = checkOptions(schema, {
      mni: 3,
      min: 0,
      names: ["x", 1],
      mode: "block",
      strict: "yes",
      fields: [{ pth: "a" }, "b"],
    });
    expect(problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
      "mni: unknown option `mni` (did you mean `min`?); known: min, names, mode, strict, fields",
      "min: option `min` must be at least 1",
      "names.1: option `names` must list strings only",
      "mode: option `mode` must be one of warn, deny",
      "strict: option `strict` must be true or false, not string",
      "fields.0: an item of option `fields` needs `path`",
      "fields.0.pth: unknown key `pth` in option `fields` (did you mean `path`?); known: path",
      "fields.1: each item of option `fields` must be a mapping, not string",
    ]);
    expect(checkOptions({}, { x: 1 })[0]?.message).toBe("unknown option `x` (this rule has no options)");
  });

  it("suggest only close names", () => {
    expect(closest("minReplica", ["minReplicas", "labels"])).toBe("minReplicas");
    expect(closest("colour", ["minReplicas", "labels"])).toBeUndefined();
  });

  it("check .kubeward.yaml options with their line, and keep valid options", () => {
    const known = knownRulesOf(ALL_RULES);
    const { config, errors } = parseConfig(
      "rules:\n  required-labels:\n    options:\n      labels: [team]\n  host-pid:\n    options:\n      strict: true\n  added-capabilities:\n    options:\n      allowed: NET_ADMIN\n",
      known,
    );
    expect(errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      "7:7 rules.host-pid: unknown option `strict` (this rule has no options)",
      "10:16 rules.added-capabilities: option `allowed` must be a list of strings, not string",
    ]);
    expect(config.rules["required-labels"]).toEqual({ options: { labels: ["team"] } });
    // Bad options are not kept (and the errors stop the load).
    expect(config.rules["added-capabilities"]).toEqual({});
  });
});

describe("docs/kubeward.schema.json", () => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  const validate = ajv.compile(configJsonSchema());

  it("accepts the defaults of every rule with options, and the config forms", () => {
    const rules: Record<string, unknown> = {};
    const withOptions = ALL_RULES.filter((r) => r.options !== undefined);
    expect(withOptions.length).toBeGreaterThan(0);
    for (const r of withOptions) rules[r.meta.id] = { severity: "low", options: defaultsOf(r.options ?? {}) };
    rules["privileged-container"] = "off";
    rules["host-pid"] = true;
    const ok = validate({ rules, exemptions: [{ rules: ["host-pid"], reason: "x" }], failOn: "high" });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects a misspelt option, options on a rule without any, and a wrong type", () => {
    expect(validate({ rules: { "too-few-replicas": { options: { minReplica: 3 } } } })).toBe(false);
    expect(validate({ rules: { "host-pid": { options: { strict: true } } } })).toBe(false);
    expect(validate({ rules: { "host-pid": "loud" } })).toBe(false);
    expect(validate({ rules: { "too-few-replicas": { options: { minReplicas: "3" } } } })).toBe(false);
  });
});
