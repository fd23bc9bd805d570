// Scanning by units (issue 13): every unit is scanned as `scan()` scans it alone, and the results are
// merged. With `jobs` N > 1 the main thread and N - 1 worker threads share one queue, largest units
// first: each worker is started once and kept fed with a few units ahead (so it never waits for the
// main thread), and takes the largest unit left; the main thread, between handing out units, scans
// the smallest one left itself (so it is never blocked long and never waits for a worker to start).
// Results come back unit by unit as plain data: findings, counts, and only the texts and secret
// lines that the chosen reports need (see `texts`).
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { resolveConfig, resultOf, scan, type ScanOptions, type ScanResult } from "../api.js";
import { InputError, UsageError } from "../core/errors.js";
import { mergeParts, partOf, type ResultPart, type TextsKept } from "./merge.js";
import { assignShards, type Shard } from "./shard.js";
import { listUnits, type Unit, type UnitKind } from "./units.js";

export interface UnitScanOptions {
  unit: UnitKind;
  /** Threads that scan (default: see defaultJobs); 1 scans in this thread only. */
  jobs?: number;
  /** Scan only this shard's share of the units. */
  shard?: Shard;
  /** Called after each unit with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Source texts the result keeps (default `findings`; `none` when no report shows code frames). */
  texts?: TextsKept;
  /** The main thread scans units too (default); false leaves all scanning to the workers. */
  mainThread?: boolean;
}

export interface UnitRequest {
  units: { i: number; paths: string[] }[];
}
export type UnitReply =
  | { i: number; part: ResultPart; error?: undefined }
  | { i: number; part?: undefined; error: { kind: "input" | "usage" | "internal"; message: string } };

/** The data a worker needs: the scan options without functions, and what to send back. */
export interface WorkerSetup {
  options: ScanOptions;
  texts: TextsKept;
}

/** The units a scan by `unit` (and `shard`) covers, in key order. */
export function unitsOf(
  options: ScanOptions,
  unit: UnitKind,
  shard?: Shard,
): { units: Unit[]; problems: ScanResult } {
  const { config, file } = resolveConfig(options);
  const cwd = options.cwd ?? process.cwd();
  const list = listUnits(options.paths, unit, {
    cwd,
    ignore: [...config.ignorePaths, ...(options.ignore ?? [])],
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
  });
  let units = list.units;
  // Problems met while walking belong to no unit: the first shard reports them, once.
  const problems = resultOf(
    {
      resources: [],
      findings: shard === undefined || shard.index === 0 ? list.problems : [],
      skipped: 0,
      texts: new Map(),
      files: 0,
    },
    options,
    config,
    file,
  );
  if (shard !== undefined) {
    const owner = assignShards(units, shard.count);
    units = units.filter((_, i) => owner[i] === shard.index);
  }
  return { units, problems };
}

/**
 * Input that repays one more scanning thread. A thread's fixed cost is its start-up and warm-up: a
 * worker loads the modules (about 0.4 s of CPU) and its first units run on cold code (about 1.5 s
 * more CPU than on warm code), which about 2 MiB of manifests, scanned in parallel, win back.
 */
export const BYTES_PER_THREAD = 2 * 1024 * 1024;

/** A chart or kustomization is rendered by an external tool (helm, kustomize): it counts as 1 MiB. */
const RENDER_WEIGHT = 1024 * 1024;
const weight = (u: Unit | undefined) =>
  u === undefined ? 0 : u.size + (u.rendered === true ? RENDER_WEIGHT : 0);

/** The default number of scanning threads: the cores, but no more than the work repays. */
export function defaultJobs(units: readonly Unit[], cores = availableParallelism()): number {
  const work = units.reduce((n, u) => n + weight(u), 0);
  return Math.max(1, Math.min(cores, Math.floor(work / BYTES_PER_THREAD)));
}

export async function scanUnits(options: ScanOptions, unitOptions: UnitScanOptions): Promise<ScanResult> {
  const { config, file } = resolveConfig(options);
  // Progress is counted in units here, not in each unit's files.
  const base: ScanOptions = { ...options, config };
  delete base.onProgress;
  const { units, problems } = unitsOf(base, unitOptions.unit, unitOptions.shard);
  const { parts } = await runUnits(units, base, unitOptions);
  return { ...mergeParts([problems, ...parts], problems), configFile: file };
}

