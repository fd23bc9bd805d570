// Text → resources, each with a lazy source locator over the `yaml` package's node ranges.
// Pure (no node:*): runs in a browser too. Problems become findings, never exceptions.
//
// Kubernetes reads YAML with go-yaml v2 (through sigs.k8s.io/yaml), which is more lenient than
// the YAML spec and than the `yaml` package. What kubectl accepts is parsed here the way it reads
// it, so that no object goes unchecked for a reason the cluster would not share:
// - a repeated key keeps the last value (and is reported as `duplicate-key`, located);
// - `<<` merge keys are resolved in order, later entries winning, as go-yaml v2's decoder does;
// - a comment right after a quoted scalar or a flow collection (`'x'#c`) is a comment;
// - a plain `yes`/`no`/`on`/`off`/`y`/`n` (YAML 1.1) is a boolean, in every field, as kubectl sends
//   it (and reported as `lenient-yaml`, located): a boolean field takes it, a string field rejects it.
// Only what kubectl rejects is a `parse-error`. Each document is converted inside its own error
// boundary, with a nesting limit and an alias-expansion budget.
import {
  Composer,
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  type Pair,
  type Scalar,
  LineCounter,
  Parser,
  type Document,
  type Node,
} from "yaml";
import {
  duplicateKey,
  invalidObject,
  lenientYaml,
  parseError,
  PARSE_ERROR_REMEDIES,
} from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type {
  Finding,
  KObject,
  Path,
  Resource,
  ResourceRef,
  SourceLoc,
  SourceLocator,
} from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { type FastStats, readFast } from "./yaml-fast.js";
import { repairIndentation } from "./yaml-lenient.js";
import { isMergeKey, LocationTable } from "./yaml-locations.js";
import { plainScalarValue, scalarKey, YAML11_BOOLEANS } from "./yaml-scalars.js";

export interface ParsedText {
  resources: Resource[];
  findings: Finding[];
  /** Documents that are not Kubernetes objects (no apiVersion/kind): counted, not reported. */
  skipped: number;
}

/** Deepest nesting of collections a document may have (Kubernetes objects stay far below it). */
export const MAX_NESTING = 250;
/**
 * The lexical pre-check that protects the parser (whose recursion overflows the stack near 2,000
 * levels) counts indentation levels and indicators, which over-counts real nesting at most about
 * twofold; a document above this count is refused before it is parsed.
 */
const LEXICAL_NESTING_GUARD = 4 * MAX_NESTING;
/** Nodes an alias expansion may produce beyond the document's own size ("billion laughs"). */
const ALIAS_BUDGET = 100_000;
/** Deeper documents are left to the exact path (which reports over-deep ones). */
const FAST_MAX_DEPTH = 100;

/** A parse-error finding with the remediation that fits its message. */
export function parseErrorFinding(
  messageId: string,
  data: Record<string, string | number>,
  loc: SourceLoc,
): Finding {
  const remediation = PARSE_ERROR_REMEDIES[messageId];
  return inputFinding(parseError, messageId, data, loc, remediation !== undefined ? { remediation } : {});
}

/** Errors of the `yaml` package for input that go-yaml v2 (kubectl) reads without complaint. */
function isLenient(message: string): boolean {
  // libyaml's scanner starts a comment at `#` after any token, whitespace or not.
  return message.startsWith("Comments must be separated from other tokens by white space characters");
}

class DocumentProblem extends Error {
  constructor(
    readonly messageId: "tooDeep" | "aliasBomb" | "badKey",
    readonly offset: number,
    readonly data: Record<string, string | number>,
  ) {
    super(messageId);
  }
}

/**
 * A text's resources and findings: read by the fast path (yaml-fast.ts) when the text stays in its
 * subset, else the exact way; both give the same result (test/inputs/yaml-fast.test.ts).
 */
export function parseYaml(text: string, file: string): ParsedText {
  return parseYamlFast(text, file) ?? parseYamlExact(text, file);
}

