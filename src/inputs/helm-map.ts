// Mapping a path in a rendered Helm object back to the template line that wrote it and to the values
// key that set it. Heuristic by nature (helm keeps no source map); docs/helm.md says where it fails.
//
// 1. Align rendered lines with template lines: a template line without `{{` must appear verbatim
//    (trimmed) in the output, and one with a static prefix (`image: "{{ ... }}"`) must start with it.
//    Alignment walks forward (and back, for `range` loops), nearest match first.
// 2. A rendered line that aligns is written by that template line. One that does not was produced by
//    an output action between its aligned neighbours (`toYaml`, `include`, `tpl`): that line, or, for
//    `include "name"`, the line of the named template's body that writes the key.
// 3. Values: a `.Values.a.b` reference on the line (or the enclosing `with .Values.a.b` for `.`),
//    plus the part of the path below the last aligned key when the value came from `toYaml`.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Path, TemplateLoc, ValuesLoc } from "../core/types.js";

export interface TemplateText {
  /** Display name (relative to the scan root). */
  name: string;
  lines: string[];
}

export interface Define {
  file: TemplateText;
  /** 0-based index of the `define` line. */
  start: number;
  end: number;
}

export interface ValuesSource {
  /** Display name of the values file. */
  name: string;
  /** For values embedded in another object (a HelmRelease's spec.values): report this place instead. */
  at?: { file: string; line: number };
  doc: Document;
  lineCounter: LineCounter;
}

/** What the mapper knows about one (sub)chart. */
export interface ChartScope {
  /** Keys above this chart's values in the user's values files (`[]` for the top chart, `["redis"]` for a subchart). */
  keyPrefix: string[];
  /** Values sources for this chart's `.Values`, highest precedence first, each with the prefix to apply. */
  values: { source: ValuesSource; prefix: string[] }[];
}

export interface MapContext {
  defines: ReadonlyMap<string, Define>;
}

export function valuesSource(name: string, text: string): ValuesSource | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  return { name, doc, lineCounter };
}

const DEFINE_RE = /\{\{-?\s*define\s+"([^"]+)"/g;

/** Index `define "name"` blocks (bodies end at the matching `end`). */
export function indexDefines(file: TemplateText, into: Map<string, Define>): void {
  file.lines.forEach((line, i) => {
    for (const m of line.matchAll(DEFINE_RE)) {
      const name = m[1];
      if (name === undefined || into.has(name)) continue;
      let depth = 0;
      let end = file.lines.length - 1;
      for (let j = i; j < file.lines.length; j++) {
        const l = file.lines[j] ?? "";
        depth += countOpeners(l) - countEnds(l);
        if (depth <= 0 && j > i) {
          end = j;
          break;
        }
        if (depth <= 0 && j === i && countEnds(l) > 0) {
          end = j;
          break;
        }
      }
      into.set(name, { file, start: i, end });
    }
  });
}

