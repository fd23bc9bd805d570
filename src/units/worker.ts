// A worker thread of the unit pool: scans the units it is sent, one at a time, and posts each result.
import { parentPort, workerData } from "node:worker_threads";
import { scan, type ScanOptions } from "../api.js";
import { InputError, UsageError } from "../core/errors.js";
import type { UnitRequest, UnitReply } from "./pool.js";

const base = workerData as ScanOptions;
const port = parentPort;
port?.on("message", (m: UnitRequest) => {
  let reply: UnitReply;
  try {
    const r = scan({ ...base, paths: m.paths });
    reply = {
      i: m.i,
      part: { findings: r.findings, suppressed: r.suppressed, summary: r.summary, texts: r.texts },
    };
  } catch (err) {
    const kind = err instanceof InputError ? "input" : err instanceof UsageError ? "usage" : "internal";
    reply = { i: m.i, error: { kind, message: (err as Error).message } };
  }
  port.postMessage(reply);
});
