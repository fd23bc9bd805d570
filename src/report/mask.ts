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

/**
 * A function that replaces every secret value in a text by ****; undefined when there are none.
 * Leftmost match first and, at one position, the longest value (as a regular expression of the
 * values, longest first, would), but found through an index: values by a hash of their first
 * characters, then by length. At each position of the text, only the lengths of values that share
 * its first characters are tried, each with one set lookup; the cost does not grow with the number
 * of values (a scan by units scrubs every finding with the values of every unit, thousands of them).
 */
export function scrubberFor(values: ReadonlySet<string> | undefined): ((text: string) => string) | undefined {
  if (values === undefined) return undefined;
  interface Bucket {
    byLength: Map<number, Set<string>>;
    /** The lengths in byLength, longest first. */
    lengths: number[];
  }
  const byPrefix = new Map<number, Bucket>();
  const prefixLengths = new Set<number>();
  // A first filter: the (low bytes of the) first two characters of some value; a position whose
  // pair is not marked starts no value. Values of one character turn it off.
  let pairs: Uint8Array | undefined = new Uint8Array(65536);
  for (const v of values) {
    if (v === "") continue;
    if (v.length === 1) pairs = undefined;
    else if (pairs !== undefined) pairs[pairOf(v, 0)] = 1;
    const n = Math.min(v.length, MIN_SECRET_LENGTH);
    const key = prefixHash(v, 0, n);
    let bucket = byPrefix.get(key);
    if (bucket === undefined) byPrefix.set(key, (bucket = { byLength: new Map(), lengths: [] }));
    const same = bucket.byLength.get(v.length);
    if (same === undefined) bucket.byLength.set(v.length, new Set([v]));
    else same.add(v);
    prefixLengths.add(n);
  }
  if (byPrefix.size === 0) return undefined;
  for (const b of byPrefix.values()) b.lengths = [...b.byLength.keys()].sort((x, y) => y - x);
  const lengths = [...prefixLengths];
  // The length of the longest value that starts at `at`, or 0.
  const matchAt = (text: string, at: number): number => {
    let best = 0;
    for (const n of lengths) {
      if (at + n > text.length) continue;
      const bucket = byPrefix.get(prefixHash(text, at, n));
      if (bucket === undefined) continue;
      for (const len of bucket.lengths) {
        if (len <= best) break;
        if (at + len <= text.length && bucket.byLength.get(len)?.has(text.slice(at, at + len)) === true) {
          best = len;
          break;
        }
      }
    }
    return best;
  };
  const scrubText = (text: string): string => {
    let out = "";
    let from = 0;
    for (let at = 0; at < text.length;) {
      const len = matchAt(text, at);
      if (len === 0) {
        at++;
        continue;
      }
      out += text.slice(from, at) + MASK;
      at += len;
      from = at;
    }
    return from === 0 ? text : out + text.slice(from);
  };
  // Messages repeat (one rule's message for the same name in many units): each is scrubbed once.
  const memo = new Map<string, string>();
  return (text) => {
    let scrubbed = memo.get(text);
    if (scrubbed === undefined) {
      scrubbed = scrubText(text);
      if (memo.size < MEMO_LIMIT) memo.set(text, scrubbed);
    }
    return scrubbed;
  };
}

/** Texts a scrubber remembers (about 100 bytes each). */
const MEMO_LIMIT = 50_000;

/** The low bytes of the characters at `at` and after it (NaN past the end counts as 0). */
function pairOf(text: string, at: number): number {
  return ((text.charCodeAt(at) & 255) << 8) | (text.charCodeAt(at + 1) & 255);
}

function prefixHash(text: string, at: number, n: number): number {
  let h = n;
  for (let k = at; k < at + n; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
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
