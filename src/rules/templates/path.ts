// Field paths as users write them in template options: `securityContext.privileged`,
// `ports[*].hostPort`, `metadata.annotations["example.com/owner"]`, `volumes[*].hostPath.path`.
// `*` (as a segment or `[*]`) stands for every item of a list or every value of a mapping.
// Pure: no I/O.
import type { Path } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";

export const ANY = Symbol("any");
export type PatternSegment = string | number | typeof ANY;

/** The parsed path, or a message saying what is wrong with it. */
export function parseFieldPath(text: string): PatternSegment[] | string {
  const out: PatternSegment[] = [];
  let i = 0;
  const n = text.length;
  if (text.trim() === "") return "the path is empty";
  while (i < n) {
    const ch = text[i];
    if (ch === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) return `unclosed \`[\` at character ${i + 1}`;
      const inner = text.slice(i + 1, close).trim();
      if (inner === "*") out.push(ANY);
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^"[^"]*"$/.test(inner) || /^'[^']*'$/.test(inner)) out.push(inner.slice(1, -1));
      else return `\`[${inner}]\` must be \`[*]\`, an index like \`[0]\` or a quoted key like \`["a.b/c"]\``;
      i = close + 1;
      if (text[i] === ".") {
        i++;
        if (i >= n) return "the path ends with `.`";
      }
      continue;
    }
    let j = i;
    while (j < n && text[j] !== "." && text[j] !== "[") j++;
    const key = text.slice(i, j);
    if (key === "") return `an empty key at character ${i + 1}`;
    out.push(key === "*" ? ANY : key);
    i = j;
    if (text[i] === ".") {
      i++;
      if (i >= n) return "the path ends with `.`";
    }
  }
  return out;
}

/** One place a pattern reaches: its concrete path and value (`undefined` when the key is missing). */
export interface FieldMatch {
  path: Path;
  value: unknown;
  /** False when the path does not exist (a key on the way is missing). */
  present: boolean;
}

/**
 * Every place `pattern` reaches under `root`. A wildcard over a list or mapping branches into each
 * item; a wildcard over nothing (missing, empty, a scalar) reaches nothing. A named key that is
 * missing gives one match that is not present, its path the pattern written out up to the next
 * wildcard (the engine locates such a path at its deepest existing part).
 */
export function matchFieldPath(root: unknown, pattern: readonly PatternSegment[]): FieldMatch[] {
  const out: FieldMatch[] = [];
  const walk = (cur: unknown, i: number, path: (string | number)[]) => {
    if (i === pattern.length) {
      out.push({ path, value: cur, present: true });
      return;
    }
    const seg = pattern[i];
    if (seg === ANY) {
      if (Array.isArray(cur))
        cur.forEach((item: unknown, k) => {
          walk(item, i + 1, [...path, k]);
        });
      else if (isRecord(cur)) for (const [k, v] of Object.entries(cur)) walk(v, i + 1, [...path, k]);
      return;
    }
    if (seg === undefined) return;
    const next: unknown =
      typeof seg === "number"
        ? Array.isArray(cur)
          ? (cur as unknown[])[seg]
          : undefined
        : isRecord(cur)
          ? cur[seg]
          : undefined;
    if (next === undefined) {
      const rest: (string | number)[] = [];
      for (const s of pattern.slice(i)) {
        if (s === ANY) break;
        rest.push(s);
      }
      out.push({ path: [...path, ...rest], value: undefined, present: false });
      return;
    }
    walk(next, i + 1, [...path, seg]);
  };
  walk(root, 0, []);
  return out;
}

/** The path as written in messages: `ports[0].hostPort`, `metadata.annotations["a.io/b"]`. */
export function formatFieldPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `["${seg}"]`;
  }
  return out;
}