const OPENER_RE = /\{\{-?\s*(?:if|with|range|define|block)\b/g;
const END_RE = /\{\{-?\s*end\b/g;
function countOpeners(l: string): number {
  return (l.match(OPENER_RE) ?? []).length;
}
function countEnds(l: string): number {
  return (l.match(END_RE) ?? []).length;
}

const CONTROL_ONLY =
  /^\s*(?:\{\{-?\s*(?:if|else|end|with|range|define|block|\/\*.*?\*\/|\$[\w]+\s*:?=[^}]*|-?\s*\/\*)[^}]*-?\}\}\s*)+$/;

function isDynamic(line: string): boolean {
  return line.includes("{{");
}
/** A dynamic line that writes something (not just `if`/`with`/`end`/comments). */
function writesOutput(line: string): boolean {
  return isDynamic(line) && !CONTROL_ONLY.test(line);
}
function staticPrefix(line: string): string {
  const i = line.indexOf("{{");
  return (i === -1 ? line : line.slice(0, i)).trim();
}

/** out line index → template line index, or -1. */
export function align(tpl: readonly string[], out: readonly string[]): Int32Array {
  const map = new Int32Array(out.length).fill(-1);
  // Candidates by content: static lines by their trimmed text, dynamic ones by the key of their
  // static prefix (`image: "{{ ... }}"` → `image`). Both lists are in template order.
  const exact = new Map<string, number[]>();
  const byKey = new Map<string, { j: number; prefix: string }[]>();
  const keyOf = (s: string) => {
    const i = s.search(/[:=]/);
    return i === -1 ? s : s.slice(0, i);
  };
  tpl.forEach((line, j) => {
    if (!isDynamic(line)) {
      const k = line.trim();
      if (k !== "") exact.set(k, [...(exact.get(k) ?? []), j]);
      return;
    }
    const prefix = staticPrefix(line);
    if (prefix.length < 2 || !/[:=]/.test(prefix)) return;
    const k = keyOf(prefix);
    const list = byKey.get(k) ?? [];
    list.push({ j, prefix });
    byKey.set(k, list);
  });
  let t = 0;
  for (let i = 0; i < out.length; i++) {
    const o = (out[i] ?? "").trim();
    if (o === "" || o === "---" || o.startsWith("# Source:")) continue;
    // Nearest match at or after t (within 400 lines), else the nearest before t (a `range` loop).
    let after = -1;
    let before = -1;
    const consider = (j: number) => {
      if (j >= t) {
        if (j < t + 400 && (after === -1 || j < after)) after = j;
      } else if (j > before) before = j;
    };
    for (const j of exact.get(o) ?? []) consider(j);
    for (const c of byKey.get(keyOf(o)) ?? []) if (o.startsWith(c.prefix)) consider(c.j);
    const found = after !== -1 ? after : before;
    if (found !== -1) {
      map[i] = found;
      t = found + 1;
    }
  }
  return map;
}

const VALUES_RE = /(?:\$|\B)\.Values((?:\.[A-Za-z_][\w-]*)+)/g;
/** `.Values.a.b` references on a line, as key lists. */
export function valuesRefs(line: string): string[][] {
  return [...line.matchAll(VALUES_RE)].map((m) => (m[1] ?? "").slice(1).split("."));
}

/** The `.Values.x` of the innermost `with` enclosing line `idx`, if the chain up to it is only `with`/`if`. */
function enclosingWith(lines: readonly string[], idx: number): string[] | undefined {
  let depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    const l = lines[i] ?? "";
    depth += countEnds(l);
    const openers = [...l.matchAll(/\{\{-?\s*(if|with|range|define|block)\b([^}]*)\}\}/g)];
    for (const m of openers.reverse()) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (m[1] === "with") {
        const ref = valuesRefs(m[2] ?? "")[0];
        return ref;
      }
      if (m[1] !== "if") return undefined;
    }
  }
  return undefined;
}

/** The values path a dynamic line reads: `.Values.a.b`, or `.`/`.x` inside `with .Values.a.b`. */
function lineValuesPath(lines: readonly string[], idx: number): string[] | undefined {
  const line = lines[idx] ?? "";
  const direct = valuesRefs(line).filter((r) => r[0] !== "global");
  if (direct.length > 0) return direct[direct.length - 1];
  const rel = /\{\{-?[^}]*?(?:toYaml|tpl|quote|default|\|)?\s\.((?:[A-Za-z_][\w-]*\.?)*)/.exec(line);
  if (rel === null || line.includes("$.") || /\binclude\b/.test(line)) return undefined;
  const base = enclosingWith(lines, idx);
  if (base === undefined) return undefined;
  const tail = (rel[1] ?? "").split(".").filter((s) => s !== "");
  return [...base, ...tail];
}

function keyColumn(line: string, key: string | number | undefined): number {
  if (typeof key === "string") {
    const i = line.search(new RegExp(`(^|[\\s-])${escapeRe(key)}\\s*:`));
    if (i !== -1) return i + (/[\s-]/.test(line[i] ?? "") ? 2 : 1);
  }
  return line.length - line.trimStart().length + 1;
}
function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function lastStringKey(path: Path): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return path[i] as string;
  return undefined;
}
function keyLine(lines: readonly string[], key: string, from: number, to: number): number {
  const re = new RegExp(`^\\s*(?:-\\s+)?["']?${escapeRe(key)}["']?\\s*:`);
  for (let i = from; i <= to && i < lines.length; i++) if (re.test(lines[i] ?? "")) return i;
  return -1;
}

