// A worker thread of the unit pool: scans the units it is sent, one at a time, and posts each result
// as soon as it has it (the next unit is already waiting in its message queue).
import { parentPort, workerData } from "node:worker_threads";
import { scan } from "../api.js";
import { InputError, UsageError } from "../core/errors.js";
import { partOf } from "./merge.js";
import type { UnitRequest, UnitReply, WorkerSetup } from "./pool.js";

const { options, texts } = workerData as WorkerSetup;
const port = parentPort;
port?.on("message", (m: UnitRequest) => {
  for (const unit of m.units) {
    let reply: UnitReply;
    try {
      reply = { i: unit.i, part: partOf(scan({ ...options, paths: unit.paths }), texts) };
    } catch (err) {
      const kind = err instanceof InputError ? "input" : err instanceof UsageError ? "usage" : "internal";
      reply = { i: unit.i, error: { kind, message: (err as Error).message } };
    }
    port.postMessage(reply);
  }
});
