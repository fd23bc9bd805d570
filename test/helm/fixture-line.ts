// 1-based line numbers of fixture files, for tests that check where a finding points.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "fixtures");

/** 1-based line of the first line of `file` (under test/helm/fixtures) containing `needle`. */
export function fixtureLine(file: string, needle: string): number {
  const i = readFileSync(join(FIXTURES, file), "utf8")
    .split("\n")
    .findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}
