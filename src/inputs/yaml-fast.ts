// The common subset of YAML read straight from the `yaml` package's lexer, without its parser's
// concrete syntax tree or its composer's node trees (issue 9 item 5). A 1,200,000-key ConfigMap
// made the parser hold about 1 GB of syntax tree and the composer as much again in nodes; here each
// line's tokens are read once and dropped, and what is kept is the value and the compact location
// table (yaml-locations.ts). Pure (no node:*).
//
// The subset is what generated and rendered manifests mostly are: block mappings and sequences
// (a `- key: value` item included), plain and single-line quoted scalars, single-line flow
// collections of those, blank lines, comment lines before a document's content and comments at the
// end of a line, `---` between documents. Anything else (tags, anchors, aliases, merge keys, block
// scalars, explicit or complex keys, directives, tabs, multi-line quoted or flow text, a comment line
// inside a document, an empty value with a comment, anything the `yaml` package would warn about or
// reject) makes the reader give up on the whole text, and the caller reads it the exact way
// (yaml.ts). So a text read here gives the same values, findings and locations as that path: the
// node ranges recorded are those the `yaml` package's composer gives (a value's end includes the
// rest of its line, a collection ends where its last value's line ends, an empty value sits right
// after its indicator and the spaces that follow), and test/inputs/yaml-fast.test.ts compares both
// paths on every rule fixture and the chart corpus.
import { CST, Document, isScalar, Lexer } from "yaml";
import type { LocationTable, TableMark } from "./yaml-locations.js";
import { plainKeyString, plainScalarValue, YAML11_BOOLEANS } from "./yaml-scalars.js";

/** One document read by the fast path. */
export interface FastDocument {
  /** Null when the document has no content at all (the `yaml` package's null contents). */
  value: unknown;
  empty: boolean;
  /** Repeated keys, in the order the exact path reports them (a pair's value before its key). */
  duplicates: { key: string; offset: number; first: number }[];
  /** Plain YAML 1.1 booleans read as booleans, in document order. */
  booleans: { text: string; value: boolean; offset: number }[];
  /** The table node of the root collection, or -1 (a scalar root). */
  root: number;
  /** The table's size before this document (to drop what it added when it is not an object). */
  mark: TableMark;
}

/** Work done, for tests that count it (never time it). */
export interface FastStats {
  /** Lexemes read. */
  lexemes: number;
  /** Key comparisons and hash lookups made to find repeated keys. */
  keyLookups: number;
}

class GiveUp extends Error {}

const MAP = 1;
const SEQ = 2;

// Token codes of a line.
const SPACE = 1;
const COMMENT = 2;
const DASH = 3;
const COLON = 4;
const PLAIN = 5;
const SQUOTE = 6;
const DQUOTE = 7;
const FMAP = 8;
const FMAP_END = 9;
const FSEQ = 10;
const FSEQ_END = 11;
const COMMA = 12;
const DOC_START = 13;

interface Frame {
  kind: typeof MAP | typeof SEQ;
  /** Column of the keys or dashes. */
  indent: number;
  /** range[0] of the collection: its first key or dash. */
  start: number;
  /** range[2] of its last value so far (the collection's range[1]). */
  end: number;
  object: Record<string, unknown> | undefined;
  array: unknown[] | undefined;
  keys: (string | undefined)[];
  starts: number[];
  ends: number[];
  children: number[];
  /** A key or dash waits for its value (on the next lines, or empty). */
  awaiting: boolean;
  /** Where an empty value would be: after the indicator and the spaces after it. */
  emptyAt: number;
  /** A comment follows the indicator: an empty value would end after it (left to the exact path). */
  emptyComment: boolean;
  key: string;
  keyOffset: number;
  /** The first offset of each key, built when a first repeat is found. */
  written: Map<string, number> | undefined;
}

let resolver: { tags: readonly ScalarTag[]; options: unknown } | undefined;

interface ScalarTag {
  default?: boolean | "key";
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown;
}

