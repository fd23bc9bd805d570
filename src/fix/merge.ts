// Merging text edits from many fixes into one pass (ESLint's source-code-fixer model): edits are
// sorted, and one that overlaps or touches an earlier accepted edit is deferred to the next pass.
// One refinement: whole-line insertions at the same offset (two keys added to the end of nested
// mappings) are combined, deepest indentation first, since they cannot clash. Pure.
import type { TextEdit } from "../core/types.js";

export interface Tagged<T> {
  edit: TextEdit;
  tag: T;
}

/** Accepted edits (non-overlapping, in text order) and the tags whose edits wait for a next pass. */
export function mergeEdits<T>(
  text: string,
  edits: readonly Tagged<T>[],
): { accepted: Tagged<T>[]; deferred: T[] } {
  const sorted = [...edits].sort(
    (a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1],
  );
  const accepted: Tagged<T>[] = [];
  const deferred: T[] = [];
  let lastEnd = -1;
  let group: Tagged<T>[] = [];
  for (const e of sorted) {
    const [start] = e.edit.range;
    const prev = accepted[accepted.length - 1];
    if (
      prev !== undefined &&
      start === lastEnd &&
      isLineInsert(text, e.edit) &&
      isLineInsert(text, prev.edit) &&
      prev.edit.range[0] === start
    ) {
      // Same insertion point: combine unless both begin with the same line (they would add the same key twice).
      if (group.some((g) => firstLine(g.edit.text) === firstLine(e.edit.text))) {
        deferred.push(e.tag);
        continue;
      }
      group.push(e);
      accepted.push(e);
      continue;
    }
    // Two deletions that touch cannot clash: together they delete both ranges.
    const deletions = prev !== undefined && start === lastEnd && isDeletion(e.edit) && isDeletion(prev.edit);
    if (start <= lastEnd && !deletions) {
      deferred.push(e.tag);
      continue;
    }
    accepted.push(e);
    group = [e];
    lastEnd = e.edit.range[1];
  }
  return { accepted, deferred };
}

function isDeletion(e: TextEdit): boolean {
  return e.text === "" && e.range[1] > e.range[0];
}

function isLineInsert(text: string, e: TextEdit): boolean {
  const [s, end] = e.range;
  return s === end && (s === 0 || text[s - 1] === "\n") && e.text.endsWith("\n");
}

function firstLine(s: string): string {
  return s.split("\n", 1)[0] ?? s;
}

function indentOf(s: string): number {
  const m = /^ */.exec(s.replace(/^\r?\n/, ""));
  return m?.[0].length ?? 0;
}

/** Apply non-overlapping edits. Insertions at one offset go deepest-indented first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) =>
      a.range[0] - b.range[0] ||
      a.range[1] - b.range[1] ||
      indentOf(b.text) - indentOf(a.text) ||
      Number(b.text.trimStart().startsWith("- ")) - Number(a.text.trimStart().startsWith("- ")),
  );
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = Math.max(pos, e.range[1]);
  }
  return out + text.slice(pos);
}