/** The fast path alone: undefined when the text is outside its subset. */
export function parseYamlFast(
  text: string,
  file: string,
  stats?: FastStats,
  tokens?: "lines" | "lexer",
): ParsedText | undefined {
  if (text.includes("\0")) return undefined;
  if (tokens === undefined) {
    // Lines the simple tokenizer reads first, then the `yaml` package's lexer.
    return parseYamlFast(text, file, stats, "lines") ?? parseYamlFast(text, file, stats, "lexer");
  }
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  const posOf = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: Math.max(p.line, 1), column: p.col };
  };
  const reading = newReading(text, (offset) => offset, file, posOf);
  const ok = readFast(
    text,
    reading.table,
    FAST_MAX_DEPTH,
    (doc) => {
      const docIndex = reading.documents++;
      if (doc.empty) return;
      const kept = emitDocument(reading, docIndex, doc.value, doc.duplicates, doc.booleans, () => ({
        root: doc.root,
        item: (i) => reading.table.listItem(doc.root, i),
      }));
      if (!kept) reading.table.truncate(doc.mark);
    },
    stats,
    tokens,
  );
  if (!ok) return undefined;
  return { resources: reading.resources, findings: reading.findings, skipped: reading.skipped };
}

/** The exact path: the `yaml` package's parser and composer, with go-yaml's leniencies. */
export function parseYamlExact(text: string, file: string): ParsedText {
  const out: ParsedText = { resources: [], findings: [], skipped: 0 };
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    out.findings.push(parseErrorFinding("binary", { offset: nul }, { file, line: 1, column: 1 }));
    return out;
  }
  const lineCounter = new LineCounter();
  const posOfOriginal = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: Math.max(p.line, 1), column: p.col };
  };
  // Documents are read as the parser completes them (their node trees are dropped once read): the
  // file as it is first; when some fail and re-indenting continuation lines as Kubernetes reads
  // them (see yaml-lenient.ts) makes one of those readable, the repaired text again from the start.
  // Offsets are those of the text read; lines are always the file's.
  let reading: Reading;
  try {
    reading = withPlainEnv(() => {
      let first = newReading(text, (offset) => offset, file, posOfOriginal);
      parseDocuments(
        text,
        lineCounter,
        (offset) => {
          out.findings.push(
            parseErrorFinding("tooDeep", { limit: MAX_NESTING }, { file, ...posOfOriginal(offset) }),
          );
        },
        (doc) => {
          readDocument(doc, first);
        },
        () => (first = newReading(text, (offset) => offset, file, posOfOriginal)),
      );
      const failing = first.failing;
      const repaired =
        failing.length === 0
          ? undefined
          : repairIndentation(text, (o) => failing.some(([start, end]) => o >= start && o < end));
      if (repaired === undefined) return first;
      let readable: { start: number; end: number; ok: boolean }[] = [];
      parseDocuments(
        repaired.text,
        new LineCounter(),
        () => undefined,
        (d) =>
          readable.push({
            start: repaired.toOriginal(d.range[0]),
            end: repaired.toOriginal(d.range[2]),
            ok: d.errors.every((e) => isLenient(e.message)),
          }),
        () => (readable = []),
      );
      const ok = (o: number) => readable.some((d) => d.start <= o && o < d.end && d.ok);
      // Only documents the repair made readable take it; the others keep their first reading.
      if (!repaired.repairs.some((r) => ok(r.offset))) return first;
      for (const r of repaired.repairs) {
        if (!ok(r.offset)) continue;
        out.findings.push(
          inputFinding(
            lenientYaml,
            r.kind === "quoted" ? "quotedIndent" : "flowIndent",
            {},
            { file, ...posOfOriginal(r.offset) },
          ),
        );
      }
      let again = newReading(repaired.text, repaired.toOriginal, file, posOfOriginal);
      parseDocuments(
        repaired.text,
        new LineCounter(),
        () => undefined,
        (doc) => {
          readDocument(doc, again);
        },
        () => (again = newReading(repaired.text, repaired.toOriginal, file, posOfOriginal)),
      );
      return again;
    });
  } catch (err) {
    // The last line of defence (the lexical guard should make this unreachable): one finding for
    // the file, never a crash of the whole scan.
    const detail = err instanceof Error ? err.message : String(err);
    out.findings.push(parseErrorFinding("syntax", { detail }, { file, line: 1, column: 1 }));
    return out;
  }
  for (const f of reading.findings) out.findings.push(f);
  out.resources = reading.resources;
  out.skipped = reading.skipped;
  return out;
}

