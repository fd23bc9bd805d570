// Per-rule finding counts on the 63 real charts of ../shared/corpus/mycharts/rendered, every rule
// switched on (default-off ones too), so that any change in a rule's behaviour on real charts shows
// up in review as a changed line of counts.txt. One line per rule, sorted: parallel additions merge.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/api.js";
import type { Config } from "../../../src/core/config.js";
import { ALL_RULES } from "../../../src/rules/index.js";
import { TODAY } from "../../helpers/scan.js";

const corpus = join(import.meta.dirname, "..", "..", "..", "..", "shared", "corpus", "mycharts", "rendered");
const present = existsSync(corpus);

describe("per-rule finding counts on the rendered corpus", () => {
  if (!present) {
    it.skip(`skipped: the corpus is not at ${corpus} (it lives beside the repository as ../shared)`, () => {});
    return;
  }
  it("match test/rules/corpus/counts.txt", async () => {
    const config: Config = {
      rules: Object.fromEntries(ALL_RULES.map((r) => [r.meta.id, { enabled: true }])),
      exemptions: [],
      ignorePaths: [],
    };
    const result = scan({ paths: [corpus], cwd: corpus, configFile: false, config, today: TODAY });
    const counts = new Map<string, number>(ALL_RULES.map((r) => [r.meta.id, 0]));
    for (const f of result.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    const lines = [...counts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, n]) => `${id} ${String(n)}`);
    expect(lines.length).toBeGreaterThan(100);
    await expect(
      lines.join("\n") + "\n",
      "A rule's findings on the corpus changed. If the change is intended, review the diff of counts.txt and update it with `npx vitest run test/rules/corpus/counts.test.ts -u`.",
    ).toMatchFileSnapshot(join(import.meta.dirname, "counts.txt"));
  }, 300_000);
});
