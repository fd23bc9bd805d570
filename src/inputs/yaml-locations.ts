// Where the nodes of a file's YAML documents are, kept in flat arrays instead of the `yaml`
// package's node trees: those were most of the memory of a large scan (270 of 310 MB kept for a
// 50,000-document file), and only positions are ever read from them once a document is converted.
// Pure (no node:*).
//
// The table keeps what locating a path needs, and answers exactly as walking the tree does
// (`locateInNode` in yaml.ts): each mapping's entries (the key as text, where the key starts and
// the value ends, the value's node), each sequence's items, `<<` merge keys, and aliases resolved
// to their anchor's last definition in the document. A repeated key resolves to its last entry.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { Path, SourceLoc } from "../core/types.js";
import { scalarKey } from "./yaml-scalars.js";

/** A `<<` merge key (plain `<<` or tagged !!merge). */
export function isMergeKey(key: unknown): boolean {
  return (
    isScalar(key) &&
    ((key.value === "<<" && key.type === "PLAIN" && key.tag === undefined) ||
      key.tag === "tag:yaml.org,2002:merge")
  );
}

const MAP = 1;
const SEQ = 2;
/** A scalar (a List item that is not an object): located, never walked into. */
const LEAF = 3;

/** Node fields: kind, start, end (-1: no range), first entry, entry count. */
const NODE = 5;
/** Entry fields: start, end (-1: no range), node of the value (-1: nothing to walk into), flags. */
const ENTRY = 4;
/** Entry flags. */
const MERGE = 1;
/** A merge key whose value is a sequence written in place: each item is merged. */
const MERGE_LIST = 2;
/** A sequence item without a range (a pair in a flow sequence). */
const NO_RANGE = 4;

/** go-yaml resolves merge keys this deep at most; so does locating. */
const MAX_MERGE_DEPTH = 8;
/** Mappings with more entries than this get a hash index of their keys on first lookup. */
const INDEXED = 16;

/** A table's size at some point (LocationTable.size). */
export interface TableMark {
  nodes: number;
  entries: number;
}

export class LocationTable {
  private nodes = new Int32Array(NODE * 64);
  private nodeCount = 0;
  private entries = new Int32Array(ENTRY * 256);
  private entryCount = 0;
  /** Per entry: the key as text (mapping entries with a scalar key), else undefined. */
  private readonly keys: (string | undefined)[] = [];
  /** Per large mapping: each key's last entry. */
  private readonly indexes = new Map<number, Map<string, number>>();

