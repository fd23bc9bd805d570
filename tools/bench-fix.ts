// Benchmark of `kubeward fix` against the scan of the same files (not a timed test).
// Usage: tsx tools/bench-fix.ts [DIR] (default ../shared/corpus/mycharts/rendered). Nothing is written:
// fix computes, verifies and diffs every fix (--unsafe, so every fixable rule runs) in memory.
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fix, scan } from "../src/api.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? join(here, "..", "..", "shared", "corpus", "mycharts", "rendered");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const time = <T>(fn: () => T): { ms: number; result: T } => {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
};

const doScan = () => scan({ paths: [dir], cwd: dir, configFile: false });
const doFix = () => fix({ paths: [dir], cwd: dir, configFile: false, unsafe: true });
doScan();
const first = doFix();
const scanTimes: number[] = [];
const fixTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  scanTimes.push(time(doScan).ms);
  fixTimes.push(time(doFix).ms);
}
const s = median(scanTimes);
const f = median(fixTimes);
const failed = first.unfixed.filter((u) => u.status === "failed").length;
console.log(
  `${String(files.length)} files, ${(bytes / 1e6).toFixed(2)} MB; median of ${String(RUNS)} runs\n`,
);
console.log("| step | wall time | vs scan |");
console.log("| --- | ---: | ---: |");
console.log(`| kubeward scan | ${s.toFixed(0)} ms | 1.00× |`);
console.log(`| kubeward fix --unsafe (no write) | ${f.toFixed(0)} ms | ${(f / s).toFixed(2)}× |`);
console.log(
  `\nfix: ${String(first.findingsBefore)} findings before, ${String(first.applied.length)} fixes applied in ${String(first.files.length)} files ` +
    `(${String(first.passes)} passes), ${String(first.findingsAfter)} findings after; ${String(failed)} fixes dropped by verification.`,
);
