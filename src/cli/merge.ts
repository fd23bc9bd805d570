// `kubeward merge REPORT...`: JSON reports of shards (or of any scans) → one report in any format.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { hasFailures } from "../api.js";
import { EMPTY_CONFIG } from "../core/config.js";
import { InputError, UsageError } from "../core/errors.js";
import {
  SEVERITIES,
  type ClusterFinding,
  type FileFinding,
  type Finding,
  type Severity,
} from "../core/types.js";
import { FORMAT_NAMES } from "../report/index.js";
import { SCHEMA_VERSION } from "../report/json.js";
import { ALL_RULES } from "../rules/index.js";
import { mergeParts, type ResultPart } from "../units/merge.js";
import { parseArgs, usage } from "./args.js";
import { EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import { OUTPUT_OPTIONS, writeOutputs } from "./scan.js";
import { pairOutputs } from "./args.js";

export const MERGE_HELP = `Usage: kubeward merge REPORT.json... [flags]

Merges the JSON reports of several scans (e.g. the shards of \`kubeward scan --shard I/N\`) into one
report, in any format. Code frames are not shown (JSON reports carry no source text).

Flags:
      --format FORMAT      stylish|json|sarif|junit|github|markdown (repeatable; default stylish)
  -o, --output FILE        write the preceding --format to FILE instead of stdout
      --fail-on SEVERITY   exit 1 when a finding is at or above it (default low)
  -h, --help               show this help

Examples:
  kubeward scan repo --unit dir --shard 1/2 --format json -o shard-1.json
  kubeward scan repo --unit dir --shard 2/2 --format json -o shard-2.json
  kubeward merge shard-*.json --format sarif -o kubeward.sarif --format markdown -o summary.md
`;

/** A finding as the JSON report writes it: either location kind (`source: "cluster"` or a file). */
type JsonFindingIn = (Omit<FileFinding, "resource"> | Omit<ClusterFinding, "resource">) & {
  resource: Finding["resource"] | null;
  suppression?: Finding["suppressed"];
};
interface JsonReportIn {
  schemaVersion: number;
  findings: JsonFindingIn[];
  suppressed: JsonFindingIn[];
  summary: ResultPart["summary"];
}

function toFinding({ resource, suppression, ...rest }: JsonFindingIn): Finding {
  return {
    ...rest,
    ...(resource !== null && resource !== undefined ? { resource } : {}),
    ...(suppression !== undefined ? { suppressed: suppression } : {}),
  };
}

/** A JSON report (schemaVersion 1) as a result part; InputError when it is not one. */
export function readReport(name: string, text: string): ResultPart {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${name} is not JSON: ${(err as Error).message}`);
  }
  const report = r as Partial<JsonReportIn> | null;
  if (
    report === null ||
    typeof report !== "object" ||
    report.schemaVersion !== SCHEMA_VERSION ||
    !Array.isArray(report.findings) ||
    !Array.isArray(report.suppressed) ||
    typeof report.summary !== "object"
  ) {
    throw new InputError(`${name} is not a kubeward JSON report (schemaVersion ${SCHEMA_VERSION})`);
  }
  return {
    findings: report.findings.map(toFinding),
    suppressed: report.suppressed.map(toFinding),
    summary: report.summary,
  };
}

export function mergeCommand(argv: readonly string[], io: Io): number {
  const { values, positionals, tokens } = usage(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: OUTPUT_OPTIONS,
    }),
  );
  if (values.help === true) {
    io.stdout(MERGE_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError(`merge needs at least one JSON report\n\n${MERGE_HELP}`);
  const failOn = values["fail-on"] ?? "low";
  if (!(SEVERITIES as readonly string[]).includes(failOn))
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")}, not "${failOn}"`);
  const outputs = pairOutputs(tokens, FORMAT_NAMES);
  const parts = positionals.map((p) => {
    let text: string;
    try {
      text = p === "-" ? io.readStdin() : readFileSync(resolve(io.cwd, p), "utf8");
    } catch (err) {
      throw new InputError(`cannot read ${p}: ${(err as Error).message}`);
    }
    return readReport(p, text);
  });
  const result = mergeParts(parts, { rules: ALL_RULES, config: EMPTY_CONFIG, configFile: undefined });
  writeOutputs(result, outputs, values, io);
  return hasFailures(result, failOn as Severity) ? EXIT_FINDINGS : EXIT_OK;
}
