// Argument parsing on node:util parseArgs, with unknown flags turned into usage errors.
import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.js";

export { parseArgs };

/** Run a parseArgs call, turning its TypeErrors (unknown flag, missing value) into usage errors. */
export function usage<T>(parseCall: () => T): T {
  try {
    return parseCall();
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}
