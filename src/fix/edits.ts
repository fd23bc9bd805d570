// Path operations → the smallest text edits on the YAML source. The document is never re-encoded:
// only the bytes of the changed key, value or list item are written; comments, key order, quoting,
// anchors, flow style, line endings and blank lines elsewhere stay as they were. Pure.
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { Path, PathOp, TextEdit } from "../core/types.js";
import { deepEqual, pathText } from "./ops.js";

type Result = { edit: TextEdit | undefined } | { error: string };

/** The edit that applies `op` to the object whose YAML node is `root` in `text`. */
export function opEdit(text: string, root: Node, op: PathOp, json = false): Result {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const ctx: Ctx = { text, eol, json };
  if (op.path.length === 0) return { error: "an operation cannot replace the whole object" };
  let node: Node = root;
  // The pair whose value `node` is: a collection emptied by a removal becomes `{}`/`[]` after its colon.
  let parent: Pair | undefined;
  for (let i = 0; i < op.path.length; i++) {
    const key = op.path[i] as string | number;
    const last = i === op.path.length - 1;
    if (isAlias(node))
      return {
        error: `\`${pathText(op.path.slice(0, i))}\` is a YAML alias; editing it would change its anchor`,
      };
    if (node.anchor !== undefined && node !== root) {
      return {
        error: `\`${pathText(op.path.slice(0, i))}\` has a YAML anchor; editing it would change every alias of it`,
      };
    }
    if (isSeq(node)) {
      if (typeof key !== "number") return { error: `\`${pathText(op.path.slice(0, i))}\` is a list` };
      const item = node.items[key] as Node | undefined;
      if (item === undefined) {
        return op.op === "remove"
          ? { edit: undefined }
          : { error: `\`${pathText(op.path.slice(0, i + 1))}\` does not exist` };
      }
      if (last) {
        if (op.op === "remove") return removeSeqItem(ctx, node, key, parent);
        if (op.op === "set" && isScalar(item) && isScalarValue(op.value) && item.range != null) {
          if (item.anchor !== undefined) return { error: "the item has a YAML anchor; it is not rewritten" };
          const text = ctx.json ? JSON.stringify(op.value) : sameQuotes(item, op.value);
          return { edit: { range: [item.range[0], item.range[1]], text } };
        }
        return { error: `\`${pathText(op.path)}\` is a list item; set its fields instead` };
      }
      node = item;
      parent = undefined;
      continue;
    }
    if (!isMap(node)) return { error: `\`${pathText(op.path.slice(0, i))}\` is not a mapping` };
    if (typeof key !== "string")
      return { error: `\`${pathText(op.path.slice(0, i))}\` is a mapping, not a list` };
    const pair = findPair(node, key);
    if (pair === undefined) {
      if (node.items.some((p) => isScalar(p.key) && p.key.value === "<<")) {
        return {
          error: `\`${pathText(op.path.slice(0, i))}\` uses a YAML merge key; the fix would not be visible where it applies`,
        };
      }
      if (op.op === "remove") return { edit: undefined };
      return insertPair(ctx, node, key, buildValue(op, op.path.slice(i + 1)));
    }
    const value = pair.value as Node | null;
    if (last) return editPair(ctx, node, pair, op, parent);
    if (value === null || isNullScalar(value)) {
      if (op.op === "remove") return { edit: undefined };
      return replaceNull(ctx, pair, buildValue(op, op.path.slice(i + 1)));
    }
    node = value;
    parent = pair;
  }
  return { error: "unreachable" };
}

interface Ctx {
  text: string;
  eol: string;
  /** A JSON file: everything written is JSON (which YAML reads the same). */
  json: boolean;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
}

function isNullScalar(n: Node): boolean {
  return isScalar(n) && n.value === null;
}

