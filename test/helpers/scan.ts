// Test helpers: scan text or files in-process with a fixed "today".
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runRules } from "../../src/core/engine.js";
import { EMPTY_CONFIG, type Config } from "../../src/core/config.js";
import type { AnyRule } from "../../src/core/rule.js";
import type { Finding } from "../../src/core/types.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import { RULES } from "../../src/rules/index.js";

export const TODAY = "2026-01-15";

/** Parse and check `text` as file `name`; input findings and rule findings together. */
export function scanText(
  text: string,
  name = "test.yaml",
  options: { rules?: readonly AnyRule[]; config?: Config; noExemptions?: boolean; kubeVersion?: string } = {},
): Finding[] {
  const parsed = parseYaml(text, name);
  const result = runRules(parsed.resources, {
    rules: options.rules ?? RULES,
    config: options.config ?? EMPTY_CONFIG,
    today: TODAY,
    ...(options.noExemptions !== undefined ? { noExemptions: options.noExemptions } : {}),
    ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
  });
  return [...parsed.findings, ...result.findings];
}

export function scanFile(
  file: string,
  name: string,
  options: Parameters<typeof scanText>[2] = {},
): Finding[] {
  return scanText(readFileSync(file, "utf8"), name, options);
}

/**
 * Expected findings written in a fixture as `# expect: messageId[@column][, messageId...]` comments
 * on the line the finding must point at; `@column` pins its 1-based column too.
 */
export function expectedMarkers(text: string): { line: number; messageId: string; column?: number }[] {
  const out: { line: number; messageId: string; column?: number }[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /#\s*expect:\s*(.+?)\s*$/.exec(line);
    if (m?.[1] === undefined) return;
    for (const item of m[1].split(",")) {
      const [id = "", col] = item.trim().split("@");
      if (col === undefined) out.push({ line: i + 1, messageId: id });
      else out.push({ line: i + 1, messageId: id, column: Number(col) });
    }
  });
  return out;
}

/**
 * How a rule's fixtures and docs examples are scanned: the rule switched on, with the options and
 * `kubeVersion` of `test/rules/<id>/fixture-settings.json` when the rule needs some to report
 * anything (an allow-list, an older target release).
 */
export function fixtureSettings(dir: string, id: string): { config: Config; kubeVersion?: string } {
  const file = join(dir, id, "fixture-settings.json");
  const settings = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { options?: Record<string, unknown>; kubeVersion?: string })
    : {};
  const rule =
    settings.options === undefined ? { enabled: true } : { enabled: true, options: settings.options };
  return {
    config: { ...EMPTY_CONFIG, rules: { [id]: rule } },
    ...(settings.kubeVersion !== undefined ? { kubeVersion: settings.kubeVersion } : {}),
  };
}

/** `{{name}}` left in a finding's message: a report that forgot to pass that data. */
export const UNFILLED_PLACEHOLDER = /\{\{\s*\w+\s*\}\}/;
