// Scanning by units (issue 13): every unit is scanned as `scan()` scans it alone, in worker threads
// (`jobs` at a time, each worker taking the next unit when it is done), and the results are merged.
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { resolveConfig, resultOf, scan, type ScanOptions, type ScanResult } from "../api.js";
import { InputError, UsageError } from "../core/errors.js";
import { mergeParts, type ResultPart } from "./merge.js";
import { assignShards, type Shard } from "./shard.js";
import { listUnits, type Unit, type UnitKind } from "./units.js";

export interface UnitScanOptions {
  unit: UnitKind;
  /** Worker threads (default: see defaultJobs); 1 scans in this thread. */
  jobs?: number;
  /** Scan only this shard's share of the units. */
  shard?: Shard;
  /** Called after each unit with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface UnitRequest {
  i: number;
  paths: string[];
}
export type UnitReply =
  | { i: number; part: ResultPart; error?: undefined }
  | { i: number; part?: undefined; error: { kind: "input" | "usage" | "internal"; message: string } };

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
 * Work that pays for one worker thread: each worker loads and warms up the rules again (about half
 * a second), which a few megabytes of manifests do not repay; a rendered unit counts as 1 MiB.
 */
export const BYTES_PER_WORKER = 4 * 1024 * 1024;

/** The default number of worker threads: the cores, but no more than the work repays. */
export function defaultJobs(units: readonly Unit[], cores = availableParallelism()): number {
  const work = units.reduce((n, u) => n + u.size + (u.rendered === true ? 1024 * 1024 : 0), 0);
  return Math.max(1, Math.min(cores, Math.floor(work / BYTES_PER_WORKER)));
}

export async function scanUnits(options: ScanOptions, unitOptions: UnitScanOptions): Promise<ScanResult> {
  const { config, file } = resolveConfig(options);
  const base: ScanOptions = { ...options, config };
  const { units, problems } = unitsOf(base, unitOptions.unit, unitOptions.shard);
  const jobs = Math.max(1, Math.min(unitOptions.jobs ?? defaultJobs(units), units.length));
  // Custom rules and stdin are functions: they cannot cross to a worker thread.
  const inline = jobs <= 1 || options.rules !== undefined || options.stdin !== undefined;
  const parts = inline
    ? scanInline(units, base, unitOptions.onProgress)
    : await scanInWorkers(units, base, jobs, unitOptions.onProgress);
  return { ...mergeParts([problems, ...parts], problems), configFile: file };
}

function scanInline(
  units: readonly Unit[],
  base: ScanOptions,
  onProgress?: (d: number, t: number) => void,
): ResultPart[] {
  return units.map((u, i) => {
    const r = scan({ ...base, paths: u.paths });
    onProgress?.(i + 1, units.length);
    return r;
  });
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

function scanInWorkers(
  units: readonly Unit[],
  base: ScanOptions,
  jobs: number,
  onProgress?: (d: number, t: number) => void,
): Promise<ResultPart[]> {
  // Only data crosses to the workers: a plain copy of the environment, no functions.
  const data: ScanOptions = { ...base };
  delete data.stdin;
  delete data.rules;
  const workerData: ScanOptions = {
    ...data,
    ...(base.helm !== undefined
      ? { helm: { ...base.helm, ...(base.helm.env ? { env: { ...base.helm.env } } : {}) } }
      : {}),
  };
  const entry = workerEntry();
  const parts = new Array<ResultPart>(units.length);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = () => {
      for (const w of workers) void w.terminate();
    };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      stop();
      reject(err);
    };
    const feed = (w: Worker) => {
      const unit = units[next];
      if (unit === undefined) return;
      w.postMessage({ i: next++, paths: unit.paths } satisfies UnitRequest);
    };
    for (let k = 0; k < jobs; k++) {
      const w = entry.eval
        ? new Worker(entry.code, { eval: true, workerData })
        : new Worker(entry.url, { workerData });
      workers.push(w);
      w.on("message", (reply: UnitReply) => {
        if (reply.error !== undefined) {
          const { kind, message } = reply.error;
          fail(
            kind === "input"
              ? new InputError(message)
              : kind === "usage"
                ? new UsageError(message)
                : new Error(message),
          );
          return;
        }
        parts[reply.i] = reply.part;
        done++;
        onProgress?.(done, units.length);
        if (done === units.length) {
          stop();
          resolve(parts);
        } else feed(w);
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        if (done < units.length && code !== 0) fail(new Error(`a scan worker stopped (exit code ${code})`));
      });
      feed(w);
    }
  });
}