/**
 * Runs `fn` with `process.env` replaced by a plain copy of it. The `yaml` package's Parser and
 * Composer read `process.env.LOG_TOKENS` / `LOG_STREAM` (debugging switches) for every token, and
 * Node's process.env is an exotic object whose every read asks the C library (about 0.5-1 µs): a
 * 50,000-document file has 3.4 million tokens. `fn` is synchronous, so no other code sees the copy
 * (and the switches still work: the copy has them); the real object is back when it returns or
 * throws. Without a replaceable process.env (browsers), `fn` just runs.
 */
export function withPlainEnv<T>(fn: () => T): T {
  const proc = (globalThis as { process?: { env?: unknown } }).process;
  const real = proc?.env;
  if (proc === undefined || typeof real !== "object" || real === null) return fn();
  try {
    proc.env = { ...real };
  } catch {
    return fn();
  }
  try {
    return fn();
  } finally {
    proc.env = real;
  }
}

/** What one pass over a text's documents produced, in document order. */
interface Reading {
  findings: Finding[];
  resources: Resource[];
  skipped: number;
  /** Documents read so far (a resource's docIndex). */
  documents: number;
  /** Offsets [start, end) of documents with errors kubectl would report too. */
  failing: [number, number][];
  /** The text read (the file, or its repaired copy). */
  parsed: string;
  file: string;
  posOf: (offset: number) => { line: number; column: number };
  table: LocationTable;
}

function newReading(
  parsed: string,
  toOriginal: (offset: number) => number,
  file: string,
  posOfOriginal: (offset: number) => { line: number; column: number },
): Reading {
  return {
    findings: [],
    resources: [],
    skipped: 0,
    documents: 0,
    failing: [],
    parsed,
    file,
    posOf: (offset) => posOfOriginal(toOriginal(offset)),
    table: new LocationTable(),
  };
}

function readDocument(doc: Document.Parsed, reading: Reading): void {
  const { file, posOf, parsed, table } = reading;
  const out = reading;
  const docIndex = reading.documents++;
  const errors = doc.errors.filter((e) => !isLenient(e.message));
  if (errors.length === 0) {
    for (const e of doc.errors) {
      out.findings.push(inputFinding(lenientYaml, "commentSpacing", {}, { file, ...posOf(e.pos[0]) }));
    }
  }
  if (errors.length > 0) {
    reading.failing.push([doc.range[0], doc.range[2]]);
    // Errors found at end of input (an unclosed bracket) point at the last line with content.
    const lastContent = Math.max(parsed.trimEnd().length - 1, 0);
    for (const err of errors) {
      const { line, column } = posOf(Math.min(err.pos[0], lastContent));
      out.findings.push(
        inputFinding(parseError, "syntax", { detail: cleanYamlMessage(err.message) }, { file, line, column }),
      );
    }
    return;
  }
  const root = doc.contents;
  if (root === null) return;
  let value: unknown;
  const duplicates: { key: string; offset: number; first: number }[] = [];
  const booleans: Yaml11Boolean[] = [];
  try {
    value = toKubernetesValue(root, parsed.length, duplicates, booleans);
  } catch (err) {
    if (!(err instanceof DocumentProblem)) {
      const detail = err instanceof Error ? err.message : String(err);
      out.findings.push(inputFinding(parseError, "syntax", { detail }, { file, ...posOf(root.range[0]) }));
      return;
    }
    out.findings.push(parseErrorFinding(err.messageId, err.data, { file, ...posOf(err.offset) }));
    return;
  }
  emitDocument(reading, docIndex, value, duplicates, booleans, () => {
    // Only what locating a path needs is kept, in the file's table; the node tree is not.
    const nodes = table.add(root);
    const rootAt = nodes.get(root) ?? table.leaf(root);
    let list: { anchors: Map<string, Node>; items: Node | undefined } | undefined;
    return {
      root: rootAt,
      item: (i) => {
        if (list === undefined) {
          const anchors = anchorsOf(root);
          list = {
            anchors,
            items: follow(isMap(root) ? lastPair(root, "items")?.value : undefined, anchors),
          };
        }
        const { anchors, items: itemsNode } = list;
        const itemNode = isSeq(itemsNode) ? follow(itemsNode.items[i], anchors) : undefined;
        return itemNode === undefined ? undefined : (nodes.get(itemNode) ?? table.leaf(itemNode));
      },
    };
  });
}

