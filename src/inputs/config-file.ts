// Finding and reading `.kubeward.yaml`: `--config FILE`, else the nearest one upward from the cwd.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  EMPTY_CONFIG,
  parseConfig,
  type Config,
  type KnownRules,
  type KnownTemplates,
} from "../core/config.js";
import { UsageError } from "../core/errors.js";

export const CONFIG_NAMES = [".kubeward.yaml", ".kubeward.yml"];

export function discoverConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(
  file: string | undefined,
  knownRules: KnownRules,
  templates?: KnownTemplates,
): { config: Config; file: string | undefined } {
  if (file === undefined) return { config: EMPTY_CONFIG, file };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read config ${file}: ${(err as Error).message}`);
  }
  const { config, errors } = parseConfig(text, knownRules, templates);
  if (errors.length > 0) {
    throw new UsageError(errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}`).join("\n"));
  }
  return { config, file };
}
