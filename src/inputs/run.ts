// Running external tools (helm, kustomize) with a timeout, several at once, from synchronous code.
// The scan API is synchronous, so parallel runs happen in a worker thread that spawns the processes;
// the caller blocks on Atomics.wait until the worker has collected every result.
import { spawnSync } from "node:child_process";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";

export interface Job {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Kill the tool once its stdout is larger (rendered output counts against the file-size limit). */
  maxOutputBytes?: number;
}

export interface JobResult {
  /** Exit status, or null when killed or not started. */
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Killed because stdout went over `maxOutputBytes`. */
  tooLarge?: boolean;
}

/** A size limit for messages: `32 MiB`, `200 bytes`. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${String(bytes / 1024 / 1024)} MiB`
    : `${String(bytes)} bytes`;
}

const WORKER = `
const { workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const { jobs, concurrency, shared, port } = workerData;
const results = new Array(jobs.length);
let next = 0;
function start() {
  if (next >= jobs.length) return;
  const i = next++;
  const j = jobs[i];
  const out = [], err = [];
  let timedOut = false, tooLarge = false, settled = false, child, size = 0;
  const settle = (status) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    results[i] = { status: tooLarge ? null : status, stdout: tooLarge ? "" : Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut, ...(tooLarge ? { tooLarge } : {}) };
    // Each result goes out as soon as it is ready, so the caller can parse while others render.
    port.postMessage({ i, r: results[i] });
    Atomics.add(shared, 0, 1);
    Atomics.notify(shared, 0);
    start();
  };
  const timer = setTimeout(() => { timedOut = true; if (child) child.kill("SIGKILL"); }, j.timeoutMs);
  try {
    child = spawn(j.command, j.args, { env: j.env, cwd: j.cwd, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) { err.push(Buffer.from(String(e && e.message))); settle(null); return; }
  child.stdout.on("data", (d) => {
    if (tooLarge) return;
    size += d.length;
    if (j.maxOutputBytes !== undefined && size > j.maxOutputBytes) { tooLarge = true; out.length = 0; child.kill("SIGKILL"); return; }
    out.push(d);
  });
  child.stderr.on("data", (d) => err.push(d));
  child.on("error", (e) => { err.push(Buffer.from(String(e && e.message))); settle(null); });
  child.on("close", (code) => settle(code));
}
for (let k = 0; k < Math.min(concurrency, jobs.length); k++) start();
`;

function runOne(job: Job): JobResult {
  const r = spawnSync(job.command, job.args, {
    env: job.env,
    cwd: job.cwd,
    timeout: job.timeoutMs,
    killSignal: "SIGKILL",
    encoding: "utf8",
    maxBuffer: job.maxOutputBytes ?? 1024 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  const timedOut = code === "ETIMEDOUT";
  if (code === "ENOBUFS")
    return { status: null, stdout: "", stderr: r.stderr, timedOut: false, tooLarge: true };
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.error !== undefined && !timedOut ? `${r.stderr}${r.error.message}` : r.stderr,
    timedOut,
  };
}

/**
 * Runs the jobs, at most `concurrency` at a time (default: the number of cores). `onResult` is called
 * for each job as it finishes (in completion order); the returned array is in job order.
 */
export function runJobs(
  jobs: readonly Job[],
  concurrency = availableParallelism(),
  onResult?: (index: number, result: JobResult) => void,
): JobResult[] {
  if (jobs.length === 0) return [];
  if (jobs.length === 1 || concurrency <= 1) {
    return jobs.map((job, i) => {
      const r = runOne(job);
      onResult?.(i, r);
      return r;
    });
  }
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { jobs, concurrency, shared, port: port2 },
    transferList: [port2],
  });
  const results: (JobResult | undefined)[] = new Array<JobResult | undefined>(jobs.length);
  try {
    // Bounded even if the worker dies: every job has its own timeout.
    const bound = Math.max(...jobs.map((j) => j.timeoutMs)) * Math.ceil(jobs.length / concurrency) + 10_000;
    const deadline = Date.now() + bound;
    let received = 0;
    while (received < jobs.length && Date.now() < deadline) {
      const msg = receiveMessageOnPort(port1);
      if (msg === undefined) {
        Atomics.wait(shared, 0, received, Math.max(1, deadline - Date.now()));
        continue;
      }
      const { i, r } = msg.message as { i: number; r: JobResult };
      results[i] = r;
      received++;
      onResult?.(i, r);
    }
    return results.map(
      (r) =>
        r ?? { status: null, stdout: "", stderr: "the tool runner stopped without a result", timedOut: true },
    );
  } finally {
    port1.close();
    void worker.terminate();
  }
}