/** Where a converted document's objects are in the file's table: its root, and a List's items. */
interface Placement {
  root: number;
  /** The node of item `i` of the List's `items`, or undefined (the root is located instead). */
  item: (i: number) => number | undefined;
}

/**
 * The findings and resources of a converted document, read either way (the exact path or the fast
 * one). `place` is called only for a Kubernetes object; false when it was not (nothing is kept).
 */
function emitDocument(
  reading: Reading,
  docIndex: number,
  value: unknown,
  duplicates: readonly { key: string; offset: number; first: number }[],
  booleans: readonly Yaml11Boolean[],
  place: () => Placement,
): boolean {
  const { file, posOf, table } = reading;
  const out = reading;
  for (const d of duplicates) {
    out.findings.push(
      inputFinding(
        duplicateKey,
        "repeated",
        { key: d.key, first: posOf(d.first).line },
        { file, ...posOf(d.offset) },
      ),
    );
  }
  for (const b of booleans) {
    out.findings.push(
      inputFinding(
        lenientYaml,
        "yaml11Boolean",
        { text: b.text, value: String(b.value) },
        { file, ...posOf(b.offset) },
      ),
    );
  }
  if (value === null || value === undefined) return false;
  if (!isRecord(value) || !isKubernetesObject(value)) {
    out.skipped++;
    return false;
  }
  const placement = place();
  const makeLocator = (at: number) => locatorAt(table, at, file, posOf);
  const kind = value["kind"] as string;
  const items = value["items"];
  if ((kind === "List" || kind.endsWith("List")) && Array.isArray(items)) {
    items.forEach((item: unknown, i) => {
      const locator = makeLocator(placement.item(i) ?? placement.root);
      if (!isKubernetesObject(item)) {
        const { loc } = locator.locate([]);
        out.findings.push(
          inputFinding(
            invalidObject,
            "listItem",
            { index: i, field: "items", detail: "a List may only hold Kubernetes objects" },
            loc,
          ),
        );
        return;
      }
      out.resources.push({ ref: refOf(item), object: item, file, docIndex, listIndex: i, source: locator });
    });
    return true;
  }
  out.resources.push({
    ref: refOf(value),
    object: value,
    file,
    docIndex,
    source: makeLocator(placement.root),
  });
  return true;
}

/**
 * A locator over a table node. Made here, outside readDocument, so that it keeps only the table:
 * a closure made inside would share readDocument's scope, node trees included.
 */
function locatorAt(
  table: LocationTable,
  at: number,
  file: string,
  posOf: (offset: number) => { line: number; column: number },
): SourceLocator {
  return { locate: (path) => table.locate(at, path, file, posOf) };
}

/**
 * Lex, check each document's nesting on the lexical tokens, and parse, in one stream (no array of
 * every token: a 50,000-document file would hold millions of them at once), handing each document
 * to `onDocument` as it is complete. A document above the guard stops the stream before the parser
 * recurses into it; `restart` is called (the documents handed over so far are to be forgotten), the
 * text is lexed again with every such document blanked (same offsets and lines, no content) and
 * reported through `tooDeep`, and parsed again, so the other documents stay.
 */
function parseDocuments(
  text: string,
  lineCounter: LineCounter,
  tooDeep: (offset: number) => void,
  onDocument: (doc: Document.Parsed) => void,
  restart: () => void,
): void {
  if (parseTokens(new Lexer().lex(text), lineCounter, nestingChecker(), onDocument)) return;
  restart();
  lineCounter.lineStarts.length = 0;
  const check = nestingChecker();
  for (const lexeme of new Lexer().lex(text)) check.push(lexeme);
  const parts: string[] = [];
  let from = 0;
  for (const d of check.end()) {
    tooDeep(d.at);
    parts.push(text.slice(from, d.start), text.slice(d.start, d.end).replace(/[^\r\n]/g, " "));
    from = d.end;
  }
  parts.push(text.slice(from));
  parseTokens(new Lexer().lex(parts.join("")), lineCounter, undefined, onDocument);
}

