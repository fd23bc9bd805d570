// docs/templates.md is generated from the templates; its examples are executed here: each
// template's example config loads without error, its Incorrect block gives exactly one finding from
// the example rule (the one its marker names) and its Correct block none.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownRulesOf, parseConfig } from "../../src/core/config.js";
import { ALL_RULES, RULES } from "../../src/rules/index.js";
import { customRulesOf, TEMPLATE_SCHEMAS, TEMPLATES } from "../../src/rules/templates/index.js";
import { templatesPage } from "../../tools/gen-templates-doc.js";
import { scanText } from "../helpers/scan.js";

const page = readFileSync(join(import.meta.dirname, "..", "..", "docs", "templates.md"), "utf8");

/** The yaml blocks of a template's section: its example config, Incorrect and Correct. */
function blocks(name: string): string[] {
  const start = page.indexOf(`\n## ${name}\n`);
  const end = page.indexOf("\n## ", start + 1);
  const section = page.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? "");
}

describe("docs/templates.md", () => {
  it("is what the generator writes (run `npm run docs`)", () => {
    expect(page).toBe(templatesPage());
  });
  for (const t of TEMPLATES) {
    it(`${t.name}: the example config loads, Incorrect gives one finding at its marker, Correct none`, () => {
      const [configText = "", incorrect = "", correct = ""] = blocks(t.name);
      const { config, errors } = parseConfig(configText, knownRulesOf(ALL_RULES), TEMPLATE_SCHEMAS);
      expect(errors).toEqual([]);
      const custom = customRulesOf(config);
      expect(custom.map((r) => r.meta.id)).toEqual([t.example.id]);
      const rules = [...RULES, ...custom];
      const bad = scanText(incorrect, "incorrect.yaml", { rules, config }).filter(
        (f) => f.ruleId === t.example.id,
      );
      const marker = incorrect.split("\n").findIndex((l) => l.includes("# ←")) + 1;
      expect(marker).toBeGreaterThan(0);
      expect(bad.map((f) => `${f.line} ${f.messageId}`)).toEqual([
        `${marker} ${/# ← (\S+)/.exec(incorrect)?.[1] ?? ""}`,
      ]);
      const good = scanText(correct, "correct.yaml", { rules, config }).filter(
        (f) => f.ruleId === t.example.id,
      );
      expect(good).toEqual([]);
    });
  }
});

describe("README", () => {
  it("its customRules example loads without error and declares one rule per template", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
    const block = [...readme.matchAll(/```yaml\n(customRules:[\s\S]*?)\n```/g)].map((m) => m[1] ?? "");
    expect(block).toHaveLength(1);
    const { config, errors } = parseConfig(block[0] ?? "", knownRulesOf(ALL_RULES), TEMPLATE_SCHEMAS);
    expect(errors).toEqual([]);
    expect(new Set(config.customRules?.map((c) => c.template))).toEqual(
      new Set(TEMPLATES.map((t) => t.name)),
    );
  });
});
