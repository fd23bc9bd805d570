// Benchmark of the static scan hot loop on the rendered corpus (not a timed test).
// Usage: npm run bench [-- DIR] (default ../shared/corpus/mycharts/rendered). Prints a Markdown table.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, devNull } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { scan } from "../src/api.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? join(here, "..", "..", "shared", "corpus", "mycharts", "rendered");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join(dir, f));
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function time(fn: () => number): { ms: number; result: number } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

// The floor: read the files and have the yaml package produce JS objects, nothing else.
const bareParse = () => {
  let docs = 0;
  for (const f of files) {
    for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
      if (d.toJS() != null) docs++;
    }
  }
  return docs;
};
const fullScan = () => {
  const r = scan({ paths: [dir], cwd: dir, configFile: false });
  return r.summary.resources * 1_000_000 + r.findings.length;
};

// Warm up the JIT once for each, then interleave runs so both see the same machine state.
bareParse();
fullScan();
const parseTimes: number[] = [];
const scanTimes: number[] = [];
let objects = 0;
let findings = 0;
for (let i = 0; i < RUNS; i++) {
  parseTimes.push(time(bareParse).ms);
  const s = time(fullScan);
  scanTimes.push(s.ms);
  objects = Math.floor(s.result / 1_000_000);
  findings = s.result % 1_000_000;
}
const rss = process.resourceUsage().maxRSS / 1024;
const p = median(parseTimes);
const s = median(scanTimes);
const mb = bytes / 1e6;
console.log(
  `corpus: ${files.length} files, ${objects} objects, ${mb.toFixed(2)} MB; ${findings} findings; median of ${RUNS} runs`,
);
console.log("");
console.log("| step | wall time | objects/s | MB/s |");
console.log("|---|---|---|---|");
console.log(
  `| yaml parse only (floor) | ${p.toFixed(0)} ms | ${((objects / p) * 1000).toFixed(0)} | ${((mb / p) * 1000).toFixed(1)} |`,
);
console.log(
  `| kubeward scan (all rules) | ${s.toFixed(0)} ms | ${((objects / s) * 1000).toFixed(0)} | ${((mb / s) * 1000).toFixed(1)} |`,
);
console.log("");
console.log(`scan / parse: ${(s / p).toFixed(2)}x; peak RSS of this process: ${rss.toFixed(0)} MB`);

// Units (issue 13): the same files as independent units, end to end through the built CLI
// (`npm run build` first): one process with --unit file (worker threads) vs one process per file
// (as many at once as there are cores), each scanning one file alone.
const cli = join(here, "..", "dist", "cli", "main.js");
const cores = availableParallelism();
const run = (args: string[]) =>
  new Promise<number>((done) => {
    const child = spawn(process.execPath, [cli, ...args, "--no-config", "--format", "json", "-o", devNull], {
      stdio: "ignore",
    });
    child.on("close", (code) => {
      done(code ?? -1);
    });
  });
async function wall(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
if (existsSync(cli)) {
  const units = await wall(() => run(["scan", dir, "--unit", "file", "--jobs", String(cores)]));
  const unitsOneThread = await wall(() => run(["scan", dir, "--unit", "file", "--jobs", "1"]));
  const oneScope = await wall(() => run(["scan", dir]));
  const perFile = await wall(async () => {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++];
        if (f !== undefined) await run(["scan", f]);
      }
    };
    await Promise.all(Array.from({ length: cores }, worker));
  });
  console.log("");
  console.log(`units, end to end (${files.length} files, ${cores} cores, one run each):`);
  console.log("");
  console.log("| how | wall time |");
  console.log("|---|---|");
  console.log(`| one process, --unit file --jobs ${cores} | ${(units / 1000).toFixed(2)} s |`);
  console.log(`| one process, --unit file --jobs 1 | ${(unitsOneThread / 1000).toFixed(2)} s |`);
  console.log(`| one process per file, ${cores} at a time | ${(perFile / 1000).toFixed(2)} s |`);
  console.log(`| one process, one scope (--unit all, for reference) | ${(oneScope / 1000).toFixed(2)} s |`);
} else {
  console.log(`\nunits: skipped (no ${cli}; run npm run build first)`);
}