  /**
   * Adds a document's tree (one whose conversion succeeded, so its keys are scalars or aliases);
   * returns the table node of each of its mappings and sequences.
   */
  add(root: Node): Map<unknown, number> {
    const at = new Map<unknown, number>();
    // Anchors as last defined in the document (source order), like locateInNode's anchorsOf:
    // -1 for an anchored scalar (nothing to walk into).
    const anchors = new Map<string, number>();
    const aliases: { entry: number; source: string }[] = [];
    const anchor = (node: unknown, index: number) => {
      if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor !== undefined)
        anchors.set(node.anchor, index);
    };
    // The node to walk into from an entry; aliases are resolved once the whole document is read.
    const valueOf = (entry: number, value: unknown): number => {
      if (isAlias(value)) {
        aliases.push({ entry, source: value.source });
        return -1;
      }
      if (isMap(value) || isSeq(value)) return visit(value);
      anchor(value, -1);
      return -1;
    };
    const visit = (node: Node): number => {
      const index = this.node(isMap(node) ? MAP : SEQ, node.range);
      at.set(node, index);
      anchor(node, index);
      const items = isMap(node) || isSeq(node) ? node.items : [];
      const first = this.reserve(items.length);
      this.nodes[index * NODE + 3] = first;
      this.nodes[index * NODE + 4] = items.length;
      items.forEach((item, i) => {
        const e = first + i;
        const base = e * ENTRY;
        if (isMap(node) && isPair(item)) {
          const key = item.key as Node | null;
          const value = item.value as Node | null;
          const merge = isMergeKey(key);
          this.keys[e] = !merge && isScalar(key) ? scalarKey(key) : undefined;
          this.entries[base] = key?.range?.[0] ?? value?.range?.[0] ?? -1;
          this.entries[base + 1] = value?.range?.[1] ?? key?.range?.[1] ?? -1;
          this.entries[base + 3] = merge ? (isSeq(value) ? MERGE_LIST : MERGE) : 0;
          if (isMap(key) || isSeq(key)) visit(key);
          else anchor(key, -1);
          // The value's own entries may grow the table: its index is written after the call.
          const child = valueOf(e, value);
          this.entries[base + 2] = child;
          return;
        }
        const range = (item as { range?: [number, number, number] | null } | null)?.range;
        this.keys[e] = undefined;
        this.entries[base] = range?.[0] ?? -1;
        this.entries[base + 1] = range?.[1] ?? -1;
        this.entries[base + 3] = range == null ? NO_RANGE : 0;
        if (isPair(item)) {
          // Not reachable by a path; walked only for the anchors it defines.
          for (const part of [item.key, item.value]) {
            if (isMap(part) || isSeq(part)) visit(part);
            else anchor(part, -1);
          }
          this.entries[base + 2] = -1;
          return;
        }
        const child = valueOf(e, item);
        this.entries[base + 2] = child;
      });
      return index;
    };
    if (isMap(root) || isSeq(root)) visit(root);
    for (const { entry, source } of aliases) this.entries[entry * ENTRY + 2] = anchors.get(source) ?? -1;
    return at;
  }

  /**
   * Adds a mapping or sequence whose values' nodes are already in the table (the fast reader,
   * yaml-fast.ts, adds each collection when it closes): per entry its key (mappings), where the
   * key (or the item) starts, where the value ends (range[1]), and the value's node or -1.
   */
  addCollection(
    kind: "map" | "seq",
    start: number,
    end: number,
    keys: readonly (string | undefined)[],
    starts: readonly number[],
    ends: readonly number[],
    children: readonly number[],
  ): number {
    const index = this.node(kind === "map" ? MAP : SEQ, [start, end]);
    const count = keys.length;
    const first = this.reserve(count);
    this.nodes[index * NODE + 3] = first;
    this.nodes[index * NODE + 4] = count;
    const entries = this.entries;
    for (let i = 0; i < count; i++) {
      const e = first + i;
      const base = e * ENTRY;
      this.keys[e] = keys[i];
      entries[base] = starts[i] ?? -1;
      entries[base + 1] = ends[i] ?? -1;
      entries[base + 2] = children[i] ?? -1;
      entries[base + 3] = 0;
    }
    return index;
  }

  /**
   * The node to locate item `i` of a List from, as yaml.ts finds it on the tree: the last `items`
   * entry of mapping `root`, when it is a sequence (its item's node, or a leaf over a scalar item).
   */
  listItem(root: number, i: number): number | undefined {
    const e = this.lastEntry(root, "items");
    if (e === -1) return undefined;
    const seq = this.entries[e * ENTRY + 2] ?? -1;
    if (seq === -1 || this.nodes[seq * NODE] !== SEQ) return undefined;
    if (i < 0 || i >= (this.nodes[seq * NODE + 4] ?? 0)) return undefined;
    const item = (this.nodes[seq * NODE + 3] ?? 0) + i;
    const child = this.entries[item * ENTRY + 2] ?? -1;
    if (child !== -1) return child;
    return this.node(LEAF, [this.entries[item * ENTRY] ?? -1, this.entries[item * ENTRY + 1] ?? -1]);
  }

  /** The table's size, to drop later what was added after it. */
  size(): TableMark {
    return { nodes: this.nodeCount, entries: this.entryCount };
  }

  /** Drops every node and entry added after `mark` (a document that turned out not to be an object). */
  truncate(mark: TableMark): void {
    this.nodeCount = mark.nodes;
    this.entryCount = mark.entries;
    this.keys.length = mark.entries;
    for (const node of [...this.indexes.keys()]) if (node >= mark.nodes) this.indexes.delete(node);
  }

  /** A table node for a scalar, to locate from (a List item that is not an object). */
  leaf(node: Node): number {
    return this.node(LEAF, node.range);
  }

  /**
   * Where `path` is below node `root`: a found key at the key (to the end of its value), a missing
   * one at the deepest ancestor that exists, with exact: false.
   */
  locate(
    root: number,
    path: Path,
    file: string,
    posOf: (offset: number) => { line: number; column: number },
  ): { loc: SourceLoc; exact: boolean } {
    const nodes = this.nodes;
    const entries = this.entries;
    let node = root;
    const rootStart = nodes[root * NODE + 1] ?? -1;
    const rootEnd = nodes[root * NODE + 2] ?? -1;
    let start = rootStart === -1 ? 0 : rootStart;
    let end = rootEnd === -1 ? start : rootEnd;
    let exact = true;
    for (const key of path) {
      const kind = node === -1 ? 0 : nodes[node * NODE];
      let e = -1;
      if (kind === MAP) {
        const k = String(key);
        e = this.lastEntry(node, k);
        if (e === -1) e = this.mergedEntry(node, k, 0);
      } else if (kind === SEQ && typeof key === "number") {
        const count = nodes[node * NODE + 4] ?? 0;
        if (Number.isInteger(key) && key >= 0 && key < count) e = (nodes[node * NODE + 3] ?? 0) + key;
        if (e !== -1 && ((entries[e * ENTRY + 3] ?? 0) & NO_RANGE) !== 0) e = -1;
      }
      if (e === -1) {
        exact = false;
        break;
      }
      const s = entries[e * ENTRY] ?? -1;
      const t = entries[e * ENTRY + 1] ?? -1;
      if (s !== -1) start = s;
      if (t !== -1) end = t;
      node = entries[e * ENTRY + 2] ?? -1;
    }
    const a = posOf(start);
    const b = posOf(end);
    return { loc: { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column }, exact };
  }

  /** The entry in effect for `key` among those written in mapping `node` (the last one), or -1. */
  private lastEntry(node: number, key: string): number {
    if (node === -1 || this.nodes[node * NODE] !== MAP) return -1;
    const first = this.nodes[node * NODE + 3] ?? 0;
    const count = this.nodes[node * NODE + 4] ?? 0;
    if (count > INDEXED) {
      let index = this.indexes.get(node);
      if (index === undefined) {
        index = new Map();
        for (let e = first; e < first + count; e++) {
          const k = this.keys[e];
          if (k !== undefined) index.set(k, e);
        }
        this.indexes.set(node, index);
      }
      return index.get(key) ?? -1;
    }
    for (let e = first + count - 1; e >= first; e--) if (this.keys[e] === key) return e;
    return -1;
  }

  /** Where a merged key comes from: the merged mappings, in go-yaml's order of precedence. */
  private mergedEntry(node: number, key: string, depth: number): number {
    if (node === -1 || this.nodes[node * NODE] !== MAP || depth > MAX_MERGE_DEPTH) return -1;
    const first = this.nodes[node * NODE + 3] ?? 0;
    const count = this.nodes[node * NODE + 4] ?? 0;
    for (let e = first + count - 1; e >= first; e--) {
      const flags = this.entries[e * ENTRY + 3] ?? 0;
      if ((flags & (MERGE | MERGE_LIST)) === 0) continue;
      const value = this.entries[e * ENTRY + 2] ?? -1;
      const sources: number[] = [];
      if ((flags & MERGE_LIST) !== 0 && value !== -1) {
        const from = this.nodes[value * NODE + 3] ?? 0;
        const n = this.nodes[value * NODE + 4] ?? 0;
        for (let i = from; i < from + n; i++) sources.push(this.entries[i * ENTRY + 2] ?? -1);
      } else sources.push(value);
      for (const source of sources) {
        const own = this.lastEntry(source, key);
        const found = own !== -1 ? own : this.mergedEntry(source, key, depth + 1);
        if (found !== -1) return found;
      }
    }
    return -1;
  }

  private node(kind: number, range: readonly number[] | null | undefined): number {
    if ((this.nodeCount + 1) * NODE > this.nodes.length) this.nodes = grow(this.nodes);
    const index = this.nodeCount++;
    const base = index * NODE;
    this.nodes[base] = kind;
    this.nodes[base + 1] = range?.[0] ?? -1;
    this.nodes[base + 2] = range?.[1] ?? -1;
    this.nodes[base + 3] = 0;
    this.nodes[base + 4] = 0;
    return index;
  }

  /** Room for `n` entries; the first one's index. */
  private reserve(n: number): number {
    const first = this.entryCount;
    this.entryCount += n;
    for (let i = 0; i < n; i++) this.keys.push(undefined);
    if (this.entryCount * ENTRY > this.entries.length)
      this.entries = grow(this.entries, this.entryCount * ENTRY);
    return first;
  }
}

/** A copy of `a` with room for `min` values at least (twice its length, or more at once). */
function grow(a: Int32Array<ArrayBuffer>, min = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(a.length * 2, min));
  b.set(a);
  return b;
}
