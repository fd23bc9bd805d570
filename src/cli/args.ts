// Argument parsing on node:util parseArgs, with unknown flags turned into usage errors.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
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

/** The `--format F [-o FILE]` pairs of a command line, in order; a bare -o writes `fallback`. */
export function pairOutputs(
  tokens: readonly { kind: string; name?: string; value?: string | undefined }[],
  known: readonly string[],
  fallback = "stylish",
): { format: string; file: string | undefined }[] {
  const outputs: { format: string; file: string | undefined }[] = [];
  for (const t of tokens) {
    if (t.kind !== "option" || t.value === undefined) continue;
    if (t.name === "format") {
      if (!known.includes(t.value))
        throw new UsageError(`unknown format "${t.value}" (expected ${known.join(", ")})`);
      outputs.push({ format: t.value, file: undefined });
    } else if (t.name === "output") {
      const last = outputs.at(-1);
      if (last !== undefined && last.file === undefined) last.file = t.value;
      else outputs.push({ format: fallback, file: t.value });
    }
  }
  if (outputs.length === 0) outputs.push({ format: fallback, file: undefined });
  return outputs;
}

/** `--config FILE` / `--no-config` as resolveConfig's options (FILE relative to `cwd`). */
export function configFileOption(
  values: { config?: string | undefined; "no-config"?: boolean | undefined },
  cwd: string,
): { cwd: string; configFile?: string | false } {
  if (values["no-config"] === true) return { cwd, configFile: false };
  return values.config !== undefined ? { cwd, configFile: resolve(cwd, values.config) } : { cwd };
}