/** The core schema's scalar tags and options, exactly as the Composer of yaml.ts has them. */
function scalarResolver(): { tags: readonly ScalarTag[]; options: unknown } {
  if (resolver === undefined) {
    const doc = new Document(undefined, { uniqueKeys: false });
    resolver = { tags: doc.schema.tags as unknown as ScalarTag[], options: doc.options };
  }
  return resolver;
}

const giveUp = (): never => {
  throw new GiveUp();
};

/** A plain scalar's value as the core schema resolves it (findScalarTagByTest, not at a key). */
function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Letters other than n/N/t/T/f/F start no null, boolean or number of the core schema.
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x7a && lower !== 0x6e && lower !== 0x74 && lower !== 0x66) return source;
  const { tags, options } = scalarResolver();
  for (const tag of tags) {
    if (tag.default === true && tag.test?.test(source) === true) {
      const res = tag.resolve(source, giveUp, options);
      return isScalar(res) ? res.value : res;
    }
  }
  return source;
}

/** The source text of a plain scalar as the `yaml` package reads it (folded lines), or give up. */
function plainText(source: string, offset: number): string {
  const c = source[0];
  const simple =
    c !== undefined &&
    !",%|>@`\t".includes(c) &&
    !source.includes("\n") &&
    !source.includes("\r") &&
    !source.includes("\t");
  if (simple) return source;
  const r = CST.resolveAsScalar({ type: "scalar", offset, indent: 0, source }, true, giveUp);
  return r.value;
}

function quotedText(type: number, source: string, offset: number): string {
  if (source.includes("\n") || source.includes("\r")) giveUp();
  // Closed, and nothing to unescape: the text between the quotes (else the `yaml` package reads it).
  const quote = type === SQUOTE ? "'" : '"';
  const inner = source.slice(1, -1);
  if (
    source.length >= 2 &&
    source.endsWith(quote) &&
    (type === SQUOTE ? !inner.includes("'") : !inner.includes('"') && !inner.includes("\\"))
  )
    return inner;
  const r = CST.resolveAsScalar(
    { type: type === SQUOTE ? "single-quoted-scalar" : "double-quoted-scalar", offset, indent: 0, source },
    true,
    giveUp,
  );
  return r.value;
}

/**
 * Reads `text` document by document, handing each to `onDocument` as it ends; false (and nothing
 * more handed over) as soon as something is outside the subset: the caller then forgets what it
 * was handed and reads the text the exact way.
 */
export function readFast(
  text: string,
  table: LocationTable,
  maxDepth: number,
  onDocument: (doc: FastDocument) => void,
  stats?: FastStats,
  tokens: "lines" | "lexer" = "lexer",
): boolean {
  try {
    read(text, table, maxDepth, onDocument, stats, tokens);
    return true;
  } catch (err) {
    if (err instanceof GiveUp) return false;
    throw err;
  }
}