/** Scans `units` (each alone) and gives their parts in the order of `units`; `byWorker` counts the units workers scanned. */
export async function runUnits(
  units: readonly Unit[],
  base: ScanOptions,
  o: Omit<UnitScanOptions, "unit" | "shard">,
): Promise<{ parts: ResultPart[]; byWorker: number }> {
  const texts = o.texts ?? "findings";
  const mainThread = o.mainThread !== false;
  // Custom rules and stdin are functions: they cannot cross to a worker thread (onProgress stays here).
  const inlineOnly = base.rules !== undefined || base.stdin !== undefined;
  const jobs = inlineOnly ? 1 : Math.max(1, Math.min(o.jobs ?? defaultJobs(units), units.length));
  const workers = mainThread ? jobs - 1 : jobs;
  const parts = new Array<ResultPart>(units.length);
  // The queue, largest unit first (ties in key order); workers take from the front, the main thread from the back.
  const queue = units.map((_, i) => i).sort((a, b) => weight(units[b]) - weight(units[a]) || a - b);
  let done = 0;
  const finished = () => {
    done++;
    o.onProgress?.(done, units.length);
  };
  const scanHere = (i: number) => {
    parts[i] = partOf(scan({ ...base, paths: units[i]?.paths ?? [] }), texts);
    finished();
  };
  if (workers < 1 || (mainThread && units.length < 2)) {
    for (const i of queue) scanHere(i);
    return { parts, byWorker: 0 };
  }
  const pool = startWorkers(base, texts, workers);
  let byWorker = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const check = () => {
        if (!failed && done === units.length) resolve();
      };
      pool.onReply = (w, reply) => {
        if (reply.error !== undefined) {
          fail(errorOf(reply.error));
          return;
        }
        parts[reply.i] = reply.part;
        byWorker++;
        finished();
        pool.outstanding.set(w, (pool.outstanding.get(w) ?? 1) - 1);
        feed(w);
        check();
      };
      pool.onError = fail;
      // Each worker keeps PREFETCH units in hand: it starts the next as soon as it posts a result.
      const feed = (w: Worker) => {
        const batch: { i: number; paths: string[] }[] = [];
        let held = pool.outstanding.get(w) ?? 0;
        while (held < PREFETCH && queue.length > 0) {
          const i = queue.shift() ?? 0;
          batch.push({ i, paths: units[i]?.paths ?? [] });
          held++;
        }
        pool.outstanding.set(w, held);
        if (batch.length > 0) w.postMessage({ units: batch } satisfies UnitRequest);
      };
      for (const w of pool.workers) feed(w);
      if (!mainThread) return;
      // The main thread scans the smallest unit left, then lets replies in (and the workers be fed).
      const step = () => {
        if (failed) return;
        const i = queue.pop();
        if (i === undefined) {
          check();
          return;
        }
        try {
          scanHere(i);
        } catch (err) {
          fail(err as Error);
          return;
        }
        setImmediate(step);
      };
      setImmediate(step);
    });
  } finally {
    pool.stop();
  }
  return { parts, byWorker };
}

/** Units a worker holds at once: one to scan, one to start right after without waiting. */
const PREFETCH = 2;

function errorOf(e: { kind: "input" | "usage" | "internal"; message: string }): Error {
  return e.kind === "input"
    ? new InputError(e.message)
    : e.kind === "usage"
      ? new UsageError(e.message)
      : new Error(e.message);
}

interface Pool {
  workers: Worker[];
  outstanding: Map<Worker, number>;
  onReply: (w: Worker, reply: UnitReply) => void;
  onError: (err: Error) => void;
  stop: () => void;
}

function workerEntry(): { code: string; eval: true } | { url: URL; eval: false } {
  if (!import.meta.url.endsWith(".ts")) return { url: new URL("./worker.js", import.meta.url), eval: false };
  // Running from the TypeScript sources (tests, tsx): the worker registers tsx before loading them.
  const api = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
    /\.cjs$/,
    ".mjs",
  );
  const worker = new URL("./worker.ts", import.meta.url).href;
  return {
    eval: true,
    code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`,
  };
}

function startWorkers(base: ScanOptions, texts: TextsKept, count: number): Pool {
  // Only data crosses to the workers: a plain copy of the environment, no functions.
  const data: ScanOptions = { ...base };
  delete data.stdin;
  delete data.rules;
  delete data.onProgress;
  const options: ScanOptions = {
    ...data,
    ...(base.helm !== undefined
      ? { helm: { ...base.helm, ...(base.helm.env ? { env: { ...base.helm.env } } : {}) } }
      : {}),
  };
  const workerData: WorkerSetup = { options, texts };
  const entry = workerEntry();
  let stopped = false;
  const pool: Pool = {
    workers: [],
    outstanding: new Map(),
    onReply: () => undefined,
    onError: () => undefined,
    stop: () => {
      stopped = true;
      for (const w of pool.workers) void w.terminate();
    },
  };
  for (let k = 0; k < count; k++) {
    const w = entry.eval
      ? new Worker(entry.code, { eval: true, workerData })
      : new Worker(entry.url, { workerData });
    pool.workers.push(w);
    w.on("message", (reply: UnitReply) => {
      pool.onReply(w, reply);
    });
    w.on("error", (err) => {
      pool.onError(err);
    });
    w.on("exit", (code) => {
      if (!stopped) pool.onError(new Error(`a scan worker stopped (exit code ${code})`));
    });
  }
  return pool;
}
