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

/**
 * The accepted edits with the deferred ones nested in, without parsing the text again: each deferred
 * edit adds keys below a mapping that an accepted edit at the same offset adds too (adding
 * `securityContext.runAsNonRoot` and `securityContext.readOnlyRootFilesystem` to a container without
 * a securityContext, or below a `securityContext:` with no value). Its lines go where the next
 * round would insert them once the accepted edit made the mapping: at the end of the mapping,
 * descending into a nested `key:` both add. Undefined when any deferred edit is not of that kind
 * or would touch a key the accepted one writes (then a parse of the edited text decides).
 */
export function nestInserts(
  text: string,
  accepted: readonly TextEdit[],
  deferred: readonly TextEdit[],
): TextEdit[] | undefined {
  const out = accepted.map((e) => ({ edit: e, form: formOf(text, e), grown: false }));
  for (const d of deferred) {
    const form = formOf(text, d);
    const top = form?.entries[0];
    if (form === undefined || top === undefined || form.entries.length !== 1) return undefined;
    const here = out.filter((a) => a.edit.range[0] === d.range[0] && a.form?.kind === form.kind);
    if (form.kind === "lines") {
      // Below the accepted edit's line that this one begins with too.
      const at = here.flatMap((a) => a.form?.entries ?? []).find((x) => x.line === top.line);
      const into = here.find((a) => at !== undefined && a.form?.entries.includes(at) === true);
      if (into === undefined || at === undefined || !nest(at, top)) return undefined;
      into.grown = true;
      continue;
    }
    // Below a key that had no value (its lines are the new mapping's entries), or into an empty
    // flow mapping (`{}`: the next round writes `, key: value` after the last one).
    const into = here[0];
    if (into?.form === undefined || here.length !== 1) return undefined;
    const root: Entry = { line: "", indent: -1, key: undefined, opens: true, below: into.form.entries };
    if (!nestBelow(root, top)) return undefined;
    into.grown = true;
  }
  return out.map((a) => {
    if (!a.grown || a.form === undefined) return a.edit;
    const lines = a.form.entries.map(entryText).join("");
    const text =
      a.form.kind === "lines"
        ? lines
        : a.form.kind === "value"
          ? `\n${lines.slice(0, -1)}`
          : a.form.entries.map((e) => e.line).join(", ");
    return { range: a.edit.range, text };
  });
}

/**
 * An insertion this nesting understands, as entries: whole lines at a line start (a key added to a
 * mapping), `\n` and lines after a key's colon (a value for a key that had none), or one
 * `key: value` in an empty flow mapping `{}`. Anchors and aliases (`&a`, `*a`) in written text
 * would change what the next round reads.
 */
function formOf(
  text: string,
  e: TextEdit,
): { kind: "lines" | "value" | "flow"; entries: Entry[] } | undefined {
  // A block scalar (`key: |`) is written differently as a nested value than as a key's own value.
  if (e.range[0] !== e.range[1] || /[&*\r]/.test(e.text) || /[:-] *[|>][-+0-9]*$/m.test(e.text))
    return undefined;
  if (isLineInsert(text, e)) {
    const entries = lineTree(e.text);
    return entries === undefined ? undefined : { kind: "lines", entries };
  }
  if (e.text.startsWith("\n") && !e.text.endsWith("\n") && text[e.range[0]] === "\n") {
    const entries = lineTree(`${e.text.slice(1)}\n`);
    return entries === undefined ? undefined : { kind: "value", entries };
  }
  const flow = /^([A-Za-z0-9_./-]+): [^\n]+$/.exec(e.text);
  if (flow !== null && text[e.range[0] - 1] === "{" && text[e.range[0]] === "}") {
    // Never descended into (it does not open a block), only told apart by its key.
    return { kind: "flow", entries: [{ line: e.text, indent: 0, key: flow[1], opens: false, below: [] }] };
  }
  return undefined;
}

/** A line of inserted text and the lines indented below it. */
interface Entry {
  line: string;
  indent: number;
  /** The plain key the line starts (`key:` or `key: value`), or undefined. */
  key: string | undefined;
  /** True for `key:` with nothing after the colon (a block collection follows). */
  opens: boolean;
  below: Entry[];
}

/** Whole lines (each ending in `\n`) as entries by indentation; undefined for other text. */
function lineTree(text: string): Entry[] | undefined {
  if (!text.endsWith("\n")) return undefined;
  const top: Entry[] = [];
  const stack: Entry[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    const indent = line.length - line.trimStart().length;
    const m = /^ *([A-Za-z0-9_./-]+):( .*)?$/.exec(line);
    const e: Entry = { line, indent, key: m?.[1], opens: m !== null && m[2] === undefined, below: [] };
    while (stack.length > 0 && (stack[stack.length - 1] as Entry).indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (top.length > 0 && (top[0] as Entry).indent !== indent) return undefined;
      top.push(e);
    } else parent.below.push(e);
    stack.push(e);
  }
  return top;
}

/**
 * Adds `add`'s lines below `at` (both the same `key:` line) as the next round would. False (and
 * `at` unchanged) when that is not sure.
 */
function nest(at: Entry, add: Entry): boolean {
  if (!at.opens || !add.opens || at.line !== add.line) return false;
  const [child, more] = add.below;
  return child !== undefined && more === undefined && nestBelow(at, child);
}

/**
 * Adds `child` to the mapping `at` opens: a key it does not have at the end, a `key:` both open by
 * descending into it. False (and `at` unchanged) for a key both write, a list or other indentation.
 */
function nestBelow(at: Entry, child: Entry): boolean {
  if (child.key === undefined || at.below.length === 0) return false;
  if (at.below.some((x) => x.key === undefined || x.indent !== child.indent)) return false;
  const same = at.below.find((x) => x.key === child.key);
  if (same === undefined) {
    at.below.push(child);
    return true;
  }
  return nest(same, child);
}

function entryText(e: Entry): string {
  return `${e.line}\n${e.below.map(entryText).join("")}`;
}