/** Hands the documents of `lexemes` to `onDocument`; false as soon as `check` finds one too deep. */
function parseTokens(
  lexemes: Iterable<string>,
  lineCounter: LineCounter,
  check: NestingChecker | undefined,
  onDocument: (doc: Document.Parsed) => void,
): boolean {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const composer = new Composer({ uniqueKeys: false });
  const stopped = { deep: false };
  function* cst() {
    for (const lexeme of lexemes) {
      if (check?.push(lexeme) === true) {
        stopped.deep = true;
        return;
      }
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  for (const doc of composer.compose(cst())) {
    if (stopped.deep) return false;
    onDocument(doc);
  }
  return !stopped.deep;
}

interface NestingChecker {
  /** Takes the next lexeme; true when it makes its document too deep (once per document). */
  push(lexeme: string): boolean;
  /** The documents found too deep. */
  end(): { start: number; end: number; at: number }[];
}

/**
 * Finds documents whose lexical nesting estimate exceeds the guard: the number of open indentation
 * levels, plus the block indicators on the current line, plus open flow brackets. This bounds the
 * parser's recursion from above without parsing.
 */
function nestingChecker(): NestingChecker {
  const out: { start: number; end: number; at: number }[] = [];
  let offset = 0;
  let docStart = 0;
  let deepAt = -1;
  let indents: number[] = [];
  let flow = 0;
  let lineIndicators = 0;
  let atLineStart = true;
  let lineIndent = 0;
  const closeDoc = (end: number) => {
    if (deepAt !== -1) out.push({ start: docStart, end, at: deepAt });
    deepAt = -1;
    indents = [];
    flow = 0;
  };
  let atScalar = false;
  const push = (lexeme: string): boolean => {
    // The lexer's control lexemes (document mode, flow error end, the scalar marker) are not
    // source text; the source after a scalar marker is a scalar, whatever it looks like.
    const type = atScalar ? "scalar" : CST.tokenType(lexeme);
    atScalar = false;
    if (lexeme === CST.SCALAR) {
      atScalar = true;
      return false;
    }
    if (type === "doc-mode" || type === "flow-error-end") return false;
    let deep = false;
    switch (type) {
      case "doc-start":
        closeDoc(offset);
        docStart = offset;
        break;
      case "doc-end":
        closeDoc(offset);
        docStart = offset;
        break;
      case "newline":
        atLineStart = true;
        lineIndent = 0;
        lineIndicators = 0;
        break;
      case "space":
        if (atLineStart) lineIndent = lexeme.length;
        break;
      case "comment":
        break;
      default: {
        if (atLineStart) {
          atLineStart = false;
          if (flow === 0) {
            while (indents.length > 0 && (indents.at(-1) ?? 0) >= lineIndent) indents.pop();
            indents.push(lineIndent);
          }
        }
        if (type === "seq-item-ind" || type === "explicit-key-ind" || type === "map-value-ind")
          lineIndicators++;
        else if (type === "flow-map-start" || type === "flow-seq-start") flow++;
        else if ((type === "flow-map-end" || type === "flow-seq-end") && flow > 0) flow--;
        if (deepAt === -1 && indents.length + lineIndicators + flow > LEXICAL_NESTING_GUARD) {
          deepAt = offset;
          deep = true;
        }
      }
    }
    offset += lexeme.length;
    return deep;
  };
  return {
    push,
    end: () => {
      closeDoc(offset);
      return out;
    },
  };
}

/** A node's own anchors, in document order (a later anchor of the same name replaces the earlier). */
export function anchorsOf(root: Node): Map<string, Node> {
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [root];
  // Depth-first in source order, so later definitions overwrite earlier ones.
  while (stack.length > 0) {
    const n = stack.pop();
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    if (!isScalar(n) && !isMap(n) && !isSeq(n)) continue;
    if (n.anchor !== undefined) anchors.set(n.anchor, n);
    if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return anchors;
}

/** An alias's target (its anchor as last defined before it), or the node itself. */
function follow(node: unknown, anchors: Map<string, Node>): Node | undefined {
  if (isAlias(node)) return anchors.get(node.source);
  return isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
}

const KEY_PROBLEM = "map keys must be strings, numbers or booleans (kubectl rejects this key)";

/**
 * The node as go-yaml v2 + sigs.k8s.io/yaml would hand it to Kubernetes: repeated keys keep the
 * last value, merge keys are applied in order (later entries win; in a `<<: [a, b]` list, a wins
 * over b), scalar keys become strings. Bounded in depth and in alias expansion.
 */
export { YAML11_BOOLEANS } from "./yaml-scalars.js";

interface Yaml11Boolean {
  text: string;
  value: boolean;
  offset: number;
}

function toKubernetesValue(
  root: Node,
  sourceSize: number,
  duplicates: { key: string; offset: number; first: number }[],
  booleans: Yaml11Boolean[],
): unknown {
  // Anchors are defined in document order as the walk meets them, like go-yaml's parser.
  const anchors = new Map<string, Node>();
  let expanded = 0;
  const budget = ALIAS_BUDGET + sourceSize;
  const expanding = new Set<Node>();

  const convert = (node: unknown, depth: number, viaAlias: boolean): unknown => {
    if (viaAlias && ++expanded > budget) throw new DocumentProblem("aliasBomb", offsetOf(node), {});
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined || expanding.has(target)) {
        throw new DocumentProblem("badKey", offsetOf(node), {
          detail: `unknown or recursive anchor \`${node.source}\``,
        });
      }
      expanding.add(target);
      try {
        return convert(target, depth, true);
      } finally {
        expanding.delete(target);
      }
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor !== undefined && !viaAlias) anchors.set(node.anchor, node);
    }
    if (isScalar(node)) {
      const v = node.value;
      // Only a plain, untagged scalar is resolved (`"yes"` and `!!str yes` stay strings in go-yaml too).
      if (node.type !== "PLAIN" || node.tag !== undefined || node.source === undefined) return v;
      const b = node.source.length <= 3 ? YAML11_BOOLEANS.get(node.source) : undefined;
      if (b === undefined) return plainScalarValue(node.source, v);
      if (!viaAlias) booleans.push({ text: node.source, value: b, offset: offsetOf(node) });
      return b;
    }
    if (depth >= MAX_NESTING) {
      throw new DocumentProblem("tooDeep", offsetOf(node), { limit: MAX_NESTING });
    }
    if (isSeq(node)) return node.items.map((item) => convert(item, depth + 1, viaAlias));
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      // Only keys written in this mapping count as repeated; merged ones may be overridden freely.
      const written = viaAlias ? undefined : new Map<string, number>();
      const put = (key: string, value: unknown) => {
        if (key === "__proto__") {
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        } else obj[key] = value;
      };
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          mergeInto(pair.value, depth, viaAlias, put);
          continue;
        }
        const key = keyString(pair.key, viaAlias, depth);
        const value = convert(pair.value, depth + 1, viaAlias);
        if (written !== undefined) {
          const keyOffset = offsetOf(pair.key);
          const first = written.get(key);
          if (first !== undefined) duplicates.push({ key, offset: keyOffset, first });
          else written.set(key, keyOffset);
        }
        put(key, value);
      }
      return obj;
    }
    return null;
  };

  // sigs.k8s.io/yaml: a key is the string of its go-yaml value (`on:` is "true", `0644:` "420").
  const keyString = (key: unknown, viaAlias: boolean, depth: number): string => {
    let node = key;
    if (isAlias(key)) {
      convert(key, depth, viaAlias); // checks the anchor and the expansion budget
      node = anchors.get(key.source);
    }
    const k = isScalar(node) ? scalarKey(node) : undefined;
    if (k === undefined) throw new DocumentProblem("badKey", offsetOf(key), { detail: KEY_PROBLEM });
    const b = node === key && !viaAlias && isScalar(node) ? yaml11Boolean(node) : undefined;
    if (b !== undefined) booleans.push({ text: b, value: k === "true", offset: offsetOf(node) });
    return k;
  };

  // go-yaml v2: a mapping's entries are set in turn; a merged mapping's entries are set when the
  // `<<` key is met (so a key written before `<<` is overridden by it, one written after wins),
  // and a merged list is applied from its last element to its first.
  const mergeInto = (
    source: unknown,
    depth: number,
    viaAlias: boolean,
    put: (key: string, value: unknown) => void,
  ) => {
    const list = isSeq(source) ? [...source.items].reverse() : [source];
    for (const item of list) {
      const target = isAlias(item) ? anchors.get(item.source) : item;
      if (!isMap(target)) {
        throw new DocumentProblem("badKey", offsetOf(item), {
          detail: "map merge requires map or sequence of maps as the value",
        });
      }
      const merged = convert(item, depth, viaAlias || isAlias(item));
      if (isRecord(merged)) for (const [k, v] of Object.entries(merged)) put(k, v);
    }
  };

  return convert(root, 0, false);
}

