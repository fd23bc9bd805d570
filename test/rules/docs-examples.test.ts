// The docs' examples are executed: each Incorrect block gives exactly one finding from its rule,
// each Correct block none.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/rules/index.js";
import { fixtureSettings, scanText } from "../helpers/scan.js";

const docs = join(import.meta.dirname, "..", "..", "docs", "rules");

function block(page: string, heading: string): string | undefined {
  const m = new RegExp(`^## ${heading}\\n\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\`$`, "m").exec(page);
  return m?.[1];
}

describe("docs examples", () => {
  for (const rule of RULES) {
    const id = rule.meta.id;
    const file = join(docs, `${id}.md`);
    it(`${id}: Incorrect gives one finding, Correct none`, () => {
      expect(existsSync(file)).toBe(true);
      const page = readFileSync(file, "utf8");
      const settings = fixtureSettings(import.meta.dirname, id);
      const incorrect = block(page, "Incorrect");
      const correct = block(page, "Correct");
      expect(incorrect, "Incorrect example").toBeDefined();
      expect(correct, "Correct example").toBeDefined();
      const bad = scanText(incorrect ?? "", `${id}.md`, settings).filter((f) => f.ruleId === id);
      expect(bad).toHaveLength(1);
      const good = scanText(correct ?? "", `${id}.md`, settings).filter((f) => f.ruleId === id);
      expect(good).toHaveLength(0);
    });
  }
});
