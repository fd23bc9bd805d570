// Secret values never reach any output. Code frames show source lines, so the lines that hold a
// Secret's data/stringData, or a value a secret-detecting rule flagged, are printed with the value
// replaced by ****. Pure: works on the resources and findings of a scan.
import type { Finding, Resource } from "../core/types.js";

/** Rules that report a plain-text credential: the value at the finding's location is a secret. */
export const SECRET_VALUE_RULES: ReadonlySet<string> = new Set([
  "hardcoded-secret-in-env",
  "configmap-secret",
]);

export const MASK = "****";

/** Lines (1-based, by file) whose values must not be printed. */
export type SecretLines = ReadonlyMap<string, ReadonlySet<number>>;

export function secretLines(resources: readonly Resource[], findings: Iterable<Finding>): SecretLines {
  const out = new Map<string, Set<number>>();
  const add = (file: string, from: number, to: number) => {
    let set = out.get(file);
    if (set === undefined) out.set(file, (set = new Set()));
    for (let n = from; n <= Math.max(from, to); n++) set.add(n);
  };
  for (const r of resources) {
    if (r.ref.kind !== "Secret") continue;
    for (const field of ["data", "stringData"]) {
      if (r.object[field] === undefined) continue;
      const { loc, exact } = r.source.locate([field]);
      if (exact) add(loc.file, loc.line, loc.endLine ?? loc.line);
    }
  }
  for (const f of findings) {
    // Cluster findings have no file lines (and live Secrets are read without their values).
    if (SECRET_VALUE_RULES.has(f.ruleId) && f.source !== "cluster") add(f.file, f.line, f.endLine ?? f.line);
  }
  return out;
}

/** A kind: Secret anywhere in the text: frames of input errors in it show no values at all. */
export function mentionsSecret(text: string): boolean {
  return /^\s*["']?kind["']?\s*:\s*["']?Secret\b/m.test(text);
}

const KEY_VALUE = /^(\s*(?:-\s+)*(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^:#]*?)\s*:)(\s+)\S/;

/** The line with its value replaced: `  password: ****`; a line with no key keeps only its indentation. */
export function maskLine(line: string): string {
  const m = KEY_VALUE.exec(line);
  if (m?.[1] !== undefined && m[2] !== undefined) return `${m[1]}${m[2]}${MASK}`;
  const indent = /^\s*(?:-\s+)?/.exec(line)?.[0] ?? "";
  // A key that opens a block (`data:`) has no value on its line.
  if (/^\s*(?:-\s+)?[^\s#][^#]*:\s*(#.*)?$/.test(line) || line.trim() === "") return line;
  return `${indent}${MASK}`;
}