/** The source text of a plain, untagged `yes`/`no`/`on`/`off`/`y`/`n`, else undefined. */
function yaml11Boolean(node: Scalar): string | undefined {
  const text = node.source;
  if (node.type !== "PLAIN" || node.tag !== undefined || text === undefined || text.length > 3)
    return undefined;
  return YAML11_BOOLEANS.has(text) ? text : undefined;
}

function offsetOf(node: unknown): number {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) return node.range?.[0] ?? 0;
  return 0;
}

function isKubernetesObject(v: unknown): v is KObject {
  return (
    isRecord(v) && typeof v["apiVersion"] === "string" && typeof v["kind"] === "string" && v["kind"] !== ""
  );
}

export function refOf(obj: KObject): ResourceRef {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name =
    typeof meta["name"] === "string"
      ? meta["name"]
      : typeof meta["generateName"] === "string"
        ? meta["generateName"]
        : "";
  const ref: ResourceRef = { apiVersion: String(obj["apiVersion"]), kind: String(obj["kind"]), name };
  if (typeof meta["namespace"] === "string") ref.namespace = meta["namespace"];
  return ref;
}

/** The pair in effect for `key`: the last one written (a repeated key keeps its last value). */
function lastPair(map: Node, key: string | number): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i];
    if (isPair(p) && !isMergeKey(p.key) && keyMatches(p.key, key)) return p;
  }
  return undefined;
}

