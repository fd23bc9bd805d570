// Golden fixtures for every rule: test/rules/<id>/valid/*.yaml give no finding from the rule;
// test/rules/<id>/invalid/*.yaml give exactly the findings their `# expect:` comments name, on
// those lines. The stylish output of each invalid case is kept as a snapshot next to it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/rules/index.js";
import { expectedMarkers, fixtureSettings, scanText, UNFILLED_PLACEHOLDER } from "../helpers/scan.js";

const here = import.meta.dirname;
/** Fixtures must parse, validate, and not crash any rule (a crash becomes an internal-error finding). */
const INPUT_OR_CRASH = new Set(["parse-error", "invalid-object", "internal-error"]);

function cases(id: string, kind: "valid" | "invalid"): string[] {
  const dir = join(here, id, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json"))
    .sort();
}

/** Rules that are off by default are switched on for their own fixtures (with their fixture settings). */
const configFor = (id: string) => fixtureSettings(here, id);
/**
 * `# fixture-kube-version: 1.24` in a fixture scans it for that release, and
 * `# fixture-options: {"level": "restricted"}` sets the rule's options, for that file alone.
 */
function settingsFor(id: string, text: string): ReturnType<typeof fixtureSettings> {
  const settings = configFor(id);
  const version = /^# fixture-kube-version: (\S+)$/m.exec(text)?.[1];
  const options = /^# fixture-options: (.+)$/m.exec(text)?.[1];
  if (options !== undefined) {
    const rule = { ...settings.config.rules[id], options: JSON.parse(options) as Record<string, unknown> };
    settings.config = { ...settings.config, rules: { ...settings.config.rules, [id]: rule } };
  }
  return version === undefined ? settings : { ...settings, kubeVersion: version };
}

for (const rule of RULES) {
  const id = rule.meta.id;
  describe(id, () => {
    for (const file of cases(id, "valid")) {
      it(`valid/${file}`, () => {
        const text = readFileSync(join(here, id, "valid", file), "utf8");
        const findings = scanText(text, `${id}/valid/${file}`, settingsFor(id, text));
        expect(findings.filter((f) => INPUT_OR_CRASH.has(f.ruleId))).toEqual([]);
        expect(findings.filter((f) => f.ruleId === id).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
      });
    }
    for (const file of cases(id, "invalid")) {
      it(`invalid/${file}`, async () => {
        const text = readFileSync(join(here, id, "invalid", file), "utf8");
        const findings = scanText(text, `${id}/invalid/${file}`, settingsFor(id, text));
        expect(findings.filter((f) => INPUT_OR_CRASH.has(f.ruleId))).toEqual([]);
        const expected = expectedMarkers(text);
        expect(expected.length, "an invalid fixture needs at least one `# expect:` comment").toBeGreaterThan(
          0,
        );
        const own = findings.filter((f) => f.ruleId === id);
        // A marker with `@column` pins the column; the others compare line and message only.
        const key = (line: number, messageId: string, column: number | undefined) =>
          column === undefined ? `${line}: ${messageId}` : `${line}:${column}: ${messageId}`;
        const pinned = new Set(
          expected.filter((e) => e.column !== undefined).map((e) => `${e.line} ${e.messageId}`),
        );
        const actual = own
          .map((f) =>
            key(f.line ?? 0, f.messageId, pinned.has(`${f.line ?? 0} ${f.messageId}`) ? f.column : undefined),
          )
          .sort();
        expect(actual).toEqual(expected.map((e) => key(e.line, e.messageId, e.column)).sort());
        expect(
          own.filter((f) => UNFILLED_PLACEHOLDER.test(f.message)).map((f) => `${f.line}: ${f.message}`),
          "messages with an unfilled {{placeholder}}",
        ).toEqual([]);
        const mine = findings
          .filter((f) => f.ruleId === id)
          .map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`);
        await expect(mine.join("\n") + "\n").toMatchFileSnapshot(join(here, id, "invalid", `${file}.snap`));
      });
    }
  });
}
