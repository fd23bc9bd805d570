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
const time = <T>(fn: () => T): { ms: number; cpu: number; result: T } => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, result };
};

const doScan = () => scan({ paths: [dir], cwd: dir, configFile: false });
const doFix = () => fix({ paths: [dir], cwd: dir, configFile: false, unsafe: true });
doScan();
const first = doFix();
const scanTimes: number[] = [];
const fixTimes: number[] = [];
const scanCpu: number[] = [];
const fixCpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const a = time(doScan);
  const b = time(doFix);
  scanTimes.push(a.ms);
  fixTimes.push(b.ms);
  scanCpu.push(a.cpu);
  fixCpu.push(b.cpu);
}
const s = median(scanTimes);
const f = median(fixTimes);
const failed = first.unfixed.filter((u) => u.status === "failed").length;
console.log(
  `${String(files.length)} files, ${(bytes / 1e6).toFixed(2)} MB; median of ${String(RUNS)} runs\n`,
);
// CPU time too: on a shared machine the wall time of one run swings with the other load.
const sc = median(scanCpu);
const fc = median(fixCpu);
console.log("| step | wall time | vs scan | CPU time | vs scan |");
console.log("| --- | ---: | ---: | ---: | ---: |");
console.log(`| kubeward scan | ${s.toFixed(0)} ms | 1.00× | ${sc.toFixed(0)} ms | 1.00× |`);
console.log(
  `| kubeward fix --unsafe (no write) | ${f.toFixed(0)} ms | ${(f / s).toFixed(2)}× | ${fc.toFixed(0)} ms | ${(fc / sc).toFixed(2)}× |`,
);
console.log(
  `\nfix: ${String(first.findingsBefore)} findings before, ${String(first.applied.length)} fixes applied in ${String(first.files.length)} files ` +
    `(${String(first.passes)} passes), ${String(first.findingsAfter)} findings after; ${String(failed)} fixes dropped by verification.`,
);