/** The value to write at path[i]: `rest` are the missing keys below it. */
function buildValue(op: PathOp, rest: Path): unknown {
  let v: unknown = op.op === "append" ? [op.value] : op.op === "remove" ? null : op.value;
  for (let i = rest.length - 1; i >= 0; i--) v = { [rest[i] as string]: v };
  return v;
}

function editPair(ctx: Ctx, map: YAMLMap, pair: Pair, op: PathOp, parent: Pair | undefined): Result {
  const value = pair.value as Node | null;
  switch (op.op) {
    case "add":
      if (value !== null && !isNullScalar(value)) return { edit: undefined };
      return replaceNull(ctx, pair, op.value);
    case "set":
      if (value === null || isNullScalar(value)) return replaceNull(ctx, pair, op.value);
      if (isScalar(value) && deepEqual(value.toJSON(), op.value)) return { edit: undefined };
      if (
        isScalar(value) &&
        isScalarValue(op.value) &&
        value.type !== "BLOCK_LITERAL" &&
        value.type !== "BLOCK_FOLDED"
      ) {
        if (value.anchor !== undefined || value.tag !== undefined) {
          return { error: "the value has a YAML anchor or tag; it is not rewritten" };
        }
        const r = value.range as [number, number, number];
        return {
          edit: {
            range: [r[0], r[1]],
            text: ctx.json ? JSON.stringify(op.value) : sameQuotes(value, op.value),
          },
        };
      }
      return replaceValue(ctx, pair, op.value);
    case "remove":
      return removePair(ctx, map, pair, parent);
    case "append": {
      if (value === null || isNullScalar(value)) return replaceNull(ctx, pair, [op.value]);
      if (!isSeq(value)) return { error: "the value is not a list" };
      if (value.items.some((it) => deepEqual((it as Node).toJSON(), op.value))) return { edit: undefined };
      return appendItem(ctx, pair, value, op.value);
    }
  }
}

function isScalarValue(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/** A new string keeps the quoting style of the one it replaces. */
function sameQuotes(old: Scalar, v: unknown): string {
  if (typeof v === "string" && old.type === "QUOTE_DOUBLE") return JSON.stringify(v);
  if (typeof v === "string" && old.type === "QUOTE_SINGLE") return `'${v.replace(/'/g, "''")}'`;
  return scalarText(v);
}

/** A scalar as YAML text: plain when that reads back the same, quoted otherwise. */
export function scalarText(v: unknown): string {
  // Fixes write the same few keys and values thousands of times: each is stringified once.
  const memo =
    typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && !Object.is(v, -0));
  const known = memo ? scalarTexts.get(v) : undefined;
  if (known !== undefined) return known;
  const text = new Document(v).toString({ lineWidth: 0 }).trimEnd();
  if (memo && scalarTexts.size < 10_000) scalarTexts.set(v, text);
  return text;
}

const scalarTexts = new Map<unknown, string>();

