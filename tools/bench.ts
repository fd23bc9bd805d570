// Benchmark of the static scan hot loop on the rendered corpus (not a timed test).
// Usage: npm run bench [-- DIR] (default ../shared/corpus/mycharts/rendered). Prints a Markdown table.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, devNull, loadavg } from "node:os";
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
// (`npm run build` first): one process with --unit file (on all cores, and on one thread) vs one
// process per file (as many at once as there are cores), each scanning one file alone. The ways are
// run in turn, UNIT_RUNS times (default 3), so that each sees the same machine; the table gives the
// median wall time and, where /usr/bin/time exists, the median CPU time (user + system, children
// included): on a machine shared with other work, CPU time shows the cost that wall time hides.
const cli = join(here, "..", "dist", "cli", "main.js");
const cores = availableParallelism();
const UNIT_RUNS = Number(process.env["UNIT_RUNS"] ?? 3);
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
interface Cost {
  wall: number;
  cpu: number | undefined;
}
const run = (args: string[]) =>
  new Promise<number | undefined>((done) => {
    const argv = [cli, ...args, "--no-config", "--format", "json", "-o", devNull];
    const child = timeBin
      ? spawn(timeBin, ["-f", "%U %S", process.execPath, ...argv], { stdio: ["ignore", "ignore", "pipe"] })
      : spawn(process.execPath, argv, { stdio: "ignore" });
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", () => {
      const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(err);
      done(m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined);
    });
  });
async function cost(fn: () => Promise<(number | undefined)[]>): Promise<Cost> {
  const t0 = performance.now();
  const cpus = await fn();
  const wall = performance.now() - t0;
  const cpu = cpus.every((c) => c !== undefined) ? cpus.reduce((n, c) => n + c, 0) : undefined;
  return { wall, cpu };
}
const ways: [string, () => Promise<(number | undefined)[]>][] = [
  [
    `one process, \`--unit file --jobs ${cores}\``,
    async () => [await run(["scan", dir, "--unit", "file", "--jobs", String(cores)])],
  ],
  [
    "one process, `--unit file --jobs 1`",
    async () => [await run(["scan", dir, "--unit", "file", "--jobs", "1"])],
  ],
  [
    `one process per file, ${cores} at a time`,
    async () => {
      let next = 0;
      const cpus: (number | undefined)[] = [];
      const worker = async () => {
        while (next < files.length) {
          const f = files[next++];
          if (f !== undefined) cpus.push(await run(["scan", f]));
        }
      };
      await Promise.all(Array.from({ length: cores }, worker));
      return cpus;
    },
  ],
  ["one process, one scope (`--unit all`, for reference)", async () => [await run(["scan", dir])]],
];
if (existsSync(cli)) {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  const before = load();
  const costs: Cost[][] = ways.map(() => []);
  for (let r = 0; r < UNIT_RUNS; r++)
    for (const [k, [, fn]] of ways.entries()) costs[k]?.push(await cost(fn));
  const ms = (x: number | undefined) => (x === undefined ? "–" : `${(x / 1000).toFixed(2)} s`);
  console.log("");
  console.log(
    `units, end to end (${files.length} files, ${cores} cores, median of ${UNIT_RUNS} runs; load average ${before} before, ${load()} after):`,
  );
  console.log("");
  console.log("| how | wall time | CPU time |");
  console.log("|---|---|---|");
  for (const [k, [name]] of ways.entries()) {
    const c = costs[k] ?? [];
    const cpus = c.map((x) => x.cpu);
    const cpu = cpus.every((x) => x !== undefined) ? median(cpus) : undefined;
    console.log(`| ${name} | ${ms(median(c.map((x) => x.wall)))} | ${ms(cpu)} |`);
  }
} else {
  console.log(`\nunits: skipped (no ${cli}; run npm run build first)`);
}
