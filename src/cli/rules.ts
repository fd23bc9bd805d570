import { ALL_RULES } from "../rules/index.js";
import { UsageError } from "../core/errors.js";
import { rulesJson, rulesMarkdown } from "../report/rules.js";
import { parseArgs, usage } from "./args.js";
import { EXIT_OK, type Io } from "./io.js";

export const RULES_HELP = `Usage: kubeward rules [--format text|json|markdown]

Lists every rule with its metadata (severity, category, standards, peer equivalents).

Flags:
      --format FORMAT   text (default), json or markdown
  -h, --help            show this help

Examples:
  kubeward rules                       # one line per rule
  kubeward rules --format json | jq '.[] | select(.severity == "critical") | .id'
`;

export function rulesCommand(argv: readonly string[], io: Io): number {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      options: { format: { type: "string" }, help: { type: "boolean", short: "h" } },
    }),
  );
  if (values.help === true) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  const format = values.format ?? "text";
  if (format === "json") io.stdout(rulesJson(ALL_RULES));
  else if (format === "markdown") io.stdout(rulesMarkdown(ALL_RULES));
  else if (format === "text") {
    for (const r of ALL_RULES)
      io.stdout(
        `${r.meta.id.padEnd(34)} ${r.meta.severity.padEnd(8)} ${r.meta.category.padEnd(12)} ${r.meta.title}\n`,
      );
  } else throw new UsageError(`unknown format "${format}" (expected text, json, markdown)`);
  return EXIT_OK;
}
