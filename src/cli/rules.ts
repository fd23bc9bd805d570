import { resolveConfig, rulesOf } from "../api.js";
import { UsageError } from "../core/errors.js";
import { rulesJson, rulesMarkdown } from "../report/rules.js";
import { configFileOption, parseArgs, usage } from "./args.js";
import { EXIT_OK, type Io } from "./io.js";

export const RULES_HELP = `Usage: kubeward rules [--format text|json|markdown] [--config FILE | --no-config]

Lists every rule with its metadata (severity, category, standards, peer equivalents), then the
custom rules (customRules:, see docs/templates.md) of the config file found from here upward.

Flags:
      --format FORMAT   text (default), json or markdown
      --config FILE     list the custom rules of this config file
      --no-config       list the built-in rules only
  -h, --help            show this help

Examples:
  kubeward rules                       # one line per rule
  kubeward rules --format json | jq '.[] | select(.severity == "critical") | .id'
`;

export function rulesCommand(argv: readonly string[], io: Io): number {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      options: {
        format: { type: "string" },
        config: { type: "string" },
        "no-config": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  if (values.help === true) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  const format = values.format ?? "text";
  if (!["json", "markdown", "text"].includes(format))
    throw new UsageError(`unknown format "${format}" (expected text, json, markdown)`);
  const rules = rulesOf(resolveConfig(configFileOption(values, io.cwd)).config);
  if (format === "json") io.stdout(rulesJson(rules));
  else if (format === "markdown") io.stdout(rulesMarkdown(rules));
  else {
    for (const r of rules)
      io.stdout(
        `${r.meta.id.padEnd(34)} ${r.meta.severity.padEnd(8)} ${r.meta.category.padEnd(12)} ${r.meta.title}\n`,
      );
  }
  return EXIT_OK;
}
