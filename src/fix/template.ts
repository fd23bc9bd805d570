// Helm fixes that are not data: values keys from the mapping, and text edits on template lines that
// are literal YAML. Pure: the caller renders and verifies.
import { Document, isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";
import type { Path, PathOp, TextEdit } from "../core/types.js";
import { opEdit } from "./edits.js";
import { deepEqual } from "./ops.js";

/**
 * `resources.limits.cpu` → `["resources", "limits", "cpu"]`; `a.b[0].c` → `["a", "b", 0, "c"]`
 * (the form `formatValuesPath` writes).
 */
export function parseValuesPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) {
      keys.push(part);
      continue;
    }
    if (m[1] !== undefined && m[1] !== "") keys.push(m[1]);
    for (const idx of (m[2] ?? "").matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  return keys;
}

/** True when a template line holds a template action (or part of one). */
export function hasAction(line: string): boolean {
  return line.includes("{{") || line.includes("}}");
}

const indentOf = (line: string) => /^ */.exec(line)?.[0].length ?? 0;

interface Lines {
  lines: string[];
  /** Offset of each line's first character. */
  starts: number[];
}

function splitLines(text: string): Lines {
  const lines: string[] = [];
  const starts: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    starts.push(pos);
    lines.push(text.slice(pos, end).replace(/\r$/, ""));
    pos = nl === -1 ? text.length : nl + 1;
  }
  return { lines, starts };
}

/** The key a template line writes (`key:` or `- key:`), or "-" for a bare list item line. */
function lineKey(line: string): string | undefined {
  const m = /^\s*(?:-\s+)?(["']?)([^"':#\s][^:#]*?)\1\s*:(?:\s|$)/.exec(line);
  if (m?.[2] !== undefined) return m[2];
  return /^\s*-(?:\s|$)/.test(line) ? "-" : undefined;
}

/**
 * The text edit on template `text` that applies `op` (a path relative to the object written by
 * template line `lineNo`, 1-based, whose rendered value is `rendered`), or why there is none. Only
 * literal YAML is edited: a block without template actions is edited like a manifest; a block with
 * actions only gets new keys inserted right below its (literal) key line.
 */
export function templateEdit(
  text: string,
  lineNo: number,
  anchorKey: string | number,
  rendered: unknown,
  op: PathOp,
): { edit: TextEdit } | { error: string } {
  const { lines, starts } = splitLines(text);
  const idx = lineNo - 1;
  const line = lines[idx];
  if (line === undefined) return { error: `the template has no line ${String(lineNo)}` };
  if (hasAction(line)) return { error: `template line ${String(lineNo)} holds a template action` };
  const key = lineKey(line);
  const isItem = typeof anchorKey === "number";
  if (key === undefined || (isItem ? !/^\s*-(?:\s|$)/.test(line) : key !== anchorKey)) {
    return { error: `template line ${String(lineNo)} does not write \`${String(anchorKey)}\`` };
  }
  const base = indentOf(line);
  let end = idx + 1;
  while (end < lines.length) {
    const l = lines[end] ?? "";
    if (l.trim() !== "" && indentOf(l) <= base) break;
    end++;
  }
  while (end > idx + 1 && (lines[end - 1] ?? "").trim() === "") end--;
  const block = lines.slice(idx, end);
  if (op.path.length === 0) return { error: "the operation replaces the whole field" };
  if (!block.some(hasAction)) {
    // A literal block: parse it in place (indentation kept, so offsets map 1:1) and edit it.
    const from = starts[idx] ?? 0;
    const to = end < starts.length ? (starts[end] ?? text.length) : text.length;
    const blockText = text.slice(from, to);
    const doc = parseDocument(blockText);
    if (doc.errors.length > 0) return { error: "the template block is not YAML on its own" };
    let node: unknown = doc.contents;
    if (isItem) node = isSeq(node) ? node.items[0] : undefined;
    else if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === anchorKey);
      node = pair?.value;
    } else node = undefined;
    if (node === undefined || node === null || !(isMap(node) || isSeq(node))) {
      return { error: "the template block does not hold the field as a mapping" };
    }
    if (!deepEqual(node.toJSON(), rendered)) {
      return { error: "the template block differs from what was rendered (it repeats or is conditional)" };
    }
    const r = opEdit(blockText, node, op);
    if ("error" in r) return r;
    if (r.edit === undefined) return { error: "the edit changes nothing in the template" };
    return { edit: { range: [r.edit.range[0] + from, r.edit.range[1] + from], text: r.edit.text } };
  }
  // A block with template actions: only a new key right below the key line.
  if (op.op === "remove") return { error: "the field is written inside template actions" };
  const first = op.path[0];
  if (typeof first !== "string") return { error: "the field is written inside template actions" };
  if (!isMapLike(rendered) || Object.hasOwn(rendered, first)) {
    return { error: "the field is written inside template actions" };
  }
  if (isItem ? !/^\s*-\s+\S/.test(line) : !/:\s*(?:#.*)?$/.test(line)) {
    return { error: `template line ${String(lineNo)} is not the start of a mapping` };
  }
  let childIndent = isItem ? base + (/^\s*-\s+/.exec(line)?.[0].length ?? 2) - base : base + 2;
  if (!isItem) {
    for (let i = idx + 1; i < end; i++) {
      const l = lines[i] ?? "";
      if (l.trim() === "") continue;
      const n = /\bn?indent\s+(\d+)/.exec(l);
      if (/^\s*\{\{/.test(l)) {
        if (n?.[1] !== undefined) {
          childIndent = Number(n[1]);
          break;
        }
        continue;
      }
      childIndent = indentOf(l);
      break;
    }
  }
  let value: unknown = op.op === "append" ? [op.value] : op.value;
  for (let i = op.path.length - 1; i >= 1; i--) value = { [op.path[i] as string]: value };
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const body = new Document({ [first]: value })
    .toString({ indent: 2, lineWidth: 0, indentSeq: true })
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => " ".repeat(childIndent) + l)
    .join(eol);
  const at = idx + 1 < starts.length ? (starts[idx + 1] ?? text.length) : text.length;
  const needsNl = at === text.length && !text.endsWith("\n");
  return { edit: { range: [at, at], text: (needsNl ? eol : "") + body + eol } };
}

function isMapLike(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The op with its path made relative to `prefix` (which it must start with). */
export function relativeOp(op: PathOp, prefix: Path): PathOp {
  return { ...op, path: op.path.slice(prefix.length) };
}