/** Where a merged key comes from: the merged mappings, in go-yaml's order of precedence. */
function mergedPair(
  map: Node,
  key: string | number,
  anchors: Map<string, Node>,
  depth = 0,
): Pair | undefined {
  if (!isMap(map) || depth > 8) return undefined;
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i];
    if (!isPair(p) || !isMergeKey(p.key)) continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const s of sources) {
      const target = follow(s, anchors);
      if (target === undefined) continue;
      const found = lastPair(target, key) ?? mergedPair(target, key, anchors, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Walk `path` down the YAML node tree (through aliases and merge keys). A found key points at the
 * key (where a reader looks); a missing one at the deepest ancestor that exists, with exact: false.
 */
export function locateInNode(
  root: Node,
  path: Path,
  file: string,
  posOf: (offset: number) => { line: number; column: number },
  anchors: Map<string, Node> = new Map(),
): { loc: SourceLoc; exact: boolean } {
  let node: unknown = root;
  let start: number = root.range?.[0] ?? 0;
  let end: number = root.range?.[1] ?? start;
  let exact = true;
  for (const key of path) {
    node = follow(node, anchors) ?? node;
    if (isMap(node)) {
      const pair = lastPair(node, key) ?? mergedPair(node, key, anchors);
      if (pair === undefined) {
        exact = false;
        break;
      }
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      start = keyNode?.range?.[0] ?? valueNode?.range?.[0] ?? start;
      end = valueNode?.range?.[1] ?? keyNode?.range?.[1] ?? end;
      node = valueNode;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key] as Node | undefined;
      if (item?.range == null) {
        exact = false;
        break;
      }
      start = item.range[0];
      end = item.range[1];
      node = item;
    } else {
      exact = false;
      break;
    }
  }
  const a = posOf(start);
  const b = posOf(end);
  return { loc: { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column }, exact };
}

function keyMatches(keyNode: unknown, key: string | number): boolean {
  if (isScalar(keyNode)) return scalarKey(keyNode) === String(key);
  return false;
}

/**
 * The yaml package's messages end with a code frame when prettyErrors is on; keep the first line.
 * Some quote the offending source (`Not a YAML token: <text>`, `... in YAML stream: "<text>"`),
 * which may be a Secret's value: the quote is cut, the line and column say where it is.
 */
export function cleanYamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first
    .replace(
      /^(Not a YAML token|Unresolved tag|Block scalar header includes extra characters): .*?( at line \d+, column \d+:?)?$/,
      "$1$2",
    )
    .replace(
      /^(Unexpected [\w-]+ token in YAML (?:stream|document)): ".*"( at line \d+, column \d+:?)?$/,
      "$1$2",
    );
}
