// Throughput of `scan --unit file --jobs N` on an estate of the shape (issue 13 item 2: 5,138
// rendered charts, one file each, 153 MB), end to end through the built CLI (`npm run build` first).
// Without DIR it generates the estate from the corpus renders (tools/gen-estate.ts) in a temporary
// directory and removes it afterwards. For each N (default 1 and the number of cores) it prints the
// wall time and, on Linux, the CPU time (user + system) of the process and of each of its threads,
// read from /proc every 0.2 s: the main thread, the busiest other threads (the scanning workers) and
// the rest (V8's garbage-collector and compiler helpers). On a shared machine the CPU times are the
// comparable cost; the load average is printed before and after.
// Usage: npx tsx tools/bench-estate.ts [DIR] [--jobs 1,2] [--files N] [--mb MB]
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, devNull, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { genEstate } from "./gen-estate.js";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const cli = join(import.meta.dirname, "..", "dist", "cli", "main.js");
if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
const given = args[0] !== undefined && !args[0].startsWith("--") ? args[0] : undefined;
const jobsList = (flag("--jobs") ?? `1,${availableParallelism()}`).split(",").map(Number);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const TICK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux.

/** CPU seconds of each thread of `pid` (utime + stime), or undefined without /proc. */
function threadTimes(pid: number): Map<number, number> | undefined {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return undefined;
  const out = new Map<number, number>();
  for (const tid of readdirSync(dir)) {
    try {
      const stat = readFileSync(join(dir, tid, "stat"), "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICK);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

interface Run {
  wall: number;
  /** CPU seconds by thread id, as last sampled before the thread ended. */
  threads: Map<number, number>;
  pid: number;
  code: number | null;
}

function run(dir: string, jobs: number): Promise<Run> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        cli,
        "scan",
        dir,
        "--unit",
        "file",
        "--jobs",
        String(jobs),
        "--no-config",
        "--format",
        "json",
        "-o",
        devNull,
      ],
      { stdio: "ignore" },
    );
    const pid = child.pid ?? 0;
    const threads = new Map<number, number>();
    // The last reading of each thread before it ends (a thread's time only grows).
    const sample = () => {
      for (const [tid, s] of threadTimes(pid) ?? []) threads.set(tid, Math.max(s, threads.get(tid) ?? 0));
    };
    const timer = setInterval(sample, 200);
    child.on("exit", (code) => {
      clearInterval(timer);
      done({ wall: (performance.now() - t0) / 1000, threads, pid, code });
    });
  });
}

const dir = given ?? mkdtempSync(join(tmpdir(), "kubeward-estate-"));
try {
  if (given === undefined) {
    const files = flag("--files");
    const mb = flag("--mb");
    const r = genEstate(dir, {
      ...(files !== undefined ? { files: Number(files) } : {}),
      ...(mb !== undefined ? { mb: Number(mb) } : {}),
    });
    console.log(`estate: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB, ${r.objects} documents`);
  }
  console.log("");
  console.log(
    "| how | wall time | CPU time (all threads) | main thread | scanning workers | other threads (V8 helpers) | load average before → after |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const jobs of jobsList) {
    const before = load();
    const r = await run(dir, jobs);
    const main = r.threads.get(r.pid) ?? 0;
    const others = [...r.threads]
      .filter(([tid]) => tid !== r.pid)
      .map(([, s]) => s)
      .sort((a, b) => b - a);
    const workers = others.slice(0, jobs - 1);
    const helpers = others.slice(jobs - 1).reduce((n, s) => n + s, 0);
    const s = (x: number) => `${x.toFixed(1)} s`;
    console.log(
      `| \`--unit file --jobs ${jobs}\` | ${s(r.wall)} | ${r.threads.size > 0 ? s([...r.threads.values()].reduce((n, x) => n + x, 0)) : "–"} | ${s(main)} | ${workers.length > 0 ? workers.map(s).join(", ") : "–"} | ${s(helpers)} | ${before} → ${load()} |`,
    );
    if (r.code !== 0 && r.code !== 1) console.log(`(exit code ${r.code})`);
  }
} finally {
  if (given === undefined) rmSync(dir, { recursive: true, force: true });
}
