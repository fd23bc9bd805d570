// Secret values never reach any output. Code frames show source lines, so the lines that hold a
// Secret's data/stringData, or a value a secret-detecting rule flagged, are printed with the value
// replaced by ****. Pure: works on the resources and findings of a scan.
import type { Finding, Resource } from "../core/types.js";
import { getIn, isRecord } from "../core/workloads.js";

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
    if ((SECRET_VALUE_RULES.has(f.ruleId) || isInvalidEnvValue(f)) && f.source !== "cluster")
      add(f.file, f.line, f.endLine ?? f.line);
  }
  return out;
}

/**
 * An env value of the wrong type (`value: 12345678`, `value: [x]`): secret-detecting rules cannot
 * read it (the field is invalid), so its line is masked whatever the variable's name.
 */
function isInvalidEnvValue(f: Finding): boolean {
  const n = f.path.length;
  return f.ruleId === "invalid-object" && n >= 3 && f.path[n - 1] === "value" && f.path[n - 3] === "env";
}

/** Values shorter than this are not searched for in messages: "3" or "no" would blank every message. */
const MIN_SECRET_LENGTH = 4;

/**
 * The secret values of a scan: every Secret data/stringData value (as written, base64-decoded, and
 * each line of a multi-line one) and every value a secret-detecting rule flagged.
 */
export function secretValues(resources: readonly Resource[], findings: Iterable<Finding>): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown, decode: boolean): void => {
    if (typeof v === "number" || typeof v === "bigint") v = String(v);
    if (typeof v !== "string") return;
    for (const part of [v, ...v.split("\n").map((l) => l.trim())]) {
      if (part.length >= MIN_SECRET_LENGTH) out.add(part);
    }
    if (decode) add(decodeBase64(v), false);
  };
  const byRef = new Map<string, Resource>();
  const refKey = (file: string, kind: string, namespace: string | undefined, name: string) =>
    `${file}\0${kind}\0${namespace ?? ""}\0${name}`;
  for (const r of resources) {
    byRef.set(refKey(r.file, r.ref.kind, r.ref.namespace, r.ref.name), r);
    if (r.ref.kind !== "Secret") continue;
    for (const field of ["data", "stringData"]) {
      const values = r.object[field];
      if (!isRecord(values)) continue;
      for (const v of Object.values(values)) add(v, field === "data");
    }
  }
  for (const f of findings) {
    if (!SECRET_VALUE_RULES.has(f.ruleId) || f.resource === undefined || f.file === undefined) continue;
    const r = byRef.get(refKey(f.file, f.resource.kind, f.resource.namespace, f.resource.name));
    if (r !== undefined) add(getIn(r.object, f.path), false);
  }
  return out;
}

/** The text of a base64 value when it decodes to printable text, else undefined. */
function decodeBase64(v: string): string | undefined {
  const compact = v.replace(/\s+/g, "");
  if (compact.length < MIN_SECRET_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    const text = atob(compact);
    // Text only (tabs and newlines allowed): binary keys and certificates' DER are not searched for.
    return /^[\t\n\r\x20-\x7e]*$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The findings with every secret value in their messages replaced by ****: a message may quote a
 * field's value (an invalid field, an image, a label) that is also a Secret's value.
 */
export function scrubFindings(findings: readonly Finding[], values: ReadonlySet<string>): Finding[] {
  const scrub = scrubberFor(values);
  if (scrub === undefined) return [...findings];
  return findings.map((f) => {
    const message = scrub(f.message);
    const noFix = f.noFix === undefined ? undefined : scrub(f.noFix);
    const description = f.fix === undefined ? undefined : scrub(f.fix.description);
    if (message === f.message && noFix === f.noFix && description === f.fix?.description) return f;
    const copy: Finding = { ...f, message };
    if (noFix !== undefined) copy.noFix = noFix;
    if (f.fix !== undefined && description !== undefined) copy.fix = { ...f.fix, description };
    return copy;
  });
}

/** A function that replaces every secret value in a text by ****; undefined when there are none. */
export function scrubberFor(values: ReadonlySet<string> | undefined): ((text: string) => string) | undefined {
  if (values === undefined || values.size === 0) return undefined;
  // Longest first, so a value that contains another is replaced whole.
  const pattern = new RegExp(
    [...values]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|"),
    "g",
  );
  return (text) => {
    pattern.lastIndex = 0;
    if (!pattern.test(text)) return text;
    pattern.lastIndex = 0;
    return text.replace(pattern, MASK);
  };
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