function read(
  text: string,
  table: LocationTable,
  maxDepth: number,
  onDocument: (doc: FastDocument) => void,
  stats: FastStats | undefined,
  tokens: "lines" | "lexer",
): void {
  // The tokens of the current line.
  const types: number[] = [];
  const offsets: number[] = [];
  const sources: string[] = [];
  let n = 0;

  // The current document.
  let open = false; // a document has begun (content or `---`)
  let content = false; // it has content
  // Comment lines since the last content line. Where the `yaml` package puts them changes the end of
  // a collection that ends after them (or of an empty value), so a line that ends or empties
  // something after them is left to the exact path; a sibling line or a value below is not.
  let commented = false;
  let stack: Frame[] = [];
  let rootDone = false;
  let rootValue: unknown = null;
  let rootNode = -1;
  let duplicates: FastDocument["duplicates"] = [];
  let booleans: FastDocument["booleans"] = [];
  let mark = table.size();

  const startDocument = () => {
    open = true;
    content = false;
    commented = false;
    stack = [];
    rootDone = false;
    rootValue = null;
    rootNode = -1;
    duplicates = [];
    booleans = [];
    mark = table.size();
  };

  const endDocument = () => {
    if (!open) return;
    if (commented) giveUp();
    while (stack.length > 0) closeFrame();
    onDocument({ value: rootValue, empty: !content, duplicates, booleans, root: rootNode, mark });
    open = false;
  };

  const newFrame = (kind: typeof MAP | typeof SEQ, indent: number, start: number): Frame => {
    if (stack.length >= maxDepth) giveUp();
    const frame: Frame = {
      kind,
      indent,
      start,
      end: start,
      object: kind === MAP ? {} : undefined,
      array: kind === SEQ ? [] : undefined,
      keys: [],
      starts: [],
      ends: [],
      children: [],
      awaiting: false,
      emptyAt: 0,
      emptyComment: false,
      key: "",
      keyOffset: 0,
      written: undefined,
    };
    stack.push(frame);
    return frame;
  };

  /** A value is complete: it is the pending value of the top frame, or the document's root. */
  const complete = (value: unknown, start: number, end: number, after: number, node: number) => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) {
      if (rootDone) giveUp();
      rootDone = true;
      rootValue = value;
      rootNode = node;
      return;
    }
    frame.awaiting = false;
    frame.end = after;
    if (frame.kind === SEQ) {
      frame.keys.push(undefined);
      frame.starts.push(start);
      frame.ends.push(end);
      frame.children.push(node);
      (frame.array ?? giveUp()).push(value);
      return;
    }
    const key = frame.key;
    const object = frame.object ?? giveUp();
    const index = frame.keys.length;
    frame.keys.push(key);
    frame.starts.push(frame.keyOffset);
    frame.ends.push(end);
    frame.children.push(node);
    if (stats !== undefined) stats.keyLookups++;
    // Values are never undefined: a read is a cheaper first test than hasOwn on a large mapping.
    if (object[key] !== undefined && Object.hasOwn(object, key)) {
      let written = frame.written;
      if (written === undefined) {
        written = new Map();
        for (let i = 0; i < index; i++) {
          if (stats !== undefined) stats.keyLookups++;
          const k = frame.keys[i];
          if (k !== undefined && !written.has(k)) written.set(k, frame.starts[i] ?? 0);
        }
        frame.written = written;
      }
      if (stats !== undefined) stats.keyLookups++;
      duplicates.push({ key, offset: frame.keyOffset, first: written.get(key) ?? 0 });
    } else if (frame.written !== undefined) {
      if (stats !== undefined) stats.keyLookups++;
      frame.written.set(key, frame.keyOffset);
    }
    if (key === "__proto__") {
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    } else object[key] = value;
  };

  const completeEmpty = (frame: Frame) => {
    if (frame.emptyComment) giveUp();
    const at = frame.emptyAt;
    complete(null, at, at, at, -1);
  };

  const closeFrame = () => {
    const frame = stack[stack.length - 1] ?? giveUp();
    if (frame.awaiting) completeEmpty(frame);
    stack.pop();
    const node = table.addCollection(
      frame.kind === MAP ? "map" : "seq",
      frame.start,
      frame.end,
      frame.keys,
      frame.starts,
      frame.ends,
      frame.children,
    );
    complete(frame.kind === MAP ? frame.object : frame.array, frame.start, frame.end, frame.end, node);
  };

  /**
   * A scalar token's value as Kubernetes reads it (yaml-scalars.ts, as the exact path applies it):
   * a plain YAML 1.1 boolean is a boolean (and reported), a plain number as go-yaml reads it.
   */
  const scalarValue = (i: number): unknown => {
    const type = types[i];
    const source = sources[i] ?? "";
    const offset = offsets[i] ?? 0;
    if (type !== PLAIN) return quotedText(type ?? 0, source, offset);
    const text = plainText(source, offset);
    const b = text.length <= 3 ? YAML11_BOOLEANS.get(text) : undefined;
    if (b !== undefined) {
      booleans.push({ text, value: b, offset });
      return b;
    }
    return plainScalarValue(text, resolvePlain(text));
  };

  /** A key as sigs.k8s.io/yaml makes it (`on` is "true", `0644` "420"); a YAML 1.1 boolean is reported. */
  const keyString = (i: number): string => {
    const type = types[i];
    const source = sources[i] ?? "";
    const offset = offsets[i] ?? 0;
    if (type !== PLAIN && type !== SQUOTE && type !== DQUOTE) giveUp();
    if (source.includes("\n") || source.length > 1000) giveUp();
    if (type !== PLAIN) return quotedText(type ?? 0, source, offset);
    const text = plainText(source, offset);
    // A merge key is read the exact way.
    if (text === "<<") giveUp();
    const k = plainKeyString(text) ?? giveUp();
    if (text.length <= 3 && YAML11_BOOLEANS.has(text)) booleans.push({ text, value: k === "true", offset });
    return k;
  };

  const skipSpace = (i: number): number => {
    if (types[i] !== SPACE) return i;
    if ((sources[i] ?? "").includes("\t")) giveUp();
    return i + 1;
  };

  /**
   * A flow collection from token `i` (its opening bracket) on this line, added to the table; its
   * value, and the index after its closing bracket.
   */
  const flow = (i: number, depth: number): { value: unknown; node: number; next: number; end: number } => {
    if (depth >= maxDepth) giveUp();
    const isMap = types[i] === FMAP;
    const close = isMap ? FMAP_END : FSEQ_END;
    const start = offsets[i] ?? 0;
    const object: Record<string, unknown> = {};
    const array: unknown[] = [];
    const keys: (string | undefined)[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const children: number[] = [];
    let written: Map<string, number> | undefined;
    let j = skipSpace(i + 1);
    if (types[j] !== close) {
      for (;;) {
        let key = "";
        let keyOffset = 0;
        if (isMap) {
          keyOffset = offsets[j] ?? 0;
          key = keyString(j);
          j = skipSpace(j + 1);
          if (types[j] !== COLON) giveUp();
          j = skipSpace(j + 1);
        }
        const t = types[j];
        let value: unknown;
        let node = -1;
        const vStart = offsets[j] ?? 0;
        let vEnd: number;
        if (t === FMAP || t === FSEQ) {
          const inner = flow(j, depth + 1);
          value = inner.value;
          node = inner.node;
          vEnd = inner.end;
          j = inner.next;
        } else if (t === PLAIN || t === SQUOTE || t === DQUOTE) {
          if ((sources[j] ?? "").includes("\n")) giveUp();
          value = scalarValue(j);
          vEnd = vStart + (sources[j] ?? "").length;
          j++;
        } else return giveUp();
        j = skipSpace(j);
        keys.push(isMap ? key : undefined);
        starts.push(isMap ? keyOffset : vStart);
        ends.push(vEnd);
        children.push(node);
        if (isMap) {
          if (stats !== undefined) stats.keyLookups++;
          if (Object.hasOwn(object, key)) {
            if (written === undefined) {
              written = new Map();
              for (let k = 0; k < keys.length - 1; k++) {
                const name = keys[k];
                if (name !== undefined && !written.has(name)) written.set(name, starts[k] ?? 0);
              }
            }
            duplicates.push({ key, offset: keyOffset, first: written.get(key) ?? 0 });
          } else written?.set(key, keyOffset);
          if (key === "__proto__") {
            Object.defineProperty(object, key, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else object[key] = value;
        } else array.push(value);
        if (types[j] === close) break;
        if (types[j] !== COMMA) giveUp();
        j = skipSpace(j + 1);
        // A trailing comma, or an empty entry.
        if (types[j] === close || types[j] === COMMA) giveUp();
      }
    }
    const end = (offsets[j] ?? 0) + 1;
    const node = table.addCollection(isMap ? "map" : "seq", start, end, keys, starts, ends, children);
    return { value: isMap ? object : array, node, next: j + 1, end };
  };

  /** The rest of a line after a value: spaces and a comment (after a space) only. */
  const lineRest = (i: number): void => {
    if (i >= n) return;
    if (types[i] !== SPACE) giveUp();
    i = skipSpace(i);
    if (i < n && types[i] !== COMMENT) giveUp();
    if (i + 1 < n) giveUp();
  };

  /** A value written on this line from token `i`; completes the top frame's pending value. */
  const inlineValue = (i: number, lineEnd: number) => {
    const t = types[i];
    const start = offsets[i] ?? 0;
    if (t === FMAP || t === FSEQ) {
      const f = flow(i, stack.length);
      lineRest(f.next);
      complete(f.value, start, f.end, lineEnd, f.node);
      return;
    }
    if (t !== PLAIN && t !== SQUOTE && t !== DQUOTE) giveUp();
    const value = scalarValue(i);
    lineRest(i + 1);
    complete(value, start, start + (sources[i] ?? "").length, lineEnd, -1);
  };

  /** `key:` and what follows it on this line, from token `i`, in map `frame`. */
  const keyLine = (frame: Frame, i: number, lineEnd: number) => {
    frame.keyOffset = offsets[i] ?? 0;
    frame.key = keyString(i);
    let j = skipSpace(i + 1);
    if (types[j] !== COLON) giveUp();
    const colonEnd = (offsets[j] ?? 0) + 1;
    j++;
    if (j < n && types[j] !== SPACE) giveUp();
    const afterSpace = skipSpace(j);
    frame.awaiting = true;
    frame.emptyComment = false;
    frame.emptyAt =
      afterSpace < n ? (offsets[afterSpace] ?? 0) : j < n ? colonEnd + (sources[j] ?? "").length : colonEnd;
    if (afterSpace >= n) return;
    // An empty value with a comment ends elsewhere in the `yaml` package (its comment's end).
    if (types[afterSpace] === COMMENT) {
      frame.emptyComment = true;
      return;
    }
    inlineValue(afterSpace, lineEnd);
  };

  const isKeyAt = (i: number): boolean => {
    const t = types[i];
    if (t !== PLAIN && t !== SQUOTE && t !== DQUOTE) return false;
    const j = types[i + 1] === SPACE ? i + 2 : i + 1;
    return types[j] === COLON;
  };

  const line = (lineStart: number, lineEnd: number) => {
    // Reads past the line's last token see no token.
    types[n] = 0;
    types[n + 1] = 0;
    types[n + 2] = 0;
    let i = 0;
    if (types[0] === SPACE) {
      if ((sources[0] ?? "").includes("\t")) giveUp();
      i = 1;
    }
    if (i >= n) return; // blank
    const first = types[i];
    if (first === COMMENT) {
      // A comment line before a document's content belongs to no node.
      if (content) commented = true;
      return;
    }
    if (first === DOC_START) {
      endDocument();
      startDocument();
      lineRest(i + 1);
      return;
    }
    if (!open) startDocument();
    content = true;
    const column = (offsets[i] ?? 0) - lineStart;
    const dash = first === DASH;
    const key = !dash && isKeyAt(i);
    // Close what this line ends.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      if (top.awaiting) {
        if (column > top.indent || (top.kind === MAP && column === top.indent && dash)) break;
        if (commented) giveUp();
        completeEmpty(top);
        continue;
      }
      if (column < top.indent) {
        if (commented) giveUp();
        closeFrame();
        continue;
      }
      if (column > top.indent) giveUp();
      if (top.kind === SEQ && !dash) {
        const parent = stack[stack.length - 2];
        if (parent?.kind === MAP && parent.indent === column) {
          if (commented) giveUp();
          closeFrame();
          continue;
        }
        giveUp();
      }
      if (top.kind === MAP && !key) giveUp();
      break;
    }
    commented = false;
    let top = stack[stack.length - 1];
    if (top === undefined || top.awaiting) {
      if (top === undefined && rootDone) giveUp();
      if (dash) top = newFrame(SEQ, column, offsets[i] ?? 0);
      else if (key) top = newFrame(MAP, column, offsets[i] ?? 0);
      else {
        inlineValue(i, lineEnd);
        return;
      }
    }
    if (!dash) {
      keyLine(top, i, lineEnd);
      return;
    }
    // A sequence item: `-`, then nothing, a value, or a `key: value` that opens a mapping.
    const dashEnd = (offsets[i] ?? 0) + 1;
    let j = i + 1;
    top.awaiting = true;
    top.emptyComment = false;
    top.emptyAt = dashEnd;
    if (j >= n) return;
    if (types[j] !== SPACE) giveUp();
    j = skipSpace(j);
    top.emptyAt = j < n ? (offsets[j] ?? 0) : dashEnd + (sources[i + 1] ?? "").length;
    if (j >= n) return;
    const t = types[j];
    if (t === COMMENT) {
      top.emptyComment = true;
      return;
    }
    if (t === DASH) giveUp();
    if (isKeyAt(j)) {
      const map = newFrame(MAP, (offsets[j] ?? 0) - lineStart, offsets[j] ?? 0);
      keyLine(map, j, lineEnd);
      return;
    }
    inlineValue(j, lineEnd);
  };

  let lineStart = 0;
  let offset = 0;
  let atScalar = false;
  const push = (type: number, source: string) => {
    types[n] = type;
    offsets[n] = offset;
    sources[n] = source;
    n++;
  };
  if (tokens === "lines") {
    const pushAt = (type: number, from: number, to: number) => {
      if (stats !== undefined) stats.lexemes++;
      types[n] = type;
      offsets[n] = from;
      sources[n] = text.slice(from, to);
      n++;
    };
    const length = text.length;
    for (let start = 0; start < length;) {
      let nl = text.indexOf("\n", start);
      const next = nl === -1 ? length : nl + 1;
      if (nl === -1) nl = length;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      n = 0;
      tokenizeLine(text, start, end, pushAt);
      if (n > 0) {
        const last = n - 1;
        line(start, next > nl ? next : (offsets[last] ?? 0) + (sources[last] ?? "").length);
      }
      start = next;
    }
    endDocument();
    return;
  }
  for (const lexeme of new Lexer().lex(text)) {
    if (stats !== undefined) stats.lexemes++;
    if (atScalar) {
      atScalar = false;
      push(PLAIN, lexeme);
      offset += lexeme.length;
      continue;
    }
    if (lexeme === CST.SCALAR) {
      atScalar = true;
      continue;
    }
    if (lexeme === CST.DOCUMENT) continue;
    switch (CST.tokenType(lexeme)) {
      case "newline":
        line(lineStart, offset + lexeme.length);
        n = 0;
        offset += lexeme.length;
        lineStart = offset;
        continue;
      case "space":
        push(SPACE, lexeme);
        break;
      case "comment":
        if (n > 0 && types[n - 1] !== SPACE) giveUp();
        push(COMMENT, lexeme);
        break;
      case "seq-item-ind":
        push(DASH, lexeme);
        break;
      case "map-value-ind":
        push(COLON, lexeme);
        break;
      case "single-quoted-scalar":
        push(SQUOTE, lexeme);
        break;
      case "double-quoted-scalar":
        push(DQUOTE, lexeme);
        break;
      case "flow-map-start":
        push(FMAP, lexeme);
        break;
      case "flow-map-end":
        push(FMAP_END, lexeme);
        break;
      case "flow-seq-start":
        push(FSEQ, lexeme);
        break;
      case "flow-seq-end":
        push(FSEQ_END, lexeme);
        break;
      case "comma":
        push(COMMA, lexeme);
        break;
      case "doc-start":
        if (n > 0) giveUp();
        push(DOC_START, lexeme);
        break;
      default:
        giveUp();
    }
    offset += lexeme.length;
  }
  if (atScalar) giveUp();
  if (n > 0) {
    const last = n - 1;
    line(lineStart, (offsets[last] ?? 0) + (sources[last] ?? "").length);
  }
  endDocument();
}