export interface RenderedDoc {
  template: TemplateText | undefined;
  /** Rendered chunk lines (the text given to the YAML parser). */
  out: string[];
  scope: ChartScope;
  ctx: MapContext;
}

export interface Origin {
  template: TemplateLoc;
  values?: ValuesLoc;
}

/**
 * Maps a path to its template line and values key. `lineOf(p)` gives the 1-based rendered line of
 * path `p` and whether it exists; the caller supplies it from the rendered YAML's node ranges.
 */
export function mapOrigin(
  doc: RenderedDoc,
  alignment: Int32Array,
  path: Path,
  lineOf: (p: Path) => { line: number; exact: boolean },
): Origin | undefined {
  const tpl = doc.template;
  if (tpl === undefined) return undefined;
  const here = lineOf(path);
  const outIdx = here.line - 1;
  const key = lastStringKey(path);

  // The deepest prefix of the path whose rendered line aligns with a template line.
  let anchorLen = -1;
  for (let k = path.length; k >= 0; k--) {
    const l = lineOf(path.slice(0, k));
    if (!l.exact) continue;
    if ((alignment[l.line - 1] ?? -1) >= 0) {
      anchorLen = k;
      break;
    }
  }
  const at = (file: TemplateText, idx: number, k: string | number | undefined): TemplateLoc => ({
    file: file.name,
    line: idx + 1,
    column: keyColumn(file.lines[idx] ?? "", k),
  });

  if (!here.exact) {
    // Missing keys: the template line that would write the shallowest of them, with the values
    // path it exposes, extended by the keys below it (`resources` → `resources.limits.cpu`).
    let existing = path.length;
    while (existing > 0 && !lineOf(path.slice(0, existing)).exact) existing--;
    const missingKeys = path.slice(existing);
    const ancestorIdx = alignment[outIdx] ?? -1;
    for (let m = 0; m < missingKeys.length; m++) {
      const missing = missingKeys[m];
      if (typeof missing !== "string") break;
      let idx = keyLine(tpl.lines, missing, Math.max(0, ancestorIdx), tpl.lines.length - 1);
      if (idx === -1) idx = keyLine(tpl.lines, missing, 0, tpl.lines.length - 1);
      if (idx === -1) continue;
      const vp =
        lineValuesPath(tpl.lines, idx) ??
        (writesOutput(tpl.lines[idx + 1] ?? "") ? lineValuesPath(tpl.lines, idx + 1) : undefined) ??
        enclosingWith(tpl.lines, idx);
      const rest = missingKeys.slice(m + 1).map(String);
      return withValues(
        { template: at(tpl, idx, missing) },
        vp === undefined ? undefined : [...vp, ...rest],
        doc.scope,
        true,
      );
    }
  }

  const direct = alignment[outIdx] ?? -1;
  if (here.exact && direct >= 0) {
    // A value on the line belongs to the finding only if the line writes the finding's own key
    // (`- name: {{ .Values.x }}` writes `name`, not the list item a container finding points at).
    const text = tpl.lines[direct] ?? "";
    const last = path[path.length - 1];
    const own =
      typeof last === "string"
        ? new RegExp(`(^|[\\s-])["']?${escapeRe(last)}["']?\\s*:\\s*.*\\{\\{`).test(text)
        : /^\s*-\s*\{\{/.test(text);
    const vp = own ? lineValuesPath(tpl.lines, direct) : undefined;
    return withValues({ template: at(tpl, direct, key) }, vp, doc.scope);
  }

  // Produced by an output action: find it between the aligned neighbours.
  let prev = -1;
  for (let i = outIdx; i >= 0; i--) {
    const a = alignment[i] ?? -1;
    if (a >= 0) {
      prev = a;
      break;
    }
  }
  let next = tpl.lines.length;
  for (let i = outIdx + 1; i < alignment.length; i++) {
    const a = alignment[i] ?? -1;
    if (a >= 0) {
      next = a > prev ? a : Math.min(tpl.lines.length, prev + 50);
      break;
    }
  }
  // The first output action after the anchor whose indentation fits the rendered line (an action
  // that rendered nothing, like an empty `with`, leaves no line, so the first fitting one wins).
  const indent = (doc.out[outIdx] ?? "").length - (doc.out[outIdx] ?? "").trimStart().length;
  let producer = -1;
  for (let i = Math.max(prev, 0); i < next && producer === -1; i++) {
    const l = tpl.lines[i] ?? "";
    if (i === prev && !/\{\{[^}]*\b(?:toYaml|include|tpl|template)\b/.test(l)) continue;
    if (!writesOutput(l)) continue;
    const n = /\bn?indent\s+(\d+)/.exec(l);
    if (n?.[1] === undefined || Number(n[1]) <= indent) producer = i;
  }
  if (producer === -1) producer = Math.max(prev, 0);
  const line = tpl.lines[producer] ?? "";
  const remainder = anchorLen >= 0 ? path.slice(anchorLen) : path;

  const inc = /\b(?:include|template)\s+"([^"]+)"/.exec(line);
  const def = inc?.[1] !== undefined ? doc.ctx.defines.get(inc[1]) : undefined;
  if (def !== undefined && key !== undefined) {
    const idx = keyLine(def.file.lines, key, def.start + 1, def.end);
    if (idx !== -1) {
      const vp = isDynamic(def.file.lines[idx] ?? "") ? lineValuesPath(def.file.lines, idx) : undefined;
      return withValues({ template: at(def.file, idx, key) }, vp, doc.scope);
    }
    return { template: at(tpl, producer, undefined) };
  }
  // A missing key under a line that is not a values block (`- name: {{ .Values.x }}`) is not
  // set by that line's value: name the template line only.
  if (!here.exact && !/\b(?:toYaml|tpl)\b/.test(line)) return { template: at(tpl, producer, undefined) };
  const base = lineValuesPath(tpl.lines, producer);
  const vp = base === undefined ? undefined : [...base, ...remainder.map(String)];
  return withValues({ template: at(tpl, producer, undefined) }, vp, doc.scope, !here.exact);
}

function withValues(
  o: Origin,
  vp: readonly string[] | undefined,
  scope: ChartScope,
  missing = false,
): Origin {
  if (vp === undefined || vp.length === 0) return o;
  const values: ValuesLoc = { path: formatValuesPath([...scope.keyPrefix, ...vp]) };
  // The file and line that set the path or, for a key the finding says is missing, its nearest
  // set parent (where a user adds it).
  const shortest = missing ? 1 : vp.length;
  for (let len = vp.length; len >= shortest && values.file === undefined; len--) {
    for (const { source, prefix } of scope.values) {
      const line = lineOfValue(source, [...prefix, ...vp.slice(0, len)]);
      if (line !== undefined) {
        values.file = source.at?.file ?? source.name;
        values.line = source.at?.line ?? line;
        break;
      }
    }
  }
  o.values = values;
  return o;
}

export function formatValuesPath(keys: readonly string[]): string {
  let s = "";
  for (const k of keys) s += /^\d+$/.test(k) ? `[${k}]` : s === "" ? k : `.${k}`;
  return s;
}

/** 1-based line of the key at `keys` in a values file, if it is set there. */
export function lineOfValue(source: ValuesSource, keys: readonly string[]): number | undefined {
  let node: unknown = source.doc.contents;
  let offset: number | undefined;
  for (const k of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === k);
      if (pair === undefined) return undefined;
      offset = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(k)) {
      const item = node.items[Number(k)] as Node | undefined;
      if (item === undefined) return undefined;
      offset = item.range?.[0];
      node = item;
    } else {
      return undefined;
    }
  }
  return offset === undefined ? undefined : source.lineCounter.linePos(offset).line;
}
