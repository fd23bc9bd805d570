// `kubeward baseline create`: records today's findings so that `scan --baseline FILE` fails only on new ones.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { EXIT_ERROR, EXIT_OK, type Io } from "./io.js";
import { scanCommand } from "./scan.js";

export const DEFAULT_BASELINE = ".kubeward-baseline.json";

export const BASELINE_HELP = `Usage: kubeward baseline create [PATH...] [scan flags] [-o FILE]

Scans like \`kubeward scan\` (same paths and flags) and writes every finding to a baseline file
(default ${DEFAULT_BASELINE}). \`kubeward scan --baseline FILE\` then reports only findings that are
not in it, and says how many were baselined. Findings match by rule, file, resource and the path
inside the object, not by line, so edits that move lines keep them baselined.

Flags:
  -o, --output FILE   where to write the baseline (default ${DEFAULT_BASELINE})
  -h, --help          show this help
  (and every flag of kubeward scan, e.g. --unit, --config, --disable, -f/--values)

Examples:
  kubeward baseline create k8s/                  # accept what is there today
  kubeward scan k8s/ --baseline ${DEFAULT_BASELINE}   # fail only on new findings
  kubeward baseline create charts/web -f prod.yaml -o web-baseline.json
`;

export async function baselineCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (
    sub === undefined ||
    sub === "--help" ||
    sub === "-h" ||
    rest.includes("--help") ||
    rest.includes("-h")
  ) {
    io.stdout(BASELINE_HELP);
    return EXIT_OK;
  }
  if (sub !== "create")
    throw new UsageError(`unknown baseline command "${sub}" (expected create)\n\n${BASELINE_HELP}`);
  let file = DEFAULT_BASELINE;
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? "";
    if (a === "-o" || a === "--output") {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${a} needs a file name`);
      file = next;
    } else if (a.startsWith("--output=")) file = a.slice("--output=".length);
    else if (
      a === "--format" ||
      a.startsWith("--format=") ||
      a === "--baseline" ||
      a.startsWith("--baseline=")
    )
      throw new UsageError(`baseline create does not take ${a.split("=")[0] ?? a}`);
    else args.push(a);
  }
  const code = await scanCommand([...args, "--exit-zero", "--format", "baseline", "-o", file], io);
  if (code === EXIT_ERROR) return code;
  const written = (JSON.parse(readFileSync(resolve(io.cwd, file), "utf8")) as { findings: unknown[] })
    .findings.length;
  io.stderr(`kubeward: wrote ${written} finding${written === 1 ? "" : "s"} to ${file}\n`);
  return EXIT_OK;
}
