// Fix invariants over every fixable rule's invalid fixtures (ESLint's rule-tester model): the fixed
// text parses, the rule's fixed findings are gone, a second pass changes nothing, only the fixes'
// declared paths changed, and the fixed text is kept as a snapshot.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../src/core/config.js";
import { fixTexts } from "../../src/fix/fixer.js";
import { changedPaths, pathText } from "../../src/fix/ops.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import { RULES } from "../../src/rules/index.js";
import { TODAY } from "../helpers/scan.js";

const fixturesDir = join(import.meta.dirname, "..", "rules");

/** The rule on (some are off by default), and numbers the user allows fixes to use. */
function configFor(id: string): Config {
  return {
    ...EMPTY_CONFIG,
    rules: { [id]: { enabled: true } },
    fix: {
      keep: [],
      defaults: { runAsUser: 10001, runAsGroup: 10001, cpuRequest: "100m", memoryRequest: "128Mi" },
    },
  };
}

function fixOnce(text: string, name: string, id: string) {
  return fixTexts(new Map([[name, text]]), {
    rules: RULES,
    config: configFor(id),
    unsafe: true,
    only: new Set([id]),
    today: TODAY,
  });
}

/**
 * True when `path` (a changed path) is one of `declared`, below one, or above one: changedPaths
 * stops where a value was created or a list changed length, which is an ancestor of the op path.
 */
function within(path: string, declared: readonly string[]): boolean {
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return declared.some((d) => under(path, d) || under(d, path));
}

const fixable = RULES.filter((r) => r.meta.fix !== "none");

describe("fix invariants", () => {
  it("covers the rules that declare a fix", () => {
    expect(fixable.length).toBeGreaterThan(25);
  });
  for (const rule of fixable) {
    const id = rule.meta.id;
    const dir = join(fixturesDir, id, "invalid");
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.(ya?ml|json)$/.test(f))
          .sort()
      : [];
    describe(id, () => {
      let applied = 0;
      for (const file of files) {
        it(`invalid/${file}`, async () => {
          const name = `${id}/invalid/${file}`;
          const text = readFileSync(join(dir, file), "utf8");
          const out = fixOnce(text, name, id);
          applied += out.applied.length;
          const after = out.files[0]?.after ?? text;

          // The output parses.
          const reparsed = parseYaml(after, name);
          expect(reparsed.findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);

          // Every finding of the rule that had a fix is gone, unless it is reported as not fixable.
          const failed = out.unfixed.filter((u) => u.ruleId === id && u.status === "failed");
          for (const u of failed) expect(u.reason).toMatch(/^not fixable automatically: /);
          const again = fixOnce(after, name, id);
          const stillFixable = again.unfixed.filter((u) => u.ruleId === id && u.status === "failed");
          expect(stillFixable.length).toBe(failed.length);

          // A second pass is a no-op.
          expect(again.applied).toEqual([]);
          expect(again.files).toEqual([]);

          // Only the declared paths changed, object by object.
          const before = parseYaml(text, name).resources;
          expect(reparsed.resources.length).toBe(before.length);
          const declared = out.applied.map((a) => ({ resource: a.resource, paths: a.paths }));
          before.forEach((r, i) => {
            const now = reparsed.resources[i];
            const ref = `${r.ref.kind}/${r.ref.namespace ? `${r.ref.namespace}/` : ""}${r.ref.name}`;
            const paths = declared.filter((d) => d.resource === ref).flatMap((d) => d.paths);
            for (const p of changedPaths(r.object, now?.object))
              expect(within(pathText(p), paths), pathText(p)).toBe(true);
          });

          await expect(after).toMatchFileSnapshot(join("__fixed__", id, file));
        });
      }
      it("applies at least one fix over its fixtures", () => {
        expect(files.length).toBeGreaterThan(0);
        expect(applied).toBeGreaterThan(0);
      });
    });
  }
});
