// Golden fixtures for the rule templates: test/templates/<template>/config.yaml declares custom
// rules of the template; invalid/*.yaml give exactly the findings their `# expect: rule/messageId@column`
// comments name, at that line and column; valid/*.yaml give none.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownRulesOf, parseConfig, type Config } from "../../src/core/config.js";
import { ALL_RULES, RULES } from "../../src/rules/index.js";
import { customRulesOf, TEMPLATE_SCHEMAS, TEMPLATES } from "../../src/rules/templates/index.js";
import { expectedMarkers, scanText, UNFILLED_PLACEHOLDER } from "../helpers/scan.js";

const here = import.meta.dirname;
const INPUT_OR_CRASH = new Set(["parse-error", "invalid-object", "internal-error"]);

export function loadTemplateConfig(text: string): Config {
  const { config, errors } = parseConfig(text, knownRulesOf(ALL_RULES), TEMPLATE_SCHEMAS);
  expect(errors).toEqual([]);
  return config;
}

const yamlFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];

describe("template fixtures", () => {
  it("exist for every template", () => {
    expect(TEMPLATES.map((t) => t.name).filter((n) => !existsSync(join(here, n, "config.yaml")))).toEqual([]);
  });
  for (const t of TEMPLATES) {
    const dir = join(here, t.name);
    const config = loadTemplateConfig(readFileSync(join(dir, "config.yaml"), "utf8"));
    const custom = customRulesOf(config);
    const ids = new Set(custom.map((r) => r.meta.id));
    // Every custom rule of the fixture config is of this template.
    for (const c of config.customRules ?? []) expect(c.template).toBe(t.name);
    const scan = (text: string, name: string) =>
      scanText(text, name, { rules: [...RULES, ...custom], config });
    describe(t.name, () => {
      for (const file of yamlFiles(join(dir, "valid"))) {
        it(`valid/${file}`, () => {
          const findings = scan(readFileSync(join(dir, "valid", file), "utf8"), file);
          expect(findings.filter((f) => INPUT_OR_CRASH.has(f.ruleId))).toEqual([]);
          expect(findings.filter((f) => ids.has(f.ruleId)).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
        });
      }
      const used = new Set<string>();
      for (const file of yamlFiles(join(dir, "invalid"))) {
        const text = readFileSync(join(dir, "invalid", file), "utf8");
        for (const e of expectedMarkers(text)) used.add(e.messageId.split("/")[1] ?? "");
        it(`invalid/${file}`, () => {
          const findings = scan(text, file);
          expect(findings.filter((f) => INPUT_OR_CRASH.has(f.ruleId))).toEqual([]);
          const expected = expectedMarkers(text);
          expect(expected.length).toBeGreaterThan(0);
          expect(
            expected.filter((e) => e.column === undefined),
            "every marker pins its column",
          ).toEqual([]);
          const own = findings.filter((f) => ids.has(f.ruleId));
          expect(own.map((f) => `${f.line}:${f.column} ${f.ruleId}/${f.messageId}`).sort()).toEqual(
            expected.map((e) => `${e.line}:${e.column ?? 0} ${e.messageId}`).sort(),
          );
          expect(own.filter((f) => UNFILLED_PLACEHOLDER.test(f.message)).map((f) => f.message)).toEqual([]);
        });
      }
      it("exercises every message of the template", () => {
        expect(Object.keys(t.messages).filter((m) => !used.has(m))).toEqual([]);
      });
    });
  }
});