/** Characters that are not read the way this tokenizer reads them (line breaks of YAML 1.1, a BOM). */
function odd(c: number): boolean {
  return c < 32 || c === 127 || c === 0x85 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

/**
 * The tokens of one line of the subset, as the `yaml` package's lexer gives them there, without the
 * lexer (whose generator and per-lexeme strings were most of the time of the 1.2-million-key file):
 * indentation, `-`, `:`, a comment, `---`, plain scalars that end on this line, quoted scalars
 * closed on it, flow brackets and commas closed on it. Anything else, or anything it is unsure of,
 * gives up (and the text is read with the lexer).
 */
function tokenizeLine(
  text: string,
  start: number,
  end: number,
  push: (type: number, from: number, to: number) => void,
): void {
  let p = start;
  let flow = 0;
  let head = true; // only indentation and dashes so far
  let lastSpace = true; // the previous token was a space (or this is the line's start)
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 32) {
      let q = p + 1;
      while (q < end && text.charCodeAt(q) === 32) q++;
      push(SPACE, p, q);
      p = q;
      lastSpace = true;
      continue;
    }
    const next = p + 1 < end ? text.charCodeAt(p + 1) : 32;
    if (c === 35) {
      if (!lastSpace) giveUp();
      push(COMMENT, p, end);
      return;
    }
    if (p === start && (c === 45 || c === 46) && text.startsWith(c === 45 ? "---" : "...", p)) {
      if (c === 46 || (p + 3 < end && text.charCodeAt(p + 3) !== 32)) giveUp();
      push(DOC_START, p, p + 3);
      p += 3;
      head = false;
      lastSpace = false;
      continue;
    }
    lastSpace = false;
    if (c === 45 && head && next === 32) {
      push(DASH, p, p + 1);
      p++;
      continue;
    }
    head = false;
    if (c === 58) {
      if (next !== 32) giveUp();
      push(COLON, p, p + 1);
      p++;
      continue;
    }
    if (c === 123 || c === 91) {
      push(c === 123 ? FMAP : FSEQ, p, p + 1);
      flow++;
      p++;
      continue;
    }
    if (c === 125 || c === 93) {
      if (flow === 0) giveUp();
      push(c === 125 ? FMAP_END : FSEQ_END, p, p + 1);
      flow--;
      p++;
      continue;
    }
    if (c === 44) {
      if (flow === 0) giveUp();
      push(COMMA, p, p + 1);
      p++;
      continue;
    }
    if (c === 34 || c === 39) {
      let q = p + 1;
      for (;;) {
        if (q >= end) giveUp();
        const d = text.charCodeAt(q);
        if (odd(d) && d !== 9) giveUp();
        if (c === 34 && d === 92) q += 2;
        else if (d === c) {
          if (c === 39 && q + 1 < end && text.charCodeAt(q + 1) === 39) q += 2;
          else break;
        } else q++;
      }
      push(c === 34 ? DQUOTE : SQUOTE, p, q + 1);
      p = q + 1;
      continue;
    }
    // A plain scalar: not starting with an indicator (a `-` only before a non-space).
    if (odd(c) || "?:,[]{}#&*!|>'\"%@`".includes(text[p] ?? "") || (c === 45 && next === 32)) giveUp();
    let q = p + 1;
    for (; q < end; q++) {
      const d = text.charCodeAt(q);
      if (d === 58) {
        const e = q + 1 < end ? text.charCodeAt(q + 1) : 32;
        if (e === 32) break;
        if (flow > 0) giveUp();
        continue;
      }
      if (d === 35 && text.charCodeAt(q - 1) === 32) break;
      if (odd(d)) giveUp();
      if (flow > 0 && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125)) break;
    }
    let r = q;
    while (r > p && text.charCodeAt(r - 1) === 32) r--;
    push(PLAIN, p, r);
    p = r;
  }
  if (flow !== 0) giveUp();
}