/** A value in flow style, for `{...}` and `[...]` parents. */
function flowText(v: unknown, json = false): string {
  if (json) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => flowText(x)).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).map(([k, x]) => `${scalarText(k)}: ${flowText(x)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return scalarText(v);
}

/** Block lines of a collection value, each prefixed with `indent`. */
function blockLines(v: unknown, indent: string): string[] {
  // Keyed by the value's JSON (key order is kept in both), when the JSON says all of it.
  const key = jsonKey(v);
  let body = key === undefined ? undefined : blockTexts.get(key);
  if (body === undefined) {
    body = new Document(v).toString({ indent: 2, lineWidth: 0, indentSeq: true }).replace(/\n$/, "");
    if (key !== undefined && blockTexts.size < 10_000) blockTexts.set(key, body);
  }
  return body.split("\n").map((l) => (l === "" ? l : indent + l));
}

const blockTexts = new Map<string, string>();

/** The JSON of plain data, or undefined when JSON would not tell it apart (-0, NaN, undefined, ...). */
function jsonKey(v: unknown): string | undefined {
  const seen = { exact: true };
  const key = JSON.stringify(v, (_k, x: unknown) => {
    const plain =
      typeof x === "string" ||
      typeof x === "boolean" ||
      (typeof x === "number" && Number.isFinite(x) && !Object.is(x, -0)) ||
      x === null ||
      Array.isArray(x) ||
      (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype);
    if (!plain) seen.exact = false;
    return plain ? x : null;
  });
  return seen.exact ? key : undefined;
}

/** ` value` or `\n<block>` after a key's colon, for a key indented by `indent`. */
function afterColon(ctx: Ctx, v: unknown, indent: string): string {
  if (isScalarValue(v) || isEmptyCollection(v)) return ` ${flowText(v, ctx.json)}`;
  return ctx.eol + blockLines(v, indent + "  ").join(ctx.eol);
}

function isEmptyCollection(v: unknown): boolean {
  return (
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && Object.keys(v).length === 0)
  );
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The offset just after the line that contains offset `end - 1` (content ending at `end`). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === "\n") return end;
  const nl = text.indexOf("\n", end);
  return nl === -1 ? text.length : nl + 1;
}

function endOf(n: Node | null | undefined, fallback: number): number {
  if (n == null || n.range == null) return fallback;
  return contentEnd(n) ?? fallback;
}

/**
 * Where a node's own text ends. An empty value (`key:`) gets no range of its own that can be
 * trusted (it can reach into the next lines), so a pair with one ends at its key.
 */
function contentEnd(n: Node): number | undefined {
  if ((isMap(n) || isSeq(n)) && n.flow !== true) {
    const last = n.items[n.items.length - 1];
    if (last === undefined) return n.range?.[1];
    if (isPair(last)) {
      const v = last.value as Node | null;
      if (v === null || (isScalar(v) && v.value === null && v.range != null && v.range[0] === v.range[1])) {
        return (last.key as Node | null)?.range?.[1];
      }
      return contentEnd(v) ?? v.range?.[1];
    }
    return contentEnd(last as Node);
  }
  if (isScalar(n) && n.value === null && n.range != null && n.range[0] === n.range[1]) return n.range[0];
  return n.range?.[1];
}

/** Offset of the colon after a key. */
function colonAfter(text: string, pair: Pair): number {
  const keyEnd = (pair.key as Node).range?.[1] ?? 0;
  return text.indexOf(":", keyEnd);
}

function keyText(ctx: Ctx, key: string): string {
  return ctx.json ? JSON.stringify(key) : scalarText(key);
}

function insertPair(ctx: Ctx, map: YAMLMap, key: string, value: unknown): Result {
  const { text, eol } = ctx;
  const range = map.range;
  if (range == null) return { error: "the mapping has no source position" };
  if (map.flow === true) {
    const lastFlow = map.items[map.items.length - 1];
    const lastEnd = lastFlow ? endOf(lastFlow.value as Node | null, endOf(lastFlow.key as Node, -1)) : -1;
    const close = lastEnd !== -1 ? lastEnd : text.lastIndexOf("}", range[1] - 1);
    if (close < range[0]) return { error: "cannot find the end of the flow mapping" };
    const sep = map.items.length > 0 ? ", " : "";
    return {
      edit: { range: [close, close], text: `${sep}${keyText(ctx, key)}: ${flowText(value, ctx.json)}` },
    };
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  if (firstKey?.range == null) return { error: "cannot edit an empty block mapping" };
  const indent = " ".repeat(columnOf(text, firstKey.range[0]));
  const lastPair = map.items[map.items.length - 1] as Pair;
  const end = endOf(lastPair.value as Node | null, endOf(lastPair.key as Node, range[1]));
  const at = afterLine(text, end);
  const lead = at === text.length && !text.endsWith("\n") ? eol : "";
  return {
    edit: {
      range: [at, at],
      text: `${lead}${indent}${keyText(ctx, key)}:${afterColon(ctx, value, indent)}${eol}`,
    },
  };
}

/** `key:` / `key: ~` / `key: null` given a value. A comment on the key's line stays on it. */
function replaceNull(ctx: Ctx, pair: Pair, value: unknown): Result {
  const { text, eol } = ctx;
  const colon = colonAfter(text, pair);
  const keyNode = pair.key as Node;
  if (colon === -1 || keyNode.range == null) return { error: "cannot find the key's colon" };
  let lineEnd = text.indexOf("\n", colon);
  if (lineEnd === -1) lineEnd = text.length;
  if (text[lineEnd - 1] === "\r") lineEnd--;
  const token = /^[ \t]*(?:~|null|Null|NULL)?/.exec(text.slice(colon + 1, lineEnd))?.[0] ?? "";
  const tokenEnd = colon + 1 + (token.trim() === "" ? 0 : token.length);
  if (isScalarValue(value) || isEmptyCollection(value) || flowParent(text, colon)) {
    return { edit: { range: [colon + 1, tokenEnd], text: ` ${flowText(value, ctx.json)}` } };
  }
  const indent = " ".repeat(columnOf(text, keyNode.range[0]));
  const comment = text.slice(tokenEnd, lineEnd).trimEnd();
  return {
    edit: {
      range: [colon + 1, lineEnd],
      text: (comment.trim() === "" ? "" : comment) + eol + blockLines(value, indent + "  ").join(eol),
    },
  };
}

/** True when a key's colon sits inside a flow collection on its line (`{a: ~}`): write flow text. */
function flowParent(text: string, colon: number): boolean {
  const before = text.slice(lineStart(text, colon), colon);
  return /[{[,]/.test(before.replace(/"[^"]*"|'[^']*'/g, ""));
}

function replaceValue(ctx: Ctx, pair: Pair, value: unknown): Result {
  const v = pair.value as Node;
  if (v.range == null) return { error: "the value has no source position" };
  if (v.anchor !== undefined)
    return { error: "the value has a YAML anchor; editing it would change every alias of it" };
  const colon = colonAfter(ctx.text, pair);
  const keyNode = pair.key as Node;
  const indent = " ".repeat(columnOf(ctx.text, keyNode.range?.[0] ?? 0));
  const end = isScalar(v)
    ? v.range[1]
    : v.range[1] > 0 && ctx.text[v.range[1] - 1] === "\n"
      ? v.range[1] - (ctx.eol === "\r\n" ? 2 : 1)
      : v.range[1];
  if (isScalarValue(value) || isEmptyCollection(value) || flowParent(ctx.text, colon)) {
    return { edit: { range: [colon + 1, end], text: ` ${flowText(value, ctx.json)}` } };
  }
  return { edit: { range: [colon + 1, end], text: afterColon(ctx, value, indent) } };
}

function removePair(ctx: Ctx, map: YAMLMap, pair: Pair, parent: Pair | undefined): Result {
  const { text } = ctx;
  const keyNode = pair.key as Node;
  if (keyNode.range == null) return { error: "the key has no source position" };
  const idx = map.items.indexOf(pair);
  const valueEnd = endOf(pair.value as Node | null, keyNode.range[1]);
  if (map.flow === true) {
    const next = map.items[idx + 1];
    if (next !== undefined)
      return { edit: { range: [keyNode.range[0], (next.key as Node).range?.[0] ?? valueEnd], text: "" } };
    const prev = map.items[idx - 1];
    const start =
      prev !== undefined
        ? endOf(prev.value as Node | null, endOf(prev.key as Node, keyNode.range[0]))
        : keyNode.range[0];
    return { edit: { range: [start, valueEnd], text: "" } };
  }
  if (map.items.length === 1) return emptyCollection(ctx, map, "{}", parent);
  const start = lineStart(text, keyNode.range[0]);
  const onOwnLine = text.slice(start, keyNode.range[0]).trim() === "";
  if (!onOwnLine) {
    // The first key of a list item (`- key: v`): the next key moves up behind the dash.
    const next = map.items[idx + 1]?.key as Node | undefined;
    if (next?.range == null) return { error: "cannot remove the only key of a list item" };
    return { edit: { range: [keyNode.range[0], next.range[0]], text: "" } };
  }
  return { edit: { range: [start, afterLine(text, valueEnd)], text: "" } };
}

function removeSeqItem(ctx: Ctx, seq: YAMLSeq, index: number, parent: Pair | undefined): Result {
  const { text } = ctx;
  const item = seq.items[index] as Node;
  if (item.range == null) return { error: "the item has no source position" };
  if (seq.flow === true) {
    const next = seq.items[index + 1] as Node | undefined;
    if (next?.range != null) return { edit: { range: [item.range[0], next.range[0]], text: "" } };
    const prev = seq.items[index - 1] as Node | undefined;
    return { edit: { range: [prev?.range?.[1] ?? item.range[0], item.range[1]], text: "" } };
  }
  if (seq.items.length === 1) return emptyCollection(ctx, seq, "[]", parent);
  const start = lineStart(text, item.range[0]);
  if (text.slice(start, item.range[0]).replace("-", "").trim() !== "") {
    return { error: "the list item does not start its own line" };
  }
  return { edit: { range: [start, afterLine(text, endOf(item, item.range[1]))], text: "" } };
}

/** Replace a block collection that loses its last entry by `{}` / `[]` after its parent key. */
function emptyCollection(ctx: Ctx, node: YAMLMap | YAMLSeq, empty: string, parent: Pair | undefined): Result {
  const { text } = ctx;
  if (parent === undefined || node.range == null)
    return { error: "cannot empty a collection that is not the value of a key" };
  const colon = colonAfter(text, parent);
  const end = endOf(node, node.range[1]);
  const stop = text[end - 1] === "\n" ? end - (text[end - 2] === "\r" ? 2 : 1) : end;
  if (colon === -1 || stop <= colon) return { error: "cannot find the key of the emptied collection" };
  // A comment after the key's colon stays; the removed entries (and comments among them) go.
  let lineEnd = text.indexOf("\n", colon);
  if (lineEnd === -1 || lineEnd > stop) lineEnd = stop;
  if (text[lineEnd - 1] === "\r") lineEnd--;
  const comment = text.slice(colon + 1, lineEnd).trim();
  return {
    edit: { range: [colon + 1, stop], text: ` ${empty}${comment.startsWith("#") ? ` ${comment}` : ""}` },
  };
}

function appendItem(ctx: Ctx, pair: Pair, seq: YAMLSeq, value: unknown): Result {
  const { text, eol } = ctx;
  const range = seq.range;
  if (range == null) return { error: "the list has no source position" };
  if (seq.flow === true) {
    const lastFlow = seq.items[seq.items.length - 1] as Node | undefined;
    const close = lastFlow?.range != null ? lastFlow.range[1] : text.lastIndexOf("]", range[1] - 1);
    if (close < range[0]) return { error: "cannot find the end of the flow list" };
    const sep = seq.items.length > 0 ? ", " : "";
    return { edit: { range: [close, close], text: `${sep}${flowText(value, ctx.json)}` } };
  }
  const lastItem = seq.items[seq.items.length - 1] as Node | undefined;
  if (lastItem?.range == null) return replaceValue(ctx, pair, [value]);
  const dash = text.lastIndexOf("-", lastItem.range[0]);
  const indent = " ".repeat(columnOf(text, dash));
  const at = afterLine(text, endOf(lastItem, lastItem.range[1]));
  const lead = at === text.length && !text.endsWith("\n") ? eol : "";
  const lines =
    isScalarValue(value) || isEmptyCollection(value)
      ? [flowText(value, ctx.json)]
      : blockLines(value, "").map((l, i) => (i === 0 ? l : `${indent}  ${l}`));
  return { edit: { range: [at, at], text: `${lead}${indent}- ${lines.join(eol)}${eol}` } };
}
