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
import type { Path, TemplateLoc, ValuePart, ValuesLoc } from "../core/types.js";
import { parseImageRef } from "../rules/lib/image.js";

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
  /** `--set`/`--set-string`/`--set-file` assignments, in command-line order (they beat every file). */
  sets?: readonly CommandLineSet[];
}

export interface CommandLineSet {
  /** `--set replicaCount=1`, as shown to the user. */
  text: string;
  /** The key it sets, from the top chart's values: `["image", "tag"]`, `["list", "0"]`. */
  keys: readonly string[];
}

export interface MapContext {
  /** Named templates by name, and template files by the name helm gives them (see indexTemplateFile). */
  defines: ReadonlyMap<string, Define>;
  /** `.Template.BasePath` of the rendered template: its chart's templates folder (`top/charts/sub/templates`). */
  basePath?: string;
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

/**
 * Index a template file under the name helm gives it (`top/charts/sub/templates/_spec.yaml`), so
 * that `include (print $.Template.BasePath "/_spec.yaml") .` is followed into it as `include` of a
 * named template is (helm names every file's template by its path). The body is the whole file,
 * its `define` blocks blank (they write nothing where the file is included).
 */
export function indexTemplateFile(name: string, file: TemplateText, into: Map<string, Define>): void {
  if (into.has(name)) return;
  let lines = file.lines;
  if (lines.some((l) => /\{\{-?\s*define\s+"/.test(l))) {
    const own = new Map<string, Define>();
    indexDefines(file, own);
    const blank = new Set<number>();
    for (const d of own.values()) for (let i = d.start; i <= d.end; i++) blank.add(i);
    lines = lines.map((l, i) => (blank.has(i) ? "" : l));
  }
  into.set(name, { file: { name: file.name, lines }, start: -1, end: lines.length });
}

/** An `include`/`template` call on a line: the template's name, when known, and the text after it. */
interface IncludeCall {
  /** The name: a string, or one computed from `.Template.BasePath` and strings alone; else undefined. */
  name: string | undefined;
  /** The name's expression as written (`"x.labels"`, `(print $.Template.BasePath "/_spec.yaml")`). */
  expr: string;
  /** The text after the name: its argument and the rest of the line. */
  rest: string;
}

/**
 * The first `include`/`template` call on a line whose template is known (its name a string, or
 * `print`/`printf` of `.Template.BasePath` and strings), else the first call.
 */
function includeCall(line: string, ctx: MapContext): IncludeCall | undefined {
  let first: IncludeCall | undefined;
  for (const m of line.matchAll(/\b(?:include|template)\s+/g)) {
    const after = line.slice(m.index + m[0].length);
    const literal = /^"([^"]+)"/.exec(after);
    let call: IncludeCall | undefined;
    if (literal?.[1] !== undefined)
      call = { name: literal[1], expr: literal[0], rest: after.slice(literal[0].length) };
    else if (after.startsWith("(")) {
      const group = firstArg(after);
      if (group !== undefined)
        call = {
          name: computedName(group.slice(1, -1), ctx.basePath),
          expr: group,
          rest: after.slice(group.length),
        };
    }
    if (call?.name !== undefined) return call;
    first ??= call;
  }
  return first;
}

/**
 * The template name `print`/`printf` computes from `.Template.BasePath` and string literals alone
 * (`print $.Template.BasePath "/_spec.yaml"`, `printf "%s/_spec.yaml" .Template.BasePath`); undefined
 * for anything else (a variable, a function of a value), which only the render knows.
 */
function computedName(expr: string, basePath: string | undefined): string | undefined {
  if (basePath === undefined) return undefined;
  const [fn, ...args] = expr.trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? [];
  const values: string[] = [];
  for (const a of args) {
    if (/^\$?\.Template\.BasePath$/.test(a)) values.push(basePath);
    else if (a.startsWith("`")) values.push(a.slice(1, -1));
    else if (a.startsWith('"')) {
      try {
        values.push(JSON.parse(a) as string);
      } catch {
        return undefined;
      }
    } else return undefined;
  }
  // (`print` of strings alone puts no spaces between them.)
  if (fn === "print") return values.join("");
  const [format, ...rest] = values;
  if (fn !== "printf" || format === undefined || !/^["`]/.test(args[0] ?? "")) return undefined;
  // (Only `%s`/`%v` of the strings, each once, and `%%`: anything else is not known.)
  const parts = format.split(/(%.)/);
  let n = 0;
  let out = "";
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 0) {
      if (part.includes("%")) return undefined;
      out += part;
    } else if (part === "%%") out += "%";
    else if ((part === "%s" || part === "%v") && n < rest.length) out += rest[n++] ?? "";
    else return undefined;
  }
  return n === rest.length ? out : undefined;
}

const OPENER_RE = /\{\{-?\s*(?:if|with|range|define|block)\b/g;
const END_RE = /\{\{-?\s*end\b/g;
function countOpeners(l: string): number {
  return (l.match(OPENER_RE) ?? []).length;
}
function countEnds(l: string): number {
  return (l.match(END_RE) ?? []).length;
}

// (`fail` aborts the render: it never writes a line.)
const CONTROL_ONLY =
  /^\s*(?:\{\{-?\s*(?:if|else|end|with|range|define|block|fail\b|\/\*.*?\*\/|\$[\w]*\s*:?=[^}]*|-?\s*\/\*)[^}]*-?\}\}\s*)+$/;

const CODE = new WeakMap<readonly string[], readonly string[]>();
/**
 * A template's lines with the text of multi-line template comments (from a line's `{{/` + `*` to
 * the `*` + `/}}` on a later line) blanked: helm writes none of it, so none of it is aligned with
 * rendered lines, ends a block or is a key line.
 */
function codeLines(lines: readonly string[]): readonly string[] {
  let code = CODE.get(lines);
  if (code !== undefined) return code;
  const out = [...lines];
  let open = false;
  for (let i = 0; i < out.length; i++) {
    let l = out[i] ?? "";
    let kept = "";
    for (;;) {
      if (open) {
        const end = /\*\/\s*-?\}\}/.exec(l);
        if (end === null) {
          l = "";
          break;
        }
        l = l.slice(end.index + end[0].length);
        open = false;
      }
      const start = /\{\{-?\s*\/\*/.exec(l);
      if (start === null || /\*\/\s*-?\}\}/.test(l.slice(start.index))) break;
      kept += l.slice(0, start.index);
      l = "";
      open = true;
    }
    out[i] = kept + l;
  }
  code = out;
  CODE.set(lines, code);
  return code;
}

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

/**
 * out line index → template line index, or -1. `verbatim`: `out` is the render of `template`
 * itself (not of a named template's body included elsewhere), so a line outside every `define`
 * of it was written with its own indentation (text before its first action is copied as it is).
 */
export function align(template: readonly string[], out: readonly string[], verbatim = false): Int32Array {
  const tpl = codeLines(template);
  const map = new Int32Array(out.length).fill(-1);
  // (Lines inside a `define` body are written wherever, and as indented as, an include puts them.)
  const free = new Uint8Array(tpl.length);
  if (verbatim) {
    let depth = 0;
    tpl.forEach((line, j) => {
      if (depth === 0 && !/\{\{-?\s*define\b/.test(line)) return;
      free[j] = 1;
      depth = Math.max(0, depth + countOpeners(line) - countEnds(line));
    });
  }
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
  // A bare `-` is also written by an item line whose action starts the item's map on the next
  // line (`- {{- include "x.container" . | nindent 10 }}`): aligned with it, the lines the
  // helper writes below it stay inside its (empty) block instead of taking look-alike lines of
  // the template's next items.
  const dashed: number[] = [];
  tpl.forEach((line, j) => {
    if (/^\s*-\s*\{\{-?\s*(?:include|template|toYaml|tpl)\b[^}]*\|\s*nindent\s+\d+\s*-?\}\}\s*$/.test(line))
      dashed.push(j);
  });
  const candidatesOf = (o: string): number[] => {
    const list = [...(exact.get(o) ?? [])];
    if (o === "-") list.push(...dashed);
    for (const c of byKey.get(keyOf(o)) ?? []) if (o.startsWith(c.prefix)) list.push(c.j);
    return list;
  };
  const skip = (o: string) => o === "" || o === "---" || o.startsWith("# Source:");
  const indentOf = (s: string) => s.length - s.trimStart().length;
  const blockAt = memo((j) => blockOf(tpl, j));
  const inRange = memo((j) => enclosedByRange(tpl, j));
  // Rendered lines above the current one that may be its parents: [indent, out index].
  const parents: [number, number][] = [];
  // (The search starts at the first line with content: a named template's body, given as its
  // file's lines with all others blank, is searched from its own start, not from the file's, so
  // that a helper 700 lines down gitlab's _helpers.tpl is inside the 400-line window.)
  let t = Math.max(
    0,
    tpl.findIndex((l) => l.trim() !== ""),
  );
  // The indentation of a list item that an action among the items wrote (no item line of the
  // block matched it): the lines below it are that action's output too, none of the template's
  // (a helper's `resources:` is not the next static container's, and must not carry `t` past
  // that container's `- name:`).
  let shadow = -1;
  for (let i = 0; i < out.length; i++) {
    const o = (out[i] ?? "").trim();
    if (skip(o)) continue;
    const indent = indentOf(out[i] ?? "");
    if (shadow !== -1 && indent > shadow) continue;
    shadow = -1;
    while (parents.length > 0 && (parents[parents.length - 1]?.[0] ?? 0) >= indent) parents.pop();
    // A line sits in the block of its nearest aligned parent: a template line outside that block
    // did not write it (`{}` of an empty `toYaml` is not a `{}` line far below; a container's
    // `volumeMounts:` is not the next container's). None inside: an action of the block wrote it.
    let parent = -1;
    for (let p = parents.length - 1; p >= 0 && parent === -1; p--) parent = map[parents[p]?.[1] ?? 0] ?? -1;
    parents.push([indent, i]);
    const inBlock = (j: number) => {
      if (parent === -1) return true;
      const b = blockAt(parent);
      return j >= b.from && j < b.to;
    };
    // Nearest match at or after t (within 400 lines unless held to its parent's block), else the
    // nearest before t (a `range` loop).
    const all = candidatesOf(o).filter(
      (j) => inBlock(j) && (!verbatim || free[j] === 1 || indentOf(tpl[j] ?? "") === indent),
    );
    const after = all.filter((j) => j >= t && (parent !== -1 || j < t + 400)).sort((a, b) => a - b);
    // (Only a line inside a `range` writes again after later lines did.)
    const before = all.filter((j) => j < t && inRange(j)).sort((a, b) => b - a);
    const ordered = [...after, ...before];
    let found = ordered[0] ?? -1;
    if (ordered.length > 1) {
      // Several lines could have written it (two containers whose `- name: {{ ... }}` lines look
      // alike, the first inside an `if` that was false): take the one whose block holds lines that
      // could have written most of the rendered line's direct children (a static line counts
      // twice: `image: "{{ ... }}"` is in every container, `livenessProbe:` in one), the nearest
      // of those; so that the children are not credited to the wrong block. Children no template
      // line can have written (an action's output) say nothing; when none says anything, the
      // nearest is taken.
      const item = /^\s*-\s+/.exec(out[i] ?? "");
      const own = item !== null ? item[0].length - 1 : indentOf(out[i] ?? "");
      const children: { at: number[]; weight: number }[] = [];
      let childIndent = -1;
      for (let c = i + 1; c < out.length && c < i + 400 && children.length < 40; c++) {
        const child = out[c] ?? "";
        const text = child.trim();
        if (skip(text)) continue;
        if (indentOf(child) <= own) break;
        if (childIndent === -1) childIndent = indentOf(child);
        // Keys only: items of a compact list below a key (`env:` then `- name: A` at the same
        // indentation) would count for whichever block has most `- name:` lines.
        if (indentOf(child) !== childIndent || text.startsWith("- ") || text === "-") continue;
        const at = candidatesOf(text);
        if (at.length > 0) children.push({ at, weight: (exact.get(text)?.length ?? 0) > 0 ? 2 : 1 });
      }
      let best = 0;
      for (const j of ordered.slice(0, 24)) {
        const b = blockAt(j);
        let score = 0;
        for (const ch of children) if (ch.at.some((x) => x >= b.from && x < b.to)) score += ch.weight;
        if (score > best) {
          best = score;
          found = j;
        }
      }
    }
    if (found !== -1) {
      map[i] = found;
      t = found + 1;
    } else if (parent !== -1 && /^-(?:\s|$)/.test(o)) {
      const b = blockAt(parent);
      for (let j = b.from; j < b.to && shadow === -1; j++) {
        const l = tpl[j] ?? "";
        if (/^\s*\{\{/.test(l) && writesOutput(l) && effectiveIndent(l) === indent) shadow = indent;
      }
    }
  }
  return map;
}

/**
 * The template's documents: for each line, the number of `---` lines outside every `define`
 * above it (a rendered document is written by the lines of one).
 */
function documentsOf(tpl: readonly string[]): Int32Array {
  const doc = new Int32Array(tpl.length);
  let n = 0;
  let depth = 0;
  tpl.forEach((line, j) => {
    if (depth === 0 && line.trim() === "---") n++;
    doc[j] = n;
    if (depth > 0 || /\{\{-?\s*define\b/.test(line))
      depth = Math.max(0, depth + countOpeners(line) - countEnds(line));
  });
  return doc;
}

/**
 * Other alignments of a rendered document as good as `alignment`: when two documents of the
 * template (two `range` loops, an `if` and a `range`) write the same lines, the alignment takes the
 * first, whichever wrote it. Each is the alignment with the lines of the documents taken before
 * blanked, as long as it aligns as many lines, all in one document. Empty when the template has one
 * document, or `alignment`'s lines are in several.
 */
export function otherAlignments(
  template: readonly string[],
  out: readonly string[],
  alignment: Int32Array,
): Int32Array[] {
  const docs = documentsOf(codeLines(template));
  if ((docs[docs.length - 1] ?? 0) === 0) return [];
  // The one document an alignment's lines are in, and how many lines it aligns.
  const inOne = (m: Int32Array): { doc: number; count: number } | undefined => {
    let doc = -1;
    let count = 0;
    for (const j of m) {
      if (j < 0) continue;
      const d = docs[j] ?? -1;
      if (doc !== -1 && d !== doc) return undefined;
      doc = d;
      count++;
    }
    return doc === -1 ? undefined : { doc, count };
  };
  const first = inOne(alignment);
  if (first === undefined) return [];
  const others: Int32Array[] = [];
  // (Control lines stay: a `range` line at the end of the blanked document opens the next one's loop.)
  // (A new array each time: codeLines caches by array.)
  let blanked: readonly string[] = template;
  for (let taken = first.doc; ;) {
    blanked = blanked.map((l, j) => (docs[j] === taken && !CONTROL_ONLY.test(l) ? "" : l));
    const m = align(blanked, out, true);
    const other = inOne(m);
    if (other === undefined || other.count < first.count) return others;
    others.push(m);
    taken = other.doc;
  }
}

/** `f` computed once per template line. */
function memo<T>(f: (j: number) => T): (j: number) => T {
  const seen = new Map<number, T>();
  return (j) => {
    if (seen.has(j)) return seen.get(j) as T;
    const v = f(j);
    seen.set(j, v);
    return v;
  };
}

/** Names on the root context that are not values (`.Release.Name`, `$.Chart.AppVersion`). */
const BUILT_IN = new Set(["Release", "Chart", "Capabilities", "Template", "Files"]);

/**
 * The values keys the actions on lines [from, to) read, seen with `arg` at their top (see
 * exprValues), and those the helpers they include read (two deep, as each sees its argument);
 * undefined when one reads something the mapping does not follow (a variable it cannot resolve, a
 * helper's argument that is not known, `tpl`).
 */
function readKeys(
  doc: RenderedDoc,
  lines: readonly string[],
  from: number,
  to: number,
  arg: Bound | undefined,
  depth: number,
): string[][] | undefined {
  const keys: string[][] = [];
  const code = codeLines(lines);
  for (let i = from; i < to; i++) {
    for (const m of (code[i] ?? "").matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
      const action = m[1] ?? "";
      if (/^\s*(?:\/\*|define\b)/.test(action)) continue;
      if (/\btpl\b/.test(action)) return undefined;
      const include = /\b(?:include|template)\s+"([^"]+)"\s+(\([^()]*\)|[^\s()|]+)/g;
      for (const inc of action.matchAll(include)) {
        const def = depth < 2 ? doc.ctx.defines.get(inc[1] ?? "") : undefined;
        const given = def === undefined ? undefined : known(exprBound(inc[2] ?? "", lines, i, 0, arg));
        const inner =
          def === undefined || given === undefined
            ? undefined
            : readKeys(doc, def.file.lines, def.start + 1, def.end, given, depth + 1);
        if (inner === undefined) return undefined;
        keys.push(...inner);
      }
      const rest = action.replace(include, "").replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
      for (const t of rest.matchAll(/(?<![\w.$])(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_][\w-]*)+)/g)) {
        const first = (t[2] ?? "").split(".")[1] ?? "";
        if ((t[1] === undefined || t[1] === "$") && BUILT_IN.has(first)) continue;
        // (A name on the root context other than `Values` is no values key: `.global` of the root.)
        const base = exprBound(t[1] ?? ".", lines, i, 0, arg);
        if (base?.kind === "root" && first !== "Values") continue;
        const vp = exprValues(`${t[1] ?? ""}${t[2] ?? ""}`, lines, i, 0, arg);
        if (vp === undefined) return undefined;
        keys.push(vp);
      }
    }
  }
  return keys;
}

/**
 * The values key that writes one part of an image reference that template line `idx` composes from
 * several (ingress-nginx's `image: "{{ .registry }}/{{ include "ingress-nginx.image" . }}:{{ .tag }}"`):
 * of the keys the line reads (on it, or in a helper it includes, as the helper sees its argument),
 * the one whose value is that part of the rendered reference: its tag, or its repository (the
 * whole, or the end after a `/`: the image's name with its owner); a value that is the whole part
 * beats one that ends it. Undefined when the line reads one key or none (the line's key is it);
 * `unsure` when none or several match.
 */
function partValues(
  doc: RenderedDoc,
  lines: readonly string[],
  idx: number,
  part: ValuePart,
  rendered: string,
): { values?: string[]; unsure?: string } | undefined {
  const text = /^\s*(?:-\s+)?["']?[\w./-]+["']?\s*:\s*(.*)$/.exec(rendered)?.[1];
  const node = text === undefined ? undefined : parseDocument(text).contents;
  const ref = isScalar(node) && typeof node.value === "string" ? parseImageRef(node.value) : undefined;
  if (ref === undefined) return undefined;
  const top: Bound | undefined = enclosingScope(lines, idx) === "define" ? undefined : { kind: "root" };
  const read = readKeys(doc, lines, idx, idx + 1, top, 0);
  if (read === undefined)
    return {
      unsure: `the image is composed by actions the mapping does not follow: which values key sets its ${part} is not known`,
    };
  const keys = [...new Map(read.map((k) => [k.join("."), k])).values()];
  if (keys.length < 2) return undefined;
  const whole: string[][] = [];
  const end: string[][] = [];
  for (const k of keys) {
    const v = scalarValue(doc.scope, k);
    if (v === undefined || v === "") continue;
    if (part === "tag") {
      if (v === ref.tag) whole.push(k);
    } else if (v === ref.repository || v === `${ref.registry ?? ""}/${ref.repository}`) whole.push(k);
    else if (ref.repository.endsWith(`/${v}`)) end.push(k);
  }
  const found = whole.length > 0 ? whole : end;
  if (found.length === 1) return { values: found[0] ?? [] };
  return {
    unsure: `the image is composed from ${String(keys.length)} values keys, and ${found.length === 0 ? "none" : "several"} of their values is its ${part}: which one sets it is not known`,
  };
}

/** The text of the scalar at values path `vp` in the first source that sets it (not known when a `--set` does). */
function scalarValue(scope: ChartScope, vp: readonly string[]): string | undefined {
  const full = [...scope.keyPrefix, ...vp];
  const isPrefix = (a: readonly string[], b: readonly string[]) => a.every((k, i) => b[i] === k);
  if (scope.sets?.some((x) => isPrefix(x.keys, full) || isPrefix(full, x.keys)) === true) return undefined;
  for (const { source, prefix } of scope.values) {
    const node = nodeOfValue(source, [...prefix, ...vp]);
    if (node === undefined) continue;
    const v = isScalar(node) ? node.value : undefined;
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  }
  return undefined;
}

/** Whether template line `idx` is inside a `range` block (it may write more than once). */
function enclosedByRange(lines: readonly string[], idx: number): boolean {
  return enclosingScope(lines, idx) === "range";
}

/** The innermost `range` or `define` around template line `idx`, if any. */
function enclosingScope(lines: readonly string[], idx: number): "range" | "define" | undefined {
  const b = innermostOpener(
    lines,
    idx,
    -1,
    /\{\{-?\s*(if|with|range|define|block)\b/g,
    (k) => k === "range" || k === "define",
  );
  return b?.keyword === "range" || b?.keyword === "define" ? b.keyword : undefined;
}

/**
 * The innermost block opener (matched by `re`: keyword, then its expression) around line `idx`,
 * below line `top`, whose keyword `stop` accepts; blocks closed above `idx` and openers `stop`
 * passes over are skipped.
 */
function innermostOpener(
  lines: readonly string[],
  idx: number,
  top: number,
  re: RegExp,
  stop: (keyword: string) => boolean,
): { keyword: string; expr: string; line: number } | undefined {
  let depth = 0;
  for (let i = idx - 1; i > top; i--) {
    const l = lines[i] ?? "";
    depth += countEnds(l);
    for (const m of [...l.matchAll(re)].reverse()) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (stop(m[1] ?? "")) return { keyword: m[1] ?? "", expr: m[2] ?? "", line: i };
    }
  }
  return undefined;
}

const VALUES_RE = /(?:\$|\B)\.Values((?:\.[A-Za-z_][\w-]*)+)/g;
/** `.Values.a.b` references on a line, as key lists. */
export function valuesRefs(line: string): string[][] {
  return [...line.matchAll(VALUES_RE)].map((m) => (m[1] ?? "").slice(1).split("."));
}

/**
 * What an expression stands for, as far as the mapping follows it: the root context (`.` at a
 * template's top, `$`), a values block (`.Values.a`, `path: ["a"]`), or the `list`/`dict` a named
 * template is given as its argument (`include "x" (list . .Values.a)`).
 */
type Bound =
  | { kind: "root" }
  | { kind: "values"; path: string[] }
  | { kind: "list"; items: readonly (Bound | undefined)[] }
  | { kind: "dict"; entries: ReadonlyMap<string, Bound | undefined> }
  // `.x` (`path`) of an item of a `range` over the values list `list`: no values key a user sets
  // below it (setting an item replaces the whole list).
  | { kind: "item"; list: string[]; path: string[] }
  // `merge a b ...` whose first map is an item's (sidekiq's `merge (default dict .hpa) $.Values.hpa`
  // for each of `.Values.pods`): a key of `a` when that is set, else of `b`, ...
  | { kind: "merge"; parts: readonly (Bound | undefined)[] };

/**
 * The values path an expression stands for when a key set below that path reaches its value
 * unchanged: `.Values.a.b`; `$v` assigned one of these above (`$csc := deepCopy .Values.x`, in the
 * same template, not inside another `define`); `.x` inside `with .Values.a` (`a.x`); and these
 * wrapped in `deepCopy`, `| default x`, as the second argument of `default` (a key set below it makes
 * it non-empty), or as the first argument of `merge` (whose first map wins).
 * Anything else (a function of the value, `mergeOverwrite`, `omit`) is not known.
 *
 * `arg` is what `.` (and `$`, until the body assigns it) is at the top of the named template whose
 * body holds line `at`, or at the top of the template file (the root context): a helper's argument
 * as the including line passed it. Without it, `.Values` stands for the chart's values everywhere
 * (the caller checks that the helper is given the root context) and `.` at the top is not known.
 */
function exprValues(
  expr: string,
  lines: readonly string[],
  at: number,
  depth = 0,
  arg?: Bound,
): string[] | undefined {
  const b = exprBound(expr, lines, at, depth, arg);
  return b?.kind === "values" && b.path.length > 0 ? b.path : undefined;
}

function exprBound(
  expr: string,
  lines: readonly string[],
  at: number,
  depth: number,
  arg: Bound | undefined,
): Bound | undefined {
  let e = expr.trim().replace(/-$/, "").trim();
  while (/^\(.*\)$/.test(e) && balanced(e.slice(1, -1))) e = e.slice(1, -1).trim();
  if (depth > 8) return undefined;
  const next = (x: string, line = at) => exprBound(x, lines, line, depth + 1, arg);
  if (arg === undefined) {
    // (`.Values` alone too: `index .Values "shared-secrets"` reads a key no dotted path can name.)
    const direct = /^\$?\.Values((?:\.[A-Za-z_][\w-]*)*)$/.exec(e);
    if (direct?.[1] !== undefined)
      return { kind: "values", path: direct[1].split(".").filter((k) => k !== "") };
  }
  const piped = /^(.*?)\s*\|\s*(?:deepCopy|toString|default\s+(?:\(?dict\)?|\S+))$/.exec(e);
  if (piped?.[1] !== undefined && balanced(piped[1])) return next(piped[1]);
  const wrapped = /^(?:deepCopy|default\s+\(?dict\)?)\s+(.*)$/.exec(e);
  if (wrapped?.[1] !== undefined) return next(wrapped[1]);
  // `default a b` is `b` when `b` is non-empty, and a key set below `b` makes it so.
  const defaulted = /^default\s+(.*)$/.exec(e);
  if (defaulted?.[1] !== undefined) {
    const first = firstArg(defaulted[1]);
    const second = first === undefined ? undefined : defaulted[1].trim().slice(first.length).trim();
    if (second !== undefined && second !== "" && balanced(second)) return next(second);
  }
  const merged = /^merge\s+(.*)$/.exec(e);
  if (merged?.[1] !== undefined) {
    const first = firstArg(merged[1]);
    const a = first === undefined ? undefined : next(first);
    if (a?.kind !== "item") return a;
    const args = splitArgs(merged[1]);
    return args === undefined ? undefined : { kind: "merge", parts: args.map((x) => next(x)) };
  }
  // A helper's arguments: `list a b`, `dict "k" v ...`, and `index x 1 "k"` (or `get x "k"`)
  // reading them back.
  const call = /^(list|dict|index|get)\s+(.*)$/.exec(e);
  if (call?.[2] !== undefined) {
    const args = splitArgs(call[2]);
    if (args === undefined) return undefined;
    if (call[1] === "list") return { kind: "list", items: args.map((a) => next(a)) };
    if (call[1] === "dict") {
      const entries = new Map<string, Bound | undefined>();
      for (let i = 0; i < args.length; i += 2) {
        const k = /^"([^"\\]*)"$/.exec(args[i] ?? "")?.[1];
        if (k === undefined || args[i + 1] === undefined) return undefined;
        entries.set(k, next(args[i + 1] ?? ""));
      }
      return { kind: "dict", entries };
    }
    if (call[1] === "get" && (args.length !== 2 || !/^"[^"\\]*"$/.test(args[1] ?? ""))) return undefined;
    let b = args[0] === undefined ? undefined : next(args[0]);
    for (const k of args.slice(1)) {
      const n = /^\d+$/.test(k) ? Number(k) : undefined;
      const s = /^"([^"\\]*)"$/.exec(k)?.[1];
      if (n !== undefined) b = b?.kind === "list" ? b.items[n] : undefined;
      else if (s !== undefined) b = fieldOf(b, s);
      else return undefined;
    }
    return b;
  }
  if (e === ".") return dotAt(lines, at, -1, arg);
  // `$v.a.b` (`$` itself: the helper's argument, or what the body assigned it), `.a.b`.
  const chain = /^(?:\$([A-Za-z_]\w*)?)?((?:\.[A-Za-z_][\w-]*)*)$/.exec(e);
  if (chain !== null && e !== "") {
    let b = e.startsWith("$")
      ? variableBound(lines, at, chain[1] ?? "", depth, arg)
      : dotAt(lines, at, -1, arg);
    for (const k of (chain[2] ?? "").split(".").filter((s) => s !== "")) b = fieldOf(b, k);
    return b;
  }
  return undefined;
}

/** `b` when it stands for something a helper's body can be read with (not a `range` item's key). */
function known(b: Bound | undefined): Bound | undefined {
  return b?.kind === "item" || b?.kind === "merge" ? undefined : b;
}

/**
 * The values key that `b` stands for, the values considered: a values path; of a `merge` whose
 * first maps are `range` items' keys that no item of the list sets (sidekiq's
 * `merge (default dict .hpa) $.Values.hpa` when no pod sets `hpa.apiVersion`), the first values
 * path after them.
 */
function valuesOf(doc: RenderedDoc, b: Bound | undefined): string[] | undefined {
  if (b?.kind === "values") return b.path.length > 0 ? b.path : undefined;
  if (b?.kind !== "merge") return undefined;
  for (const p of b.parts) {
    if (p?.kind === "item" && itemsLeaveEmpty(doc, p.list, p.path)) continue;
    return p?.kind === "values" && p.path.length > 0 ? p.path : undefined;
  }
  return undefined;
}

/** The key `k` of what `b` stands for. */
function fieldOf(b: Bound | undefined, k: string): Bound | undefined {
  if (b?.kind === "root") return k === "Values" ? { kind: "values", path: [] } : undefined;
  if (b?.kind === "values") return { kind: "values", path: [...b.path, k] };
  if (b?.kind === "dict") return b.entries.get(k);
  if (b?.kind === "item") return { kind: "item", list: b.list, path: [...b.path, k] };
  if (b?.kind === "merge") return { kind: "merge", parts: b.parts.map((p) => fieldOf(p, k)) };
  return undefined;
}

/** The arguments of a function call's argument text (each a parenthesised group or one word). */
function splitArgs(args: string): string[] | undefined {
  const out: string[] = [];
  let rest = args.trim();
  while (rest !== "") {
    const a = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0] ?? firstArg(rest);
    if (a === undefined || (a.startsWith("(") && !balanced(a))) return undefined;
    out.push(a);
    rest = rest.slice(a.length).trim();
  }
  return out;
}

/**
 * What variable `$name` stands for at line `at` (`$` itself when `name` is empty): its nearest
 * assignment above in the same scope (never across a `define`, nor one inside a block that ended
 * before `at`), when nothing in between changes it (`unset $name`, a reassignment in a branch, or a
 * `range` that binds it to an item). `$` that the body never assigns is the helper's argument.
 */
function variableBound(
  lines: readonly string[],
  at: number,
  name: string,
  depth: number,
  arg: Bound | undefined,
): Bound | undefined {
  const a = assignmentOf(lines, at, name);
  if (a === "top") return name === "" ? arg : undefined;
  return a === undefined ? undefined : exprBound(a.expr, lines, a.line, depth + 1, arg);
}

/**
 * The expression assigned to `$name` that holds at line `at` and its line; "top" when no assignment
 * above it in the same scope (the body of the `define`, or the file) is left; undefined when one is
 * but which value holds is not known.
 */
function assignmentOf(
  lines: readonly string[],
  at: number,
  name: string,
): { expr: string; line: number } | "top" | undefined {
  const v = name === "" ? "\\$(?![\\w])" : `\\$${escapeRe(name)}\\b`;
  const assign = new RegExp(`${v}\\s*(:?=)\\s*(.*?)\\s*-?\\}\\}`);
  let closed = 0;
  for (let i = at; i >= 0; i--) {
    const l = lines[i] ?? "";
    if (i < at && /\{\{-?\s*define\b/.test(l)) return "top";
    if (new RegExp(`\\bunset\\s+${v}`).test(l)) return undefined;
    const m = assign.exec(l);
    // (On line `at` itself only an `if`/`with` that assigns it: `{{- if $sc := .Values.x }}`.)
    if (m?.[2] !== undefined && (i < at || /\{\{-?\s*(?:if|with)\s+\$/.test(l))) {
      if (new RegExp(`\\brange\\s+(?:\\$\\w+\\s*,\\s*)?${v}`).test(l)) return undefined;
      if (closed === 0) return { expr: m[2], line: i };
      if (m[1] === "=") return undefined;
    }
    if (i < at) closed = Math.max(0, closed + countEnds(l) - countOpeners(l));
  }
  return "top";
}

/**
 * What `.` is at line `idx`: the innermost `with` enclosing it (the chain up to it only `with`/`if`,
 * and only a `with` that opens below line `top` when given), else `arg` at the top of the `define`
 * or file; not known inside a `range`.
 */
function dotAt(
  lines: readonly string[],
  idx: number,
  top: number,
  arg: Bound | undefined,
): Bound | undefined {
  const b = enclosingBlock(lines, idx, top);
  if (b === undefined || b.keyword === "define") return arg;
  if (b.keyword === "range") {
    const list = exprValues(rangeOver(b.expr), lines, b.line, 0, arg);
    return list === undefined ? undefined : { kind: "item", list, path: [] };
  }
  return b.keyword === "with" ? exprBound(b.expr, lines, b.line, 0, arg) : undefined;
}

/**
 * The values path of the innermost `with` enclosing line `idx`, if the chain up to it is only
 * `with`/`if`; only a `with` that opens below line `top` when given.
 */
function enclosingWith(lines: readonly string[], idx: number, top = -1): string[] | undefined {
  const b = dotAt(lines, idx, top, undefined);
  return b?.kind === "values" && b.path.length > 0 ? b.path : undefined;
}

/** `.Values.a.b` when that is the whole expression (not merged, defaulted or passed to a function). */
function plainValuesRef(expr: string): string[] | undefined {
  const m = /^\s*\$?\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?$/.exec(expr);
  return m?.[1] === undefined ? undefined : m[1].slice(1).split(".");
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

/** The first argument of a function call's argument text: a parenthesised group or one word. */
function firstArg(args: string): string | undefined {
  const t = args.trim();
  if (!t.startsWith("(")) return /^\S+/.exec(t)?.[0];
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "(") depth++;
    else if (t[i] === ")" && --depth === 0) return t.slice(0, i + 1);
  }
  return undefined;
}

/** The innermost `with`/`range`/`define`/`block` around line `idx` (below line `top`) with only `if`s between. */
function enclosingBlock(
  lines: readonly string[],
  idx: number,
  top = -1,
): { keyword: string; expr: string; line: number } | undefined {
  return innermostOpener(
    lines,
    idx,
    top,
    /\{\{-?\s*(if|with|range|define|block)\b([^}]*)\}\}/g,
    (k) => k !== "if",
  );
}

/**
 * `toYaml (default A .x)` inside `range .Values.list` (gitlab's sidekiq: `default $resources
 * .resources` for each of `.Values.pods`): `.x` of a list item has no values path a user can set
 * below (setting a list item replaces the whole list), but when no item of the list as the values
 * set it has `x` set to anything non-empty, `default` renders A for every item, and a key set below
 * A's values path is the one rendered. Not known when `--set` touches the list or an item sets `x`.
 */
function rangeDefaultValues(doc: RenderedDoc, lines: readonly string[], i: number): string[] | undefined {
  const m = /\btoYaml\s+\(\s*default\s+(.*?)\s*\)\s*(?:\||-?\}\})/.exec(lines[i] ?? "");
  const args = m?.[1];
  const first = args === undefined ? undefined : firstArg(args);
  if (args === undefined || first === undefined) return undefined;
  const field = /^\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)$/.exec(args.slice(first.length).trim())?.[1];
  const over = field === undefined ? undefined : enclosingRange(lines, i);
  const list = over === undefined ? undefined : exprValues(over.expr, lines, over.line);
  const fallback = exprValues(first, lines, i);
  if (field === undefined || list === undefined || fallback === undefined) return undefined;
  return itemsLeaveEmpty(doc, list, field.split(".")) ? fallback : undefined;
}

/**
 * Whether no item of the values list `list`, as the values set it (the first source, by precedence,
 * that sets it: whole), has `field` set to anything non-empty; false when `--set` touches the list,
 * it is not a list of maps, or no source sets it.
 */
function itemsLeaveEmpty(doc: RenderedDoc, list: readonly string[], field: readonly string[]): boolean {
  const full = [...doc.scope.keyPrefix, ...list];
  const touches = (keys: readonly string[]) => keys.every((k, j) => j >= full.length || full[j] === k);
  if (doc.scope.sets?.some((s) => touches(s.keys)) === true) return false;
  for (const { source, prefix } of doc.scope.values) {
    const node = nodeOfValue(source, [...prefix, ...list]);
    if (node === undefined) continue;
    if (!isSeq(node)) return false;
    for (const item of node.items) {
      if (!isMap(item)) return false;
      let v: unknown = item;
      for (const k of field) {
        if (!isMap(v)) {
          v = undefined;
          break;
        }
        v = v.items.find((p) => isScalar(p.key) && String(p.key.value) === k)?.value;
      }
      if (!emptyValue(v)) return false;
    }
    return true;
  }
  return false;
}

/** Any block opener: its keyword and expression (`matchAll` copies it, so one is shared). */
const BRANCH_OPENER_RE = /\{\{-?\s*(if|with|range|define|block)\b([^}]*)\}\}/g;

/**
 * `toYaml .x` inside `range $.Values.list` (a map) when a helper the template includes with the root
 * context before that `range` rewrites the list at render time (gitlab's webservice:
 * `include "webservice.datamodel.prepare" $` walks `.Values.deployments` and replaces every entry
 * by `fromYaml (include "webservice.datamodel.blank" $)` with the entry merged over it). When the
 * template's `x` is then that template's `x:` key, written by `toYaml .Values.y` alone, and no
 * entry of the list as the values set it has `x`, every item's `x` is `.Values.y`, and a key set
 * below `y` is the one rendered. Anything the mapping cannot follow gives none: another rewrite of
 * the list (in any template, or after the walk), a `set` of `x` on a rewritten item, a merge helper
 * that does more than copy its source's keys onto its destination, `--set` on the list.
 */
function rangeDatamodelValues(doc: RenderedDoc, lines: readonly string[], i: number): string[] | undefined {
  const m = /\{\{-?\s*(?:toYaml\s+\.([\w.-]+)|\.([\w.-]+)\s*\|\s*toYaml)\s*(?:\||-?\}\})/.exec(
    lines[i] ?? "",
  );
  const field = (m?.[1] ?? m?.[2])?.split(".");
  const over = field === undefined ? undefined : enclosingRange(lines, i);
  return field === undefined || over === undefined ? undefined : datamodelValues(doc, lines, over, field);
}

/**
 * The values key of `.field` of an item of the `range` `over` (on a template line of `lines`) when
 * the list is rewritten from a blank data model (rangeDatamodelValues). A key below the model's
 * `x:` block (`field` of two keys or more: `.hpa.apiVersion`) is also followed when the block is,
 * besides `toYaml .Values.y`, fixed one-line keys (gitlab's `hpa:` block: `minReplicas`,
 * `maxReplicas`) of which none is the key, nor set below `y` (a duplicate key: which one `fromYaml` keeps is not followed).
 */
function datamodelValues(
  doc: RenderedDoc,
  lines: readonly string[],
  over: { expr: string; line: number },
  field: readonly string[],
): string[] | undefined {
  const model = datamodelBlock(doc, lines, over, field);
  if (model === undefined) return undefined;
  const { def, at, top } = model;
  const dl = def.file.lines;
  let y: string[] | undefined;
  let indent: number | undefined;
  const fixed = new Set<string>();
  for (let j = at + 1; j < def.end; j++) {
    const l = dl[j] ?? "";
    if (l.trim() === "") continue;
    const lead = l.length - l.trimStart().length;
    if (lead <= top) break;
    // (A fixed key of one line: `minReplicas: {{ .Values.minReplicas }} # ...`.)
    const key = /^\s*([\w-]+):\s*\{\{[^{}]*\}\}\s*(?:#.*)?$/.exec(l)?.[1];
    if (key !== undefined && field.length > 1 && (indent ?? lead) === lead) {
      fixed.add(key);
      indent = lead;
      continue;
    }
    if (y !== undefined) return undefined;
    const w =
      /^\s*\{\{-?\s*(?:\.Values((?:\.[\w-]+)+)\s*\|\s*toYaml|toYaml\s+\.Values((?:\.[\w-]+)+))\s*\|\s*nindent\s+(\d+)\s*-?\}\}\s*$/.exec(
        l,
      );
    const ref = w?.[1] ?? w?.[2];
    if (ref === undefined) return undefined;
    if (fixed.size > 0 && Number(w?.[3]) !== indent) return undefined;
    indent = Number(w?.[3]);
    y = ref.slice(1).split(".");
  }
  if (y === undefined) return undefined;
  if (fixed.size > 0) {
    const below = field[1];
    const yFull = [...doc.scope.keyPrefix, ...y];
    if (below === undefined || fixed.has(below)) return undefined;
    if (
      doc.scope.sets?.some(
        (s) => yFull.every((k, j) => s.keys[j] === k) && fixed.has(s.keys[yFull.length] ?? ""),
      )
    )
      return undefined;
    for (const { source, prefix } of doc.scope.values) {
      const node = nodeOfValue(source, [...prefix, ...y]);
      if (isMap(node) && node.items.some((p) => isScalar(p.key) && fixed.has(String(p.key.value))))
        return undefined;
    }
  }
  return [...y, ...field.slice(1)];
}

/**
 * Whether `.x.k` (`field`) of an item of the `range` `over` is empty whatever values the chart is
 * given, but for entries of the list that set `x`: the list is rewritten from a blank data model
 * (datamodelBlock) whose `x:` block is keys of its own, none of them `k`, and actions that write
 * below those keys (`{{- toYaml .Values.ingress.annotations | nindent 4 }}` under `annotations:`),
 * nothing a values key could add `k` with. gitlab's webservice Ingress: the blank's `ingress:` has
 * no `apiVersion`, so `.local.apiVersion` of `gitlab.ingress.apiVersion` is empty.
 */
function datamodelLeavesEmpty(
  doc: RenderedDoc,
  lines: readonly string[],
  over: { expr: string; line: number },
  field: readonly string[],
): boolean {
  const model = field.length === 2 ? datamodelBlock(doc, lines, over, field) : undefined;
  if (model === undefined) return false;
  const { def, at, top } = model;
  let child: number | undefined;
  for (let j = at + 1; j < def.end; j++) {
    const l = def.file.lines[j] ?? "";
    if (l.trim() === "" || isInert(l)) continue;
    const lead = l.length - l.trimStart().length;
    if (/^\s*\{\{.*\}\}\s*$/.test(l)) {
      if (/^\s*\{\{-?\s*(?:if|else|end)\b[^{}]*\}\}\s*$/.test(l)) continue;
      const n = /^\s*\{\{[^{}]*\|\s*nindent\s+(\d+)\s*-?\}\}\s*$/.exec(l)?.[1];
      if (n === undefined || child === undefined || Number(n) <= child) return false;
      continue;
    }
    if (lead <= top) break;
    child ??= lead;
    if (lead > child) continue;
    const m = /^\s*([\w-]+):(.*)$/.exec(l);
    if (lead < child || m === null || m[1] === field[1]) return false;
    if (/\{\{/.test(m[2] ?? "") && /\b(?:n?indent|toYaml|toJson|include|template|tpl)\b/.test(m[2] ?? ""))
      return false;
  }
  return child !== undefined;
}

/**
 * The blank data model's `x:` key line (`x` is `field[0]`; `at`, in the template `def` whose top
 * level is at indent `top`) when `.field` of an item of the `range` `over` is that template's `x`
 * whatever the list's entries hold besides (rangeDatamodelValues): the list is rewritten from the
 * blank by the one helper the mapping follows, no entry of any values file sets `x`, and nothing
 * else the rewrite does sets a key at, above or below `field`.
 */
function datamodelBlock(
  doc: RenderedDoc,
  lines: readonly string[],
  over: { expr: string; line: number },
  field: readonly string[],
): { def: Define; at: number; top: number } | undefined {
  const list = plainValuesRef(over.expr);
  const x = field[0];
  if (list === undefined || x === undefined) return undefined;
  const full = [...doc.scope.keyPrefix, ...list];
  const touches = (keys: readonly string[]) => keys.every((k, j) => j >= full.length || full[j] === k);
  if (doc.scope.sets?.some((s) => touches(s.keys)) === true) return undefined;
  // (Values files are merged: no entry of any of them may set `x`.)
  for (const { source, prefix } of doc.scope.values) {
    const node = nodeOfValue(source, [...prefix, ...list]);
    if (node === undefined || emptyValue(node)) continue;
    if (!isMap(node)) return undefined;
    for (const entry of node.items) {
      if (!isMap(entry.value)) return undefined;
      if (entry.value.items.some((p) => isScalar(p.key) && String(p.key.value) === x)) return undefined;
    }
  }
  const noComments = (l: string) => l.replace(/\{\{-?\s*\/\*.*?\*\/\s*-?\}\}/g, "");
  const path = escapeRe(list.join("."));
  const parent = escapeRe(list.slice(0, -1).join("."));
  const last = escapeRe(list[list.length - 1] ?? "");
  // `set $.Values.list k v`, `set $.Values "list" v` (`set $.Values.a "list" v` for `a.list`).
  const rewrite = new RegExp(
    `\\bset\\s+\\$?\\.Values(?:\\.${path}(?![\\w.-])|${parent === "" ? "" : `\\.${parent}`}\\s+"${last}")`,
  );
  // The helper that rewrites it: included with the root context above the `range`, at the top.
  let prepare: Define | undefined;
  for (let j = 0; j < over.line; j++) {
    const name = /^\s*\{\{-?\s*include\s+"([^"]+)"\s+\$\s*-?\}\}\s*$/.exec(lines[j] ?? "")?.[1];
    const def = name === undefined ? undefined : doc.ctx.defines.get(name);
    if (def === undefined || enclosingBlock(lines, j) !== undefined) continue;
    const body = def.file.lines.slice(def.start + 1, def.end).map(noComments);
    if (body.some((l) => rewrite.test(l))) {
      if (prepare !== undefined) return undefined;
      prepare = def;
    }
  }
  if (prepare === undefined) return undefined;
  // No template line outside it rewrites the list.
  for (const f of new Set([...doc.ctx.defines.values()].map((d) => d.file)))
    for (const [j, l] of f.lines.entries())
      if (rewrite.test(noComments(l)) && !(f === prepare.file && j > prepare.start && j < prepare.end))
        return undefined;
  const body = codeLines(prepare.file.lines)
    .slice(prepare.start + 1, prepare.end)
    .map(noComments);
  // The walk: `range $k, $v := $.Values.list` that sets every entry `set $.Values.list $k $filled`,
  // the last rewrite of the list.
  const walkAt = body.findIndex((l) =>
    new RegExp(`\\brange\\s+\\$\\w+\\s*,\\s*\\$\\w+\\s*:=\\s*\\$?\\.Values\\.${path}\\s*-?\\}\\}`).test(l),
  );
  const walk = /\brange\s+\$(\w+)\s*,\s*\$(\w+)/.exec(body[walkAt] ?? "");
  const [k, v] = [walk?.[1], walk?.[2]];
  if (walk === null || k === undefined || v === undefined) return undefined;
  const rewrites = body.flatMap((l, j) => (rewrite.test(l) ? [j] : []));
  const final = rewrites.at(-1) ?? -1;
  const filled = new RegExp(`\\bset\\s+\\$?\\.Values\\.${path}\\s+\\$${k}\\s+\\$(\\w+)\\s*-?\\}\\}`).exec(
    body[final] ?? "",
  )?.[1];
  if (filled === undefined || final < walkAt) return undefined;
  // (The walk runs whatever the values, and sets each entry whatever the entry.)
  const opener = (j: number) =>
    innermostOpener(
      codeLines(prepare.file.lines),
      prepare.start + 1 + j,
      prepare.start - 1,
      BRANCH_OPENER_RE,
      () => true,
    )?.line;
  if (opener(walkAt) !== prepare.start || opener(final) !== prepare.start + 1 + walkAt) return undefined;
  // Variables holding the template `fromYaml (include "blank" $)`, one template for all.
  let blank: string | undefined;
  const models = new Set<string>();
  for (const l of body)
    for (const a of l.matchAll(/\$(\w+)\s*:?=\s*fromYaml\s+\(\s*include\s+"([^"]+)"\s+\$\s*\)/g)) {
      if (blank !== undefined && blank !== a[2]) return undefined;
      blank = a[2];
      models.add(a[1] ?? "");
    }
  if (blank === undefined || !models.has(filled)) return undefined;
  // (A model variable is assigned nothing else than the template or a `dict` without `x`.)
  for (const l of body)
    for (const a of l.matchAll(/\$(\w+)\s*:?=\s*(.*?)\s*-?\}\}/g)) {
      if (!models.has(a[1] ?? "")) continue;
      const value = a[2] ?? "";
      if (/^fromYaml\s+\(\s*include\s+"[^"]+"\s+\$\s*\)$/.test(value)) continue;
      if (!/^\(?dict\b[^$]*\)?$/.test(value) || value.includes(`"${x}"`)) return undefined;
    }
  // Every use of those variables that may change them: `set $m "key"` / `set $m.key ...` of
  // another key, the list's entries set to one, a merge helper given one as `dst` and an entry
  // as `src`; every other rewrite of the list sets a model or a `dict` without `x`.
  const merges = new Set<string>();
  for (const l of body) {
    for (const s of l.matchAll(/\bset\s+(\$\w+(?:\.[\w-]+)*)\s+(\S+)/g)) {
      const [root = "", ...below] = (s[1] ?? "").slice(1).split(".");
      if (!models.has(root)) continue;
      // (`set $m.ingress "path"` leaves `ingress.apiVersion` as it was; a key not written out may
      // be any key below the target.)
      const key = /^"([\w-]+)"$/.exec(s[2] ?? "")?.[1];
      const at = key === undefined ? below : [...below, key];
      if (at.every((k, j) => j >= field.length || field[j] === k)) return undefined;
    }
    if (rewrite.test(l)) {
      const value = /\bset\s+\S+\s+\S+\s+(.*?)\s*-?\}\}/.exec(l)?.[1] ?? "";
      const model = /^\$(\w+)$/.exec(value)?.[1];
      const literal = /^\(?dict\b[^$]*\)?$/.test(value) && !value.includes(`"${x}"`);
      if (!(model !== undefined && models.has(model)) && !literal) return undefined;
    }
    for (const inc of l.matchAll(/\binclude\s+"([^"]+)"\s+(\([^()]*\)|\S+)/g)) {
      const usesModel = [...models].some((mv) => new RegExp(`\\$${mv}\\b`).test(inc[2] ?? ""));
      if (!usesModel) continue;
      if (!new RegExp(`^\\(dict\\s+"dst"\\s+\\$\\w+\\s+"src"\\s+\\$${v}\\)$`).test(inc[2] ?? ""))
        return undefined;
      merges.add(inc[1] ?? "");
    }
    if (
      [...models].some((mv) =>
        new RegExp(`\\b(?:merge|mergeOverwrite|deepMerge|unset)\\s+\\$${mv}\\b`).test(l),
      )
    )
      return undefined;
  }
  // The merge helper copies a key of `src` onto the same key of `dst`, and nothing else.
  for (const name of merges) {
    const def = doc.ctx.defines.get(name);
    if (def === undefined) return undefined;
    for (const l of codeLines(def.file.lines)
      .slice(def.start + 1, def.end)
      .map(noComments)) {
      const code = l.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      if (/\.Values\b|\b(?:merge|mergeOverwrite|deepMerge|unset)\b/.test(code)) return undefined;
      const sets = l.match(/\bset\s/g)?.length ?? 0;
      const copies = l.match(/\bset\s+\$\.dst\s+\$(\w+)\s+\(index\s+\$\.src\s+\$\1\)/g)?.length ?? 0;
      if (sets !== copies) return undefined;
      for (const inc of l.matchAll(/\binclude\s+"([^"]+)"\s+(\(.*\))/g)) {
        const self = inc[1] === name;
        const args =
          /^\(dict\s+"dst"\s+\(index\s+\$\.dst\s+\$(\w+)\)\s+"src"\s+\(index\s+\$\.src\s+\$\1\)\)/.test(
            inc[2] ?? "",
          );
        if (!self || !args) return undefined;
      }
    }
  }
  // The template's `x:` at its top, a bare key line outside any block of the template.
  const def = doc.ctx.defines.get(blank);
  if (def === undefined) return undefined;
  const dl = def.file.lines;
  const tops = dl
    .slice(def.start + 1, def.end)
    .filter((l) => l.trim() !== "" && !isInert(l) && !/^\s*\{\{/.test(l));
  const top = Math.min(...tops.map((l) => l.length - l.trimStart().length));
  let at = -1;
  for (let j = def.start + 1; j < def.end; j++) {
    const l = dl[j] ?? "";
    if (l.length - l.trimStart().length !== top || KEY_LINE_RE.exec(l)?.[1] !== x) continue;
    const opener = innermostOpener(dl, j, def.start - 1, BRANCH_OPENER_RE, () => true);
    if (at !== -1 || !/^\s*[\w-]+:\s*(?:#.*)?$/.test(l) || opener?.line !== def.start) return undefined;
    at = j;
  }
  return at === -1 ? undefined : { def, at, top };
}

/**
 * The values key of a value that an inline `{{ if .Values.x }}A{{ else }}B{{ end }}` picks
 * (gitlab-runner's `serviceAccountName: {{ if .Values.rbac.create }}{{ include "fullname" . }}{{
 * else }}"{{ .Values.rbac.serviceAccountName }}"{{ end }}`, whose parent chart sets `rbac.create`):
 * the last values key of the branch the values files take (`[]`: that branch reads none; the
 * last key of the line was the other branch's), `null` when that is not known (the command line
 * sets the condition, a branch holds another block); `undefined` for a line without such an `if`.
 */
function inlineIfValues(doc: RenderedDoc, line: string): string[] | null | undefined {
  const m =
    /:\s*"?\{\{-?\s*if\s+(not\s+)?\.Values\.([\w.-]+)\s*-?\}\}(.*?)\{\{-?\s*else\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}/.exec(
      line,
    );
  if (m === null) return undefined;
  const [, not, cond = "", a = "", b = ""] = m;
  if (cond.startsWith("global.") || /\{\{-?\s*(?:if|with|range)\b/.test(a + b)) return null;
  const empty = emptyKey(doc.scope, cond.split("."));
  if (empty === undefined) return null;
  const refs = valuesRefs(not !== undefined ? (empty ? a : b) : empty ? b : a).filter(
    (r) => r[0] !== "global",
  );
  return refs[refs.length - 1] ?? [];
}

/**
 * Whether the values leave `keys` empty as `if` sees it: the first source (highest precedence) that
 * sets it decides, none: empty; undefined when the command line sets it or a key above or below it.
 */
function emptyKey(scope: ChartScope, keys: readonly string[]): boolean | undefined {
  const full = [...scope.keyPrefix, ...keys];
  const touches = (k: readonly string[]) => k.every((x, j) => j >= full.length || full[j] === x);
  if (scope.sets?.some((s) => touches(s.keys)) === true) return undefined;
  for (const { source, prefix } of scope.values) {
    const node = nodeOfValue(source, [...prefix, ...keys]);
    if (node !== undefined) return emptyValue(node);
  }
  return true;
}

/** Whether a rendered line is a key with a scalar value (`image: "busybox:latest"`). */
function scalarLine(out: string): boolean {
  return /^\s*(?:-\s+)?[\w.-]+:\s+[^\s{[|>&*#]/.test(out);
}

/** Whether the values files set `keys` (below the scope's prefix) to a non-empty map (the first that sets it). */
function valuesMap(scope: ChartScope, keys: readonly string[]): boolean {
  for (const { source, prefix } of scope.values) {
    const node = nodeOfValue(source, [...prefix, ...keys]);
    if (node !== undefined) return isMap(node) && node.items.length > 0;
  }
  return false;
}

/** Whether a values node is empty as `default` sees it (absent, null, false, 0, "", `{}`, `[]`). */
function emptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (isScalar(v)) return v.value === null || v.value === false || v.value === 0 || v.value === "";
  if (isMap(v) || isSeq(v)) return v.items.length === 0;
  return false;
}

/** The expression and line of the `range` that line `idx` is in, when only `if`s are between them. */
function enclosingRange(lines: readonly string[], idx: number): { expr: string; line: number } | undefined {
  const b = enclosingBlock(lines, idx);
  if (b?.keyword !== "range") return undefined;
  return { expr: rangeOver(b.expr), line: b.line };
}

/** What a `range` expression ranges over (`$i, $v := .Values.x` gives `.Values.x`). */
function rangeOver(expr: string): string {
  return expr.replace(/^\s*\$\w+\s*(?:,\s*\$\w+\s*)?:=/, "").replace(/-\s*$/, "");
}

/**
 * The values path a dynamic line reads: `.Values.a.b`, or `.`/`.x` inside `with .Values.a.b`. With
 * `arg` (a helper's body whose argument is known, see exprValues): the values block a
 * `toYaml`/`tpl` on the line renders, as the body sees it.
 */
function lineValuesPath(lines: readonly string[], idx: number, arg?: Bound): string[] | undefined {
  const line = lines[idx] ?? "";
  if (arg !== undefined) {
    const op = /\{\{-?\s*(?:toYaml|tpl)\s+(\([^)]*\)|[^\s|)}]+)/.exec(line)?.[1];
    return op === undefined ? undefined : exprValues(op, lines, idx, 0, arg);
  }
  const direct = valuesRefs(line).filter((r) => r[0] !== "global");
  if (direct.length > 0) return direct[direct.length - 1];
  // `toYaml $sc` of a variable that holds a values block.
  const variable = /\{\{-?\s*(?:toYaml|tpl)\s+(\$[A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)*)\s*(?:\||-?\}\})/.exec(
    line,
  );
  if (variable?.[1] !== undefined) return exprValues(variable[1], lines, idx);
  const rel = /\{\{-?[^}]*?(?:toYaml|tpl|quote|default|\|)?\s\.((?:[A-Za-z_][\w-]*\.?)*)/.exec(line);
  if (rel === null || line.includes("$.") || /\binclude\b/.test(line)) return undefined;
  const base = enclosingWith(lines, idx);
  if (base === undefined) return undefined;
  const tail = (rel[1] ?? "").split(".").filter((s) => s !== "");
  return [...base, ...tail];
}

/**
 * The values block a bare key line's value is written from whole: the one content line of its block
 * is `toYaml` of it (`securityContext:` then `{{- toYaml .Values.containerSecurityContext | nindent
 * 12 }}`, around it only `if`/`with`/`end` lines), or an `include` given the root context of a
 * helper that renders that block whole when it is set (falco's `falco.securityContext`), or the
 * block is picked by an `if` (see pickedBlockValues). A finding on the map itself (a container's
 * `securityContext` without any hardening) is set through that block.
 */
function wholeBlockValues(
  doc: RenderedDoc,
  lines: readonly string[],
  idx: number,
  key: string | undefined,
): { values?: string[]; unsure?: string } {
  const line = lines[idx] ?? "";
  if (key === undefined || !/:\s*(?:#.*)?$/.test(line) || KEY_LINE_RE.exec(line)?.[1] !== key) return {};
  const b = blockOf(lines, idx);
  const only = onlyContentLine(lines, idx);
  const text = only === undefined ? "" : (lines[only] ?? "");
  const def = /^\s*\{\{-?\s*include\s/.test(text) ? defineOf(doc, text) : undefined;
  const vp =
    only === undefined
      ? pickedBlockValues(lines, b.from, b.to)
      : /^\s*\{\{-?\s*toYaml\s+[^|}]+\|\s*n?indent\s+\d+\s*-?\}\}\s*$/.test(text)
        ? lineValuesPath(lines, only)
        : def !== undefined && rootContext(doc, text)
          ? (guardedValues(def) ?? guardedInDefine(def))
          : undefined;
  if (vp !== undefined) return { values: vp };
  // (A block that is an `if` chain a branch of which writes a values block whole, or a key line
  // in a later branch of one whose first branch has the same key line, that does not decide.)
  const opener = chainOpener(lines, b.from, b.to);
  if (opener !== undefined && writesValuesBlock(lines, b.from, b.to))
    return {
      unsure: `the block is picked by the \`${opener.keyword}\` on line ${String(opener.line + 1)}, whose first branch does not write whole the values block its condition tests: which values key sets it is not known`,
    };
  const chain = ifChainKeyValues(lines, idx, key);
  if (chain === undefined || Array.isArray(chain)) return chain === undefined ? {} : { values: chain };
  return {
    unsure: `the key line is in a later branch of the \`if\` on line ${String(chain.line + 1)}, whose first branch does not write this key whole from the values block its condition tests: which values key sets it is not known`,
  };
}

/** Whether a content line of the block [from, to), at its top, is `toYaml`/`tpl` of a values block alone. */
function writesValuesBlock(lines: readonly string[], from: number, to: number): boolean {
  const code = codeLines(lines);
  const content: number[] = [];
  for (let i = from; i < to; i++) if (!isInert(code[i] ?? "")) content.push(i);
  const top = Math.min(...content.map((i) => effectiveIndent(code[i] ?? "")));
  return content.some(
    (i) =>
      effectiveIndent(code[i] ?? "") === top &&
      WHOLE_ACTION_RE.test(code[i] ?? "") &&
      lineValuesPath(lines, i) !== undefined,
  );
}

/** The `if`/`with` (and its line) whose chain holds all the content of the block [from, to) of a key line. */
function chainOpener(
  lines: readonly string[],
  from: number,
  to: number,
): { keyword: string; line: number } | undefined {
  const code = codeLines(lines);
  let opener: { keyword: string; line: number } | undefined;
  let depth = 0;
  let closed = false;
  for (let i = from; i < to; i++) {
    const l = code[i] ?? "";
    if (!isInert(l)) {
      if (opener === undefined || closed) return undefined;
      continue;
    }
    for (const m of l.matchAll(CONTROL_RE)) {
      const kw = m[1] ?? "";
      if (closed) return undefined;
      if (kw === "end") closed = --depth === 0;
      else if (kw === "else") {
        if (depth === 0) return undefined;
      } else {
        if (depth === 0) {
          if (kw !== "if" && kw !== "with") return undefined;
          opener = { keyword: kw, line: i };
        }
        depth++;
      }
    }
  }
  return closed ? opener : undefined;
}

/** One action that renders a values block whole: `toYaml X`, `tpl X .` (X `.Values.a`, `.`, `.a`, `$v`), indented. */
const WHOLE_ACTION_RE =
  /^\s*\{\{-?\s*(?:toYaml\s+(?:\$?\.[\w.-]*|\$[A-Za-z_][\w.-]*)|tpl\s+(?:\$?\.[\w.-]*|\$[A-Za-z_][\w.-]*)\s+[.$])\s*(?:\|\s*n?indent\s+\d+\s*)?-?\}\}\s*$/;

/**
 * The values block K that picks the content of the block [from, to) of a key line: the block is an
 * `if K` (`if not (empty K)`, `with K`) chain, and its first branch writes K whole (`toYaml K`, also
 * `tpl K .` or `toYaml K` in the branches of an inner `if`/`else` such as vault's `typeOf` test,
 * each of whose branches writes it): setting a key below K makes K non-empty, so the first branch
 * renders, whatever the later branches wrote (gitea's `if .Values.containerSecurityContext` `toYaml`
 * it `else` `toYaml .Values.securityContext`). Anything else in the block, an inner `with` or an
 * inner `if` that may render nothing, gives none. With `given`, the block is already in the first
 * branch of `if given` (the key line is): all of it must write `given` whole.
 */
function pickedBlockValues(
  lines: readonly string[],
  from: number,
  to: number,
  given?: string[],
): string[] | undefined {
  const code = codeLines(lines);
  let values = given;
  // The open blocks, outermost (the chain) first: which branch is open, whether the branch open
  // now wrote something, and whether each of the earlier ones did.
  interface Open {
    branch: number;
    wrote: boolean;
    allWrote: boolean;
  }
  const open: Open[] = given === undefined ? [] : [{ branch: 0, wrote: false, allWrote: true }];
  const inFirst = () => open[0]?.branch === 0;
  let closed = false;
  let written = 0;
  for (let i = from; i < to; i++) {
    const l = code[i] ?? "";
    if (!isInert(l)) {
      if (closed || open.length === 0 || /\{\{-?\s*(?:if|with|range|else|end)\b/.test(l)) return undefined;
      if (inFirst()) {
        if (!WHOLE_ACTION_RE.test(l) || lineValuesPath(lines, i)?.join(".") !== values?.join("."))
          return undefined;
        written++;
      }
      for (const o of open) o.wrote = true;
      continue;
    }
    for (const m of l.matchAll(CONTROL_RE)) {
      const kw = m[1] ?? "";
      if (closed) return undefined;
      if (kw === "if" || kw === "with") {
        if (open.length === 0) {
          values = kw === "if" ? conditionValues(m[2] ?? "") : plainValuesRef(m[2] ?? "");
          if (values === undefined) return undefined;
        } else if (inFirst() && kw !== "if") return undefined;
        open.push({ branch: 0, wrote: false, allWrote: true });
        continue;
      }
      const top = open[open.length - 1];
      // (The chain `given` is opened and closed outside the block.)
      if (top === undefined || (given !== undefined && open.length === 1)) return undefined;
      if (kw === "else") {
        top.allWrote &&= top.wrote;
        top.wrote = false;
        top.branch++;
      } else if (kw === "end") {
        open.pop();
        // (An inner `if` of the chain's first branch writes in each of its branches, an `else` too.)
        if (open.length > 0 && inFirst() && !(top.branch > 0 && top.allWrote && top.wrote)) return undefined;
        if (open.length === 0) closed = true;
      } else if (inFirst()) return undefined;
      else open.push({ branch: 0, wrote: false, allWrote: true });
    }
  }
  const done = given === undefined ? closed : open.length === 1;
  return done && written > 0 ? values : undefined;
}

/**
 * A key line in a later branch of `{{ if K }}` whose first branch writes the same key at the same
 * indentation, not under another condition, from K whole (vault's `securityContext:` then
 * `allowPrivilegeEscalation: false` in the `else if not .Values.global.openshift` branch of `if
 * .Values.server.statefulSet.securityContext.container`, whose first branch writes `securityContext:`
 * from that block): setting a key below K makes the first branch render that key line instead.
 * When the first branch has such a key line but it does not decide (another condition around it,
 * other content), the chain's `if` line, to say why there is no path.
 */
function ifChainKeyValues(
  lines: readonly string[],
  idx: number,
  key: string,
): string[] | { line: number } | undefined {
  const code = codeLines(lines);
  const branch = firstBranchOf(code, idx);
  if (branch === undefined) return undefined;
  const undecided = { line: branch.from - 1 };
  const indent = effectiveIndent(code[idx] ?? "");
  for (let i = branch.from; i < branch.to; i++) {
    const l = code[i] ?? "";
    if (KEY_LINE_RE.exec(l)?.[1] !== key || effectiveIndent(l) !== indent || !/:\s*(?:#.*)?$/.test(l))
      continue;
    if (guardsOf(code, branch.from - 1, i)?.length !== 0) return undecided;
    // (The block ends with the branch: the inert `else` lines after it are the chain's.)
    const to = Math.min(blockOf(lines, i).to, branch.to);
    const vp = pickedBlockValues(lines, i + 1, to, branch.values) ?? pickedBlockValues(lines, i + 1, to);
    return vp?.join(".") === branch.values.join(".") ? vp : undecided;
  }
  return undefined;
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

/**
 * The line of a named template's body that writes `key` at the top of its output (the least
 * indented content of the body), where an `include` of it puts the key; -1 when only a deeper
 * line has that name (a container's `securityContext:` in a helper that writes a whole pod spec
 * is not the pod's).
 */
function topKeyLine(def: Define, key: string): number {
  const lines = codeLines(def.file.lines);
  let top = Infinity;
  for (let i = def.start + 1; i < def.end; i++) {
    const l = lines[i] ?? "";
    if (!isInert(l) && !/^\s*\{\{/.test(l)) top = Math.min(top, l.length - l.trimStart().length);
  }
  const re = new RegExp(`^\\s*(?:-\\s+)?["']?${escapeRe(key)}["']?\\s*:`);
  for (let i = def.start + 1; i < def.end; i++) {
    const l = lines[i] ?? "";
    if (re.test(l) && l.length - l.trimStart().length === top) return i;
  }
  return -1;
}

function keyLine(text: readonly string[], key: string, from: number, to: number): number {
  const lines = codeLines(text);
  const re = new RegExp(`^\\s*(?:-\\s+)?["']?${escapeRe(key)}["']?\\s*:`);
  for (let i = from; i <= to && i < lines.length; i++) if (re.test(lines[i] ?? "")) return i;
  return -1;
}

/** Indentation of a template line as YAML sees it: `nindent N`/`indent N` for a line that is an action, else its text's. */
function effectiveIndent(line: string): number {
  const n = /\|\s*n?indent\s+(\d+)/.exec(line);
  // (`resources: {{- include ... | nindent 12 }}` is a key at its own indentation.)
  if (n?.[1] !== undefined && writesOutput(line) && line.trimStart().startsWith("{{")) return Number(n[1]);
  return line.length - line.trimStart().length;
}
/** A line that YAML never sees as content: blank, a YAML comment, or control actions only. */
function isInert(line: string): boolean {
  const t = line.trim();
  return (
    t === "" || t.startsWith("#") || (isDynamic(line) && CONTROL_ONLY.test(line)) || /^\{\{-?\s*\/\*/.test(t)
  );
}
/** The lines a template line's value spans: [from, to) with a deeper (or, for a `- ` item, equal) indent. */
function blockOf(text: readonly string[], idx: number): { from: number; to: number; min: number } {
  const lines = codeLines(text);
  const line = lines[idx] ?? "";
  const indent = line.length - line.trimStart().length;
  const item = /^\s*-\s+/.exec(line);
  const min = item !== null ? item[0].length : indent + 1;
  // A bare key's list may be written at the key's own indentation (`containers:` then
  // `- name: app` below it, as compact YAML does): its `- ` lines are in the block too.
  const compact = item === null && /^\s*["']?[\w./-]+["']?\s*:\s*$/.test(line);
  let to = idx + 1;
  for (; to < lines.length; to++) {
    const l = lines[to] ?? "";
    // A block never runs into the next named template's body.
    if (/\{\{-?\s*define\b/.test(l)) break;
    if (isInert(l)) continue;
    if (effectiveIndent(l) >= min) continue;
    if (
      compact &&
      !isDynamic(l.slice(0, indent + 2)) &&
      /^\s*-(?:\s|$)/.test(l) &&
      effectiveIndent(l) === indent
    )
      continue;
    break;
  }
  return { from: idx + 1, to, min };
}
const KEY_LINE_RE = /^\s*(?:-\s+)?["']?([\w./-]+)["']?\s*:(?:\s|$)/;

/**
 * The template line of the deepest existing path prefix when it is a template line of its own (its
 * rendered line aligns, writes the path's key, and sits inside its parent's block); undefined
 * when it was produced by an action (`toYaml`, `include`) or the alignment is not trustworthy.
 */
function alignedAncestor(
  lines: readonly string[],
  alignment: Int32Array,
  prefix: Path,
  lineOf: (p: Path) => { line: number; exact: boolean },
): number | undefined {
  const idxOf = (p: Path): number => alignment[lineOf(p).line - 1] ?? -1;
  const idx = idxOf(prefix);
  if (idx < 0) return undefined;
  const last = prefix[prefix.length - 1];
  const text = lines[idx] ?? "";
  if (typeof last === "string") {
    if (KEY_LINE_RE.exec(text)?.[1] !== last) return undefined;
  } else if (typeof last === "number" && !/^\s*-(?:\s|$)/.test(text)) return undefined;
  // The parent's line (the nearest shorter prefix on another rendered line) must enclose it.
  for (let k = prefix.length - 1; k >= 1; k--) {
    const p = prefix.slice(0, k);
    if (lineOf(p).line === lineOf(prefix).line) continue;
    const parent = idxOf(p);
    if (parent < 0) return undefined;
    const b = blockOf(lines, parent);
    return idx >= b.from && idx < b.to ? idx : undefined;
  }
  return idx;
}

/** Where the keys being resolved were rendered. */
interface Trail {
  /** Rendered line index of the template line being resolved, if known. */
  self: number | undefined;
  /** Rendered line index of each existing key of the missing path, from the first. */
  at: readonly (number | undefined)[];
  /** The line, in the template text being resolved, that a rendered line is aligned with; -1: none. */
  aligned: (outIdx: number) => number;
}

/** One key further down: the first existing key becomes the line being resolved. */
function down(trail: Trail): Trail {
  return { self: trail.at[0], at: trail.at.slice(1), aligned: trail.aligned };
}

/**
 * The trail inside a named template that an `include` on the line being resolved wrote: the
 * rendered block of that line is aligned with the named template's body (only), so that a
 * container its body writes is found by its rendered line, as in a template of its own.
 */
function intoDefine(doc: RenderedDoc, def: Define, trail: Trail): Trail {
  const self = trail.self;
  if (self === undefined) return { ...trail, aligned: () => -1 };
  const { end, body } = includedBlock(doc, def, self);
  const sub = align(body, doc.out.slice(self + 1, end));
  return { ...trail, aligned: (o) => (o > self && o < end ? (sub[o - self - 1] ?? -1) : -1) };
}

/** The end of the rendered block below line `self` (an include's output) and the named template's body lines (others blank). */
function includedBlock(doc: RenderedDoc, def: Define, self: number): { end: number; body: string[] } {
  const indentOf = (s: string) => s.length - s.trimStart().length;
  const top = indentOf(doc.out[self] ?? "");
  let end = self + 1;
  for (; end < doc.out.length; end++) {
    const l = doc.out[end] ?? "";
    if (l.trim() !== "" && indentOf(l) <= top) break;
  }
  return { end, body: def.file.lines.map((l, i) => (i > def.start && i < def.end ? l : "")) };
}

/** Why an include's values key is not known when its template's name is computed by the render. */
function computedNameReason(line: number, call: IncludeCall): string {
  return `the action on line ${String(line + 1)} includes a template whose name is computed (${call.expr}): which template it renders, and so which values key sets this field, is not known`;
}

/**
 * The rendered document seen as the output of `def` alone where an include at a line's start with
 * no indentation wrote the top-level key rendered at line `from`: that key's block aligned with the
 * body, every other line unaligned.
 */
function insideTopLevel(
  doc: RenderedDoc,
  def: Define,
  from: number,
  /** Whether the include gives it the root context (`.` outside any `with`/`range`). */
  root: boolean,
): { doc: RenderedDoc; alignment: Int32Array } {
  let end = from + 1;
  while (end < doc.out.length && ((doc.out[end] ?? "").trim() === "" || /^\s/.test(doc.out[end] ?? "")))
    end++;
  const body = def.file.lines.map((l, i) => (i > def.start && i < def.end ? l : ""));
  const rendered = root ? withoutRootFalseBranches(doc, body) : body;
  return blockAlone(doc, def, body, from, end, (l, i) => (i >= from && i < end ? l : ""), rendered);
}

/** The keys of helm's root context (`.Values`, `.Release`, ...); any other `.x` of it is empty. */
const ROOT_KEYS = new Set([...BUILT_IN, "Values", "Subcharts"]);

/**
 * `body` with the lines of every `{{ if .x }}` branch blanked whose `.` is the root context (the
 * body's top, outside any `with`/`range`) and `x` none of its keys: helm's root context has only
 * `Values`, `Release`, `Chart`, `Capabilities`, `Template`, `Files` and `Subcharts`, so `.x` is empty
 * and the branch never renders (gitlab's gitaly `_statefulset_spec.yaml`, included with `.` by one
 * template and with `merge (dict) $ (dict "storage" .)` by another, writes `replicas:` in both
 * branches of `if .storage`). Not for a key some template of the chart sets on a context
 * (`set $ "redisConfigName" ...`), nor at all when one adds keys it does not name (`merge $ ...`).
 */
function withoutRootFalseBranches(doc: RenderedDoc, body: readonly string[]): readonly string[] {
  // Keys some template sets on a context (`set $ "redisConfigName" ...`); undefined: any key.
  const added = new Set<string>();
  for (const f of new Set([...doc.ctx.defines.values()].map((d) => d.file)))
    for (const l of f.lines) {
      if (/\b(?:merge|mergeOverwrite|deepMerge)\s+[.$](?=[\s)])/.test(l)) return body;
      for (const m of l.matchAll(/\bset\s+[.$](?=[\s)])\s*(\S*)/g)) {
        const k = /^"(\w+)"$/.exec(m[1] ?? "")?.[1];
        if (k === undefined) return body;
        added.add(k);
      }
    }
  const code = codeLines(body);
  const out = [...body];
  for (let i = 0; i < code.length; i++) {
    const cond = /^\s*\{\{-?\s*if\s+\.([A-Za-z_]\w*)\s*-?\}\}\s*$/.exec(code[i] ?? "")?.[1];
    if (cond === undefined || ROOT_KEYS.has(cond) || added.has(cond) || enclosingBlock(code, i) !== undefined)
      continue;
    // Blank the first branch: up to its `else`/`end` at the same depth.
    let depth = 0;
    for (let j = i + 1; j < code.length; j++) {
      const l = code[j] ?? "";
      if (depth === 0 && /^\s*\{\{-?\s*(?:else|end)\b/.test(l)) break;
      depth += countOpeners(l) - countEnds(l);
      if (depth < 0) break;
      out[j] = "";
    }
  }
  return out;
}

/**
 * The rendered document seen as the output of the named template `def` alone: the rendered block
 * below line `self` (the include's output, moved left by the include's indentation) aligned with
 * the body, every other line unaligned.
 */
function insideDefine(
  doc: RenderedDoc,
  def: Define,
  self: number,
): { doc: RenderedDoc; alignment: Int32Array } {
  const indentOf = (s: string) => s.length - s.trimStart().length;
  const { end, body } = includedBlock(doc, def, self);
  const bodyTop = Math.min(...body.filter((l) => !isInert(l) && !/^\s*\{\{/.test(l)).map((l) => indentOf(l)));
  const first = doc.out.slice(self + 1, end).find((l) => l.trim() !== "") ?? "";
  const shift = Number.isFinite(bodyTop) ? Math.max(0, indentOf(first) - bodyTop) : 0;
  return blockAlone(doc, def, body, self + 1, end, (l, i) =>
    i > self && i < end ? (indentOf(l) >= shift ? l.slice(shift) : l.trimStart()) : i === self ? l : "",
  );
}

/** The document whose lines are `view` of the rendered ones, its lines [from, end) aligned with `body`. */
function blockAlone(
  doc: RenderedDoc,
  def: Define,
  body: string[],
  from: number,
  end: number,
  view: (line: string, i: number) => string,
  /** The body's lines that may have rendered, others blanked (the body by default). */
  rendered: readonly string[] = body,
): { doc: RenderedDoc; alignment: Int32Array } {
  const out = doc.out.map(view);
  const sub = align(rendered, out.slice(from, end));
  const alignment = new Int32Array(out.length).fill(-1);
  sub.forEach((j, k) => (alignment[from + k] = j));
  return { doc: { ...doc, template: { name: def.file.name, lines: body }, out }, alignment };
}

interface MissingOrigin {
  /** The template file when not the rendered one (a named template's body). */
  file?: TemplateText;
  idx: number;
  key: string | number | undefined;
  values?: string[];
  unsure?: string;
}

/**
 * Where the template would write missing keys below the template line `idx`: a key line for them
 * in its block (followed down as far as the keys go), else the one output action in the block
 * that writes the whole block from values (`toYaml .Values.resources`), whose values path is
 * extended by the missing keys. Nothing outside the block is looked at.
 */
function resolveMissing(
  doc: RenderedDoc,
  text: readonly string[],
  idx: number,
  missing: Path,
  /** How many of `missing` exist (written by an action), from the first. */
  existing: number,
  /** Where the existing keys of `missing` were rendered, to find list items by. */
  trail: Trail,
): MissingOrigin {
  const lines = codeLines(text);
  const key = missing[0];
  const own = lines[idx] ?? "";
  const b = blockOf(lines, idx);
  // Keys are children at the block's own indentation (not deeper: those belong to a child map).
  let childIndent = Infinity;
  for (let i = b.from; i < b.to; i++) {
    const l = lines[i] ?? "";
    if (!isInert(l) && KEY_LINE_RE.test(l.replace(/^(\s*)-\s+/, "$1  "))) {
      childIndent = Math.min(childIndent, effectiveIndent(l.replace(/^(\s*)-\s+/, "$1  ")));
    }
  }
  if (typeof key === "string") {
    for (let i = b.from; i < b.to; i++) {
      const l = (lines[i] ?? "").replace(/^(\s*)-\s+/, "$1  ");
      if (isInert(l) || effectiveIndent(l) !== childIndent || KEY_LINE_RE.exec(l)?.[1] !== key) continue;
      if (missing.length > 1)
        return resolveMissing(doc, lines, i, missing.slice(1), existing - 1, down(trail));
      const vp = keyLineValues(lines, i, idx);
      return vp === undefined ? { idx: i, key } : { idx: i, key, values: vp };
    }
  }
  if (typeof key === "number" && missing.length > 1) {
    // A list item that exists (a container in a helper's `containers:`): the item line of the
    // block that its rendered line is aligned with, else the one item line of the block whose
    // text the rendered item line has (`- name: app`, or the static start of
    // `- name: {{ .Values.x }}`); none or several: not known.
    const itemOut = trail.at[0];
    const alignedItem = itemOut === undefined ? -1 : trail.aligned(itemOut);
    if (
      alignedItem >= b.from &&
      alignedItem < b.to &&
      /^\s*-\s/.test(lines[alignedItem] ?? "") &&
      !/^\s*-\s*\{\{/.test(lines[alignedItem] ?? "") &&
      effectiveIndent((lines[alignedItem] ?? "").replace(/^(\s*)-\s+/, "$1  ")) === childIndent
    )
      return resolveMissing(doc, lines, alignedItem, missing.slice(1), existing - 1, down(trail));
    const text = itemOut === undefined ? undefined : doc.out[itemOut]?.trim();
    const exact: number[] = [];
    const byPrefix: number[] = [];
    for (let i = b.from; i < b.to && text !== undefined; i++) {
      const l = lines[i] ?? "";
      if (!/^\s*-\s/.test(l) || effectiveIndent(l.replace(/^(\s*)-\s+/, "$1  ")) !== childIndent) continue;
      const prefix = staticPrefix(l);
      if (!isDynamic(l) && l.trim() === text) exact.push(i);
      else if (isDynamic(l) && prefix.length > 2 && text.startsWith(prefix)) byPrefix.push(i);
    }
    // A dynamic item line matches any item its block renders: only when no action beside it can
    // write items (`{{- include "sidecar" . | nindent 4 }}` among the containers) is it the one.
    const dash = (i: number) => (lines[i] ?? "").search(/\S/);
    const others = (i: number) => {
      for (let j = b.from; j < b.to; j++) {
        const l = lines[j] ?? "";
        if (j !== i && writesOutput(l) && !/^\s*-\s/.test(l) && effectiveIndent(l) <= dash(i)) return true;
      }
      return false;
    };
    const items = exact.length > 0 ? exact : byPrefix.filter((i) => !others(i));
    const item = items[0];
    if (items.length === 1 && item !== undefined)
      return resolveMissing(doc, lines, item, missing.slice(1), existing - 1, down(trail));
    // No item line of the block wrote it: an include among the items did (a sidecar helper's
    // `{{- include "x.sidecar" . | nindent 8 }}`, or `- {{- include "x.container" . | nindent 10 }}`
    // whose helper writes the item's keys), the one whose body the rendered item aligns with.
    if (exact.length === 0 && itemOut !== undefined) {
      // (Rendered indentation is the template's plus that of the includes around it.)
      const shift =
        trail.self === undefined
          ? 0
          : (doc.out[trail.self] ?? "").search(/\S/) - effectiveIndent(own.replace(/^(\s*)-\s+/, "$1  "));
      const inc = includedItem(doc, lines, b, itemOut, shift);
      const r = inc === undefined ? undefined : resolveInItem(doc, inc, missing, existing, trail);
      if (inc !== undefined && r !== undefined) return fromDefine(doc, lines[inc.line] ?? "", inc.def, r);
    }
  }
  // The actions that write keys into the block: on the line itself after its key, or at the
  // block's own indentation (an action deeper down writes into a child). Those that cannot hold
  // the key (an empty values block, a named template without it) are dropped.
  const actions: number[] = [];
  if (/:\s*\{\{/.test(own) && writesOutput(own)) actions.push(idx);
  for (let i = b.from; i < b.to; i++) {
    const l = lines[i] ?? "";
    // (A multi-line `{{/*` comment writes nothing.)
    if (isInert(l) || !writesOutput(l) || KEY_LINE_RE.test(l)) continue;
    if (childIndent !== Infinity && effectiveIndent(l) !== childIndent) continue;
    if (childIndent !== Infinity && continuesList(lines, i, b.from, childIndent)) continue;
    actions.push(i);
  }
  // (A key that is missing is in no values block: any action may be the one to set it, except one
  // whose values are a list, which cannot hold a key; a named template that writes the key at its
  // top (`{{ template "x.resources" . }}` whose body is `resources:` + `toYaml`) is where it is set.)
  const holds = actions.map((i) =>
    existing > 0
      ? canHold(doc, lines, i, key)
      : writesKey(doc, lines[i] ?? "", key)
        ? true
        : writesList(doc, lines, i) || lacksKey(doc, lines[i] ?? "", key)
          ? false
          : undefined,
  );
  const strong = actions.filter((_, j) => holds[j] === true);
  const chosen = strong.length > 0 ? strong : actions.filter((_, j) => holds[j] === undefined);
  const keyOfOwn = KEY_LINE_RE.exec(own)?.[1];
  if (chosen.length === 1) {
    const a = chosen[0] ?? idx;
    const text = lines[a] ?? "";
    const def = defineOf(doc, text);
    if (def !== undefined) {
      // The named template writes the key: follow it there. Its `.Values` are the chart's only
      // when it is given the root context (`include "x" .`).
      // The key's line is the one its rendered line is aligned with in the body (of two
      // `securityContext:` lines in the branches of an `if`, the one that rendered), else the
      // body's first top line with its name.
      const inner = intoDefine(doc, def, trail);
      const out = trail.at[0];
      const seen = out === undefined ? -1 : inner.aligned(out);
      const at =
        typeof key !== "string"
          ? -1
          : seen !== -1 && KEY_LINE_RE.exec(def.file.lines[seen] ?? "")?.[1] === key
            ? seen
            : topKeyLine(def, key);
      if (at !== -1) {
        const vp = keyLineValues(def.file.lines, at, def.start);
        const r: MissingOrigin =
          missing.length === 1
            ? { idx: at, key, ...(vp !== undefined ? { values: vp } : {}) }
            : resolveMissing(doc, def.file.lines, at, missing.slice(1), existing - 1, down(inner));
        return fromDefine(doc, text, def, r);
      }
      const vp = renderedValues(doc, text) ?? (rootContext(doc, text) ? guardedValues(def) : undefined);
      if (vp !== undefined) return { idx, key: keyOfOwn, values: [...vp, ...missing.map(String)] };
      // A helper whose output is `toYaml .Values.x` when `x` is set, else keys of its own
      // (ingress-nginx's `controller.containerSecurityContext`): a key set below `x` is written.
      const g = guardedInDefine(def);
      if (g !== undefined && rootContext(doc, text))
        return { idx, key: keyOfOwn, values: [...g, ...missing.map(String)] };
    } else if (/\b(?:toYaml|tpl)\b/.test(text)) {
      const vp =
        lineValuesPath(lines, a) ?? rangeDefaultValues(doc, lines, a) ?? rangeDatamodelValues(doc, lines, a);
      if (vp !== undefined) return { idx, key: keyOfOwn, values: [...vp, ...missing.map(String)] };
    }
    // A helper given its argument as a `list`/`dict` or a values block, on the line or held in a
    // variable (airflow's `$sc := include "airflowSecurityContext" (list . .Values.scheduler)`, then
    // `securityContext: {{ $sc | nindent 8 }}`), whose body renders `toYaml` of a block it is given
    // when that block is set (`if .securityContext`): a key set below the block makes it non-empty.
    const helper = def !== undefined && rootContext(doc, text) ? undefined : helperCall(doc, lines, a);
    const given = helper === undefined ? undefined : guardedValues(helper.def, helper.arg);
    if (given !== undefined) return { idx, key: keyOfOwn, values: [...given, ...missing.map(String)] };
    const call = includeCall(text, doc.ctx);
    return {
      idx,
      key: keyOfOwn,
      unsure:
        call !== undefined && call.name === undefined
          ? computedNameReason(a, call)
          : `the block is written by the action on line ${String(a + 1)}, whose values key is not known`,
    };
  }
  if (chosen.length > 1) {
    // Several actions of one values block (`tpl .Values.x .` if it is a string, else
    // `toYaml .Values.x`, in the branches of an `if`): whichever renders, the key is below `x`.
    const vp = sameValuesBlock(lines, chosen);
    if (vp !== undefined) return { idx, key: keyOfOwn, values: [...vp, ...missing.map(String)] };
    const content: number[] = [];
    for (let i = b.from; i < b.to; i++)
      if (!isInert(lines[i] ?? "") && effectiveIndent(lines[i] ?? "") <= childIndent) content.push(i);
    const g = guardedAction(lines, idx, chosen, content);
    if (g !== undefined) return { idx, key: keyOfOwn, values: [...g.values, ...missing.map(String)] };
    return {
      idx,
      key: keyOfOwn,
      unsure: `${String(chosen.length)} actions write into this block: which values key would set it is not known`,
    };
  }
  // Nothing in the block can set it, and the block is the `else` of `{{ if .Values.x }}`: the key
  // line of the first branch that writes the same key from `x` is where it is set (setting the key
  // below `x` makes `x` non-empty, and that branch renders it).
  const branch = actions.length === 0 ? firstBranchOf(lines, idx) : undefined;
  if (branch !== undefined && keyOfOwn !== undefined) {
    for (let i = branch.from; i < branch.to; i++) {
      const l = lines[i] ?? "";
      if (KEY_LINE_RE.exec(l)?.[1] !== keyOfOwn || effectiveIndent(l) !== effectiveIndent(own)) continue;
      const r = resolveMissing(doc, lines, i, missing, 0, { self: undefined, at: [], aligned: () => -1 });
      const vp = r.values;
      if (vp !== undefined && branch.values.every((k, j) => vp[j] === k))
        return { idx, key: keyOfOwn, values: vp };
      break;
    }
  }
  if (actions.length > 0)
    return {
      idx,
      key: keyOfOwn,
      unsure: `no action of this block can write the key (${String(actions.length)} write other keys or a list)`,
    };
  return { idx, key: keyOfOwn };
}

const CONTROL_RE = /\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*?)-?\}\}/g;

/**
 * The enclosing `if`/`with` lines of line `at` below line `top`, innermost first, with their
 * expressions; undefined when `at` is in an `else` branch or inside a `range`/`define` below `top`.
 */
function guardsOf(
  lines: readonly string[],
  top: number,
  at: number,
): { line: number; expr: string }[] | undefined {
  const out: { line: number; expr: string }[] = [];
  let depth = 0;
  for (let i = at - 1; i > top; i--) {
    for (const m of [...(lines[i] ?? "").matchAll(CONTROL_RE)].reverse()) {
      if (m[1] === "end") depth++;
      else if (m[1] === "else") {
        if (depth === 0) return undefined;
      } else if (depth > 0) depth--;
      else if (m[1] === "if" || m[1] === "with") out.push({ line: i, expr: m[2] ?? "" });
      else return undefined;
    }
  }
  return out;
}

/** Whether line `at` is in the `else` branch of one of the `if`/`with` lines `owners` (below line `top`). */
function inElseOf(lines: readonly string[], top: number, at: number, owners: ReadonlySet<number>): boolean {
  let depth = 0;
  let inElse = false;
  for (let i = at - 1; i > top; i--) {
    for (const m of [...(lines[i] ?? "").matchAll(CONTROL_RE)].reverse()) {
      if (m[1] === "end") depth++;
      else if (m[1] === "else") {
        if (depth === 0) inElse = true;
      } else if (depth > 0) depth--;
      else {
        if (inElse && owners.has(i)) return true;
        inElse = false;
      }
    }
  }
  return false;
}

/**
 * Of several lines that write into a block, the one action `toYaml` of values block P whose every
 * enclosing condition (below line `top`) is P itself (`if .Values.p`, `with .Values.p`), when all
 * the other content lines are in `else` branches of those conditions: a key set below P makes P
 * non-empty, so that action is the one that writes (gitea's `if .Values.containerSecurityContext`
 * `toYaml .Values.containerSecurityContext` `else` `toYaml .Values.securityContext`).
 */
function guardedAction(
  lines: readonly string[],
  top: number,
  actions: readonly number[],
  content: readonly number[],
): { line: number; values: string[] } | undefined {
  const found: { line: number; values: string[] }[] = [];
  for (const a of actions) {
    if (!/\b(?:toYaml|tpl)\b/.test(lines[a] ?? "")) continue;
    const vp = lineValuesPath(lines, a);
    const guards = guardsOf(lines, top, a);
    if (vp === undefined || guards === undefined || guards.length === 0) continue;
    const same = (e: string, at: number) => {
      const g = exprValues(e, lines, at);
      return g !== undefined && g.join(".") === vp.join(".");
    };
    // (`if $sc := .Values.p`: the assignment's expression.)
    const exprOf = (e: string) => /^\s*\$[A-Za-z_]\w*\s*:=\s*(.*)$/.exec(e)?.[1] ?? e;
    if (!guards.every((g) => same(exprOf(g.expr), g.line))) continue;
    const owners = new Set(guards.map((g) => g.line));
    if (content.every((c) => c === a || inElseOf(lines, top, c, owners))) found.push({ line: a, values: vp });
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The values key a key line `i` (below line `top`) writes its value from: `.Values.x` on the line
 * or on the action right below it, the `with .Values.x` around it, or the one action of its block
 * when that is `toYaml` of a values block that also guards the line (`if .Values.x` then `key:`
 * then `with .Values.x` / `toYaml .`: a key set below `x` makes the line appear).
 */
function keyLineValues(lines: readonly string[], i: number, top: number): string[] | undefined {
  const vp =
    lineValuesPath(lines, i) ??
    (writesOutput(lines[i + 1] ?? "") ? lineValuesPath(lines, i + 1) : undefined) ??
    enclosingWith(lines, i, top);
  if (vp !== undefined) return vp;
  const only = onlyContentLine(lines, i);
  return only === undefined ? undefined : guardedAction(lines, top, [only], [only])?.values;
}

/** The one line of a key line's block that is not inert (`if`/`with`/`end`, comments), if just one. */
function onlyContentLine(lines: readonly string[], idx: number): number | undefined {
  const b = blockOf(lines, idx);
  let only: number | undefined;
  for (let j = b.from; j < b.to; j++) {
    if (isInert(lines[j] ?? "")) continue;
    if (only !== undefined) return undefined;
    only = j;
  }
  return only;
}

/** The values block of a named template's guarded top-level action (see guardedAction), if any. */
function guardedInDefine(def: Define): string[] | undefined {
  const lines = def.file.lines;
  const body: number[] = [];
  for (let i = def.start + 1; i < def.end; i++) if (!isInert(lines[i] ?? "")) body.push(i);
  const top = Math.min(...body.map((i) => effectiveIndent(lines[i] ?? "")));
  const content = body.filter((i) => effectiveIndent(lines[i] ?? "") <= top);
  const actions = content.filter((i) => writesOutput(lines[i] ?? "") && !KEY_LINE_RE.test(lines[i] ?? ""));
  return guardedAction(lines, def.start, actions, content)?.values;
}

/**
 * Whether the action `line` is an `include` of a named template that writes only a fixed set of
 * keys at its top (`imagePullSecrets:`, through the helpers it includes), none of them `key`.
 */
function lacksKey(doc: RenderedDoc, line: string, key: string | number | undefined): boolean {
  const def = defineOf(doc, line);
  if (def === undefined || typeof key !== "string" || renderedValues(doc, line) !== undefined) return false;
  const keys = topKeys(doc, def, 0);
  return keys !== undefined && !keys.has(key);
}

/** The keys a named template writes at the top of its output; undefined when an action there may write any. */
function topKeys(doc: RenderedDoc, def: Define, depth: number): Set<string> | undefined {
  if (depth > 6) return undefined;
  const lines = def.file.lines;
  const body: number[] = [];
  for (let i = def.start + 1; i < def.end; i++) if (!isInert(lines[i] ?? "")) body.push(i);
  const top = Math.min(...body.map((i) => effectiveIndent(lines[i] ?? "")));
  const keys = new Set<string>();
  for (const i of body) {
    const l = lines[i] ?? "";
    // (An action that trims the space before it and indents nothing, `  {{- toYaml .x }}`, writes
    // its output's lines at the left edge, whatever its own indentation.)
    const unindented = /^\s*\{\{-/.test(l) && writesOutput(l) && !/\|\s*n?indent\b/.test(l);
    if (effectiveIndent(l) > top && !unindented) continue;
    const k = KEY_LINE_RE.exec(l);
    if (k?.[1] !== undefined && !/^\s*-/.test(l) && !isDynamic(l.slice(0, l.indexOf(":")))) {
      keys.add(k[1]);
      continue;
    }
    // Only an action that is an include of a named template whose keys are known.
    const inner = defineOf(doc, l);
    if (inner === undefined || !/^\s*\{\{-?\s*(?:include|template)\s/.test(l)) return undefined;
    const more = topKeys(doc, inner, depth + 1);
    if (more === undefined) return undefined;
    for (const m of more) keys.add(m);
  }
  return keys;
}

/**
 * For line `idx` in a later branch (`else`, `else if`) of `{{ if .Values.x }}` or
 * `{{ if not (empty .Values.x) }}`: the first branch's lines [from, to) and `x`.
 */
function firstBranchOf(
  lines: readonly string[],
  idx: number,
): { from: number; to: number; values: string[] } | undefined {
  let depth = 0;
  let elseAt = -1;
  for (let i = idx - 1; i >= 0; i--) {
    const actions = [
      ...(lines[i] ?? "").matchAll(/\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*)\}\}/g),
    ];
    for (const m of actions.reverse()) {
      if (m[1] === "end") depth++;
      else if (m[1] === "else") {
        if (depth === 0) elseAt = i;
      } else if (depth > 0) depth--;
      else {
        if (m[1] !== "if" || elseAt === -1) return undefined;
        const values = conditionValues(m[2] ?? "");
        return values === undefined ? undefined : { from: i + 1, to: elseAt, values };
      }
    }
  }
  return undefined;
}

/** The values block that every one of the actions on `at` renders whole (`toYaml`/`tpl` of it), if one. */
function sameValuesBlock(lines: readonly string[], at: readonly number[]): string[] | undefined {
  let same: string[] | undefined;
  for (const a of at) {
    const text = lines[a] ?? "";
    if (!/\b(?:toYaml|tpl)\b/.test(text) || /\b(?:include|template)\b/.test(text)) return undefined;
    const vp = lineValuesPath(lines, a);
    if (vp === undefined || (same !== undefined && vp.join(".") !== same.join("."))) return undefined;
    same = vp;
  }
  return same;
}

/**
 * What a named template included on line `text` resolved to, as seen from the including line: its
 * `.Values` are the chart's only when it is given the root context (`include "x" .`).
 */
function fromDefine(doc: RenderedDoc, text: string, def: Define, r: MissingOrigin): MissingOrigin {
  const root = rootContext(doc, text);
  return {
    file: r.file ?? def.file,
    idx: r.idx,
    key: r.key,
    ...(root && r.values !== undefined ? { values: r.values } : {}),
    ...(r.values === undefined && r.unsure !== undefined ? { unsure: r.unsure } : {}),
  };
}

/** Whether the include on line `text` gives its template the root context (`include "x" .`). */
function rootContext(doc: RenderedDoc, text: string): boolean {
  const call = includeCall(text, doc.ctx);
  return call?.name !== undefined && /^\s+[.$]\s*(?:[|)]|-?\}\})/.test(call.rest);
}

/**
 * `.Values.x` of an `if` condition `.Values.x` or `not (empty .Values.x)`; with `arg` (a helper's
 * body whose argument is known), any plain reference the body sees as a values block (`.x`,
 * `$.Values.x`, `$v.x`) on line `at`.
 */
function conditionValues(
  cond: string,
  lines: readonly string[] = [],
  at = 0,
  arg?: Bound,
): string[] | undefined {
  const c = cond.replace(/-\s*$/, "").replace(/^\s*not\s+\(?\s*empty\s+\(?([^()]*)\)?\s*\)?\s*$/, "$1");
  if (arg === undefined) return plainValuesRef(c);
  return /^\s*(?:\$\w*)?(?:\.[A-Za-z_][\w-]*)+\s*$/.test(c) ? exprValues(c, lines, at, 0, arg) : undefined;
}

/**
 * The values block `x` a helper's body renders whole (`toYaml`/`tpl` of `.Values.x`) in the first
 * branch of `{{ if .Values.x }}` (or `if not (empty .Values.x)`), when everything else it writes is
 * in that `if`'s later branches (falco's `falco.securityContext`: `toYaml` of
 * `.Values.containerSecurityContext`, else a map it builds): a key set below `x` makes `x` non-empty
 * and is rendered. With `arg`, the body is read as the helper sees the argument it is given (see
 * exprValues): `if .securityContext` / `toYaml .securityContext` of airflow's
 * `include "airflowSecurityContext" (list . .Values.scheduler)` is `scheduler.securityContext`.
 */
function guardedValues(def: Define, arg?: Bound): string[] | undefined {
  const lines = codeLines(def.file.lines);
  const outputs: number[] = [];
  for (let i = def.start + 1; i < def.end; i++)
    if (writesOutput(lines[i] ?? "") && !isInert(lines[i] ?? "")) outputs.push(i);
  const first = outputs[0];
  if (first === undefined || !/\b(?:toYaml|tpl)\b/.test(lines[first] ?? "")) return undefined;
  const vp = lineValuesPath(lines, first, arg);
  // (The line renders that block alone: one `.Values` reference, or, in a body whose argument is
  // known, one action.)
  const alone =
    arg === undefined
      ? valuesRefs(lines[first] ?? "").length === 1
      : (lines[first] ?? "").split("{{").length === 2;
  if (vp === undefined || !alone) return undefined;
  // The `if` around it (it in its first branch), and where that branch and the chain end.
  let depth = 0;
  let open = -1;
  for (let i = first - 1; i > def.start && open === -1; i--) {
    for (const m of [...(lines[i] ?? "").matchAll(BRANCH_RE)].reverse()) {
      if (m[1] === "end") depth++;
      else if (m[1] === "else") {
        if (depth === 0) return undefined;
      } else if (depth > 0) depth--;
      else {
        if (m[1] !== "if" || conditionValues(m[2] ?? "", lines, i, arg)?.join(".") !== vp.join("."))
          return undefined;
        open = i;
        break;
      }
    }
  }
  if (open === -1) return undefined;
  let elseAt = -1;
  let end = -1;
  depth = 0;
  for (let i = open + 1; i < def.end && end === -1; i++) {
    for (const m of (lines[i] ?? "").matchAll(BRANCH_RE)) {
      if (m[1] === "end") {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      } else if (m[1] === "else") {
        if (depth === 0 && elseAt === -1) elseAt = i;
      } else depth++;
    }
  }
  if (end === -1) return undefined;
  const firstBranchEnd = elseAt === -1 ? end : elseAt;
  for (const i of outputs) {
    if (i > open && i < firstBranchEnd) {
      if (
        !/\b(?:toYaml|tpl)\b/.test(lines[i] ?? "") ||
        lineValuesPath(lines, i, arg)?.join(".") !== vp.join(".")
      )
        return undefined;
    } else if (!(i > firstBranchEnd && i < end)) return undefined;
  }
  return vp;
}
const BRANCH_RE = /\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*)\}\}/g;

interface IncludedItem {
  def: Define;
  /** The including line. */
  line: number;
  /** The body's item line, or -1 for `- {{ include "x" }}` (the body writes the item's keys). */
  at: number;
  /** Rendered line index -> body line, for the item's rendered lines. */
  aligned: (o: number) => number;
}

/**
 * The include in block `b` that wrote the list item rendered at `itemOut`: an action at the
 * item's indentation whose named template writes items, or an item line `- {{ include "x" }}`
 * (rendered as a bare `-`) whose named template writes the item's keys. Each candidate's body is
 * aligned with the rendered item; the one whose body holds the item's first line (or first key)
 * and aligns most of its lines is it; none when several align as many.
 */
function includedItem(
  doc: RenderedDoc,
  lines: readonly string[],
  b: { from: number; to: number },
  itemOut: number,
  /** Rendered indentation minus the template's, for this block. */
  shift: number,
): IncludedItem | undefined {
  const indentOf = (s: string) => s.length - s.trimStart().length;
  // (An item whose map starts on the line below its bare `-` is located at that line.)
  let prev = itemOut - 1;
  while (prev >= 0 && (doc.out[prev] ?? "").trim() === "") prev--;
  if (!/^\s*-/.test(doc.out[itemOut] ?? "") && (doc.out[prev] ?? "").trim() === "-") itemOut = prev;
  const first = doc.out[itemOut] ?? "";
  if (!/^\s*-(?:\s|$)/.test(first)) return undefined;
  const dash = indentOf(first);
  const bare = first.trim() === "-";
  let end = itemOut + 1;
  for (; end < doc.out.length; end++) {
    const l = doc.out[end] ?? "";
    if (l.trim() !== "" && indentOf(l) <= dash) break;
  }
  const item = doc.out.slice(itemOut, end);
  let best: IncludedItem | undefined;
  let bestScore = 0;
  let tie = false;
  for (let i = b.from; i < b.to; i++) {
    const l = lines[i] ?? "";
    if (!writesOutput(l)) continue;
    const def = defineOf(doc, l);
    if (def === undefined) continue;
    const dashed = /^\s*-\s*\{\{-?\s*(?:include|template)\b/.test(l);
    if (
      dashed
        ? !bare || indentOf(l) + shift !== dash
        : !/^\s*\{\{/.test(l) || effectiveIndent(l) + shift !== dash
    )
      continue;
    const body = def.file.lines.map((t, j) => (j > def.start && j < def.end ? t : ""));
    const sub = align(body, item);
    const head = sub[dashed ? 1 : 0] ?? -1;
    if (head === -1 || (!dashed && !/^\s*-(?:\s|$)/.test(def.file.lines[head] ?? ""))) continue;
    let score = 0;
    for (const j of sub) if (j !== -1) score++;
    if (score < bestScore) continue;
    tie = score === bestScore;
    bestScore = score;
    best = {
      def,
      line: i,
      at: dashed ? -1 : head,
      aligned: (o) => (o >= itemOut && o < end ? (sub[o - itemOut] ?? -1) : -1),
    };
  }
  return tie ? undefined : best;
}

/** The missing keys `missing` (from the item's index) resolved in the body of the include that wrote the item. */
function resolveInItem(
  doc: RenderedDoc,
  inc: IncludedItem,
  missing: Path,
  existing: number,
  trail: Trail,
): MissingOrigin | undefined {
  const { def, at, aligned } = inc;
  const body = def.file.lines;
  const sub: Trail = { ...down(trail), aligned };
  if (at !== -1) return resolveMissing(doc, body, at, missing.slice(1), existing - 1, sub);
  // `- {{ include "x" }}`: the helper's top keys are the item's.
  const key = missing[1];
  if (typeof key !== "string") return undefined;
  const out = sub.at[0];
  const seen = out === undefined ? -1 : aligned(out);
  const top = seen !== -1 && KEY_LINE_RE.exec(body[seen] ?? "")?.[1] === key ? seen : topKeyLine(def, key);
  if (top === -1) return undefined;
  if (missing.length > 2) return resolveMissing(doc, body, top, missing.slice(2), existing - 2, down(sub));
  const vp = lineValuesPath(body, top);
  return { idx: top, key, ...(vp !== undefined ? { values: vp } : {}) };
}

/**
 * Whether the action on line `i` writes the items of a list that a bare `key:` line above it at
 * the same indentation opened (`tolerations:` then `{{- toYaml . | nindent 6 }}` at the key's
 * own indentation, as compact YAML lists are written), directly or after other actions at that
 * indentation that write its items (`volumes:`, then `toYaml .Values.persistence.volumes`, then
 * `toYaml .Values.extraVolumes`: sonarqube).
 */
function continuesList(
  lines: readonly string[],
  i: number,
  from: number,
  indent: number,
  /**
   * The text indentation of the later action when reached through it (the chain): one written at
   * the key's own indentation does not continue a list whose items are indented below the key.
   */
  chained?: number,
): boolean {
  for (let j = i - 1; j >= from; j--) {
    const l = lines[j] ?? "";
    if (isInert(l) || effectiveIndent(l) > indent) continue;
    if (/^\s*-(?:\s|$)/.test(l)) continue;
    if (writesOutput(l) && !KEY_LINE_RE.test(l))
      return (
        effectiveIndent(l) === indent &&
        continuesList(lines, j, from, indent, Math.min(chained ?? Infinity, l.length - l.trimStart().length))
      );
    if (effectiveIndent(l) !== indent || !/^\s*["']?[\w./-]+["']?\s*:\s*$/.test(l)) return false;
    // (After a key whose items are written indented below it (`args:` then `  - /script`), an
    // action written at the key's own indentation may be the key's sibling (migrations' `include
    // "gitlab.image.pullPolicy"`): the chain does not go on through it, so the
    // `include "gitlab.containerSecurityContext"` after that stays a candidate; actions written
    // among the items (airflow's `include "standard_airflow_environment" . | indent 10` under
    // `env:`) continue it.)
    for (let k = j + 1; chained !== undefined && chained <= indent && k < i; k++) {
      const below = lines[k] ?? "";
      if (isInert(below)) continue;
      return !(/^\s*-(?:\s|$)/.test(below) && effectiveIndent(below) > indent);
    }
    return true;
  }
  return false;
}

/** Whether the action on line `i` writes a values key whose default is a list. */
function writesList(doc: RenderedDoc, lines: readonly string[], i: number): boolean {
  if (!/\b(?:toYaml|tpl)\b/.test(lines[i] ?? "")) return false;
  const vp = lineValuesPath(lines, i);
  if (vp === undefined) return false;
  return doc.scope.values.some(({ source, prefix }) => isSeq(nodeOfValue(source, [...prefix, ...vp])));
}

/**
 * The values key of a helper that renders a value it is given as YAML, as Bitnami's
 * `include "common.tplvalues.render" (dict "value" .Values.x.resources "context" $)` does (its
 * body: `tpl (.value | toYaml) .context`): `x.resources`, as for `toYaml .Values.x.resources`.
 */
function renderedValues(doc: RenderedDoc, line: string): string[] | undefined {
  const m = /\b(?:include|template)\s+"([^"]+)"\s+\(\s*dict\b([^)]*)\)/.exec(line);
  const arg = /"value"\s+\$?\.Values((?:\.[A-Za-z_][\w-]*)+)(?=[\s)]|$)/.exec(m?.[2] ?? "");
  const def = m?.[1] === undefined ? undefined : doc.ctx.defines.get(m[1]);
  if (arg?.[1] === undefined || def === undefined) return undefined;
  const body = def.file.lines.slice(def.start + 1, def.end).join("\n");
  if (!/\btoYaml\s+\.value\b|\.value\s*\|\s*toYaml\b/.test(body)) return undefined;
  return arg[1].slice(1).split(".");
}

/** Whether the line includes a named template that writes `key` at the top of its output. */
function writesKey(doc: RenderedDoc, line: string, key: string | number | undefined): boolean {
  const def = defineOf(doc, line);
  return def !== undefined && typeof key === "string" && topKeyLine(def, key) !== -1;
}

/** An action that writes a variable alone (`{{ $sc | nindent 8 }}`): the variable's name. */
const HELD_RE = /\{\{-?\s*\$([A-Za-z_]\w*)\s*(?:\|\s*(?:n?indent\s+\d+|trim)\s*)*-?\}\}/;

/**
 * The named template whose output the action on line `a` writes, with its argument as its body
 * sees it: `include "x" ARG` on the line, or a variable that holds one (`$sc := include "x" (list .
 * .Values.a)`, then `{{ $sc | nindent 8 }}`), when that argument is known. It is followed from the
 * top of a template file (where `.` is the root context); inside a `define`, `.Values` stands for
 * the chart's values, as elsewhere in a helper's body, and `.` at its top is not known.
 */
function helperCall(
  doc: RenderedDoc,
  lines: readonly string[],
  a: number,
): { def: Define; arg: Bound } | undefined {
  const l = lines[a] ?? "";
  let expr: string;
  let at = a;
  const held = HELD_RE.exec(l);
  if (held?.[1] !== undefined) {
    const assigned = assignmentOf(lines, a, held[1]);
    if (assigned === undefined || assigned === "top") return undefined;
    expr = assigned.expr;
    at = assigned.line;
  } else {
    const inline =
      /\{\{-?\s*((?:include|template)\s+"[^"]+"\s+.*?)\s*(?:\|\s*(?:n?indent\s+\d+|trim)\s*)*-?\}\}/.exec(l);
    if (inline?.[1] === undefined) return undefined;
    expr = inline[1];
  }
  const call = /^(?:include|template)\s+"([^"]+)"\s+(.*)$/.exec(expr.trim());
  const def = call?.[1] === undefined ? undefined : doc.ctx.defines.get(call[1]);
  const argText = call?.[2]?.trim();
  if (def === undefined || argText === undefined || firstArg(argText) !== argText) return undefined;
  const top: Bound | undefined = enclosingScope(lines, at) === "define" ? undefined : { kind: "root" };
  const arg = known(exprBound(argText, lines, at, 0, top));
  return arg === undefined ? undefined : { def, arg };
}

/**
 * The named template whose output a variable written by line `a` holds (`{{ $sc | nindent 8 }}`
 * after `$sc := include "x" ARG`, airflow's `airflowSecurityContext`), whatever its argument.
 */
function heldDefine(doc: RenderedDoc, lines: readonly string[], a: number): Define | undefined {
  const held = HELD_RE.exec(lines[a] ?? "")?.[1];
  const assigned = held === undefined ? undefined : assignmentOf(lines, a, held);
  if (assigned === undefined || assigned === "top") return undefined;
  const call = /^(?:include|template)\s+"([^"]+)"/.exec(assigned.expr.trim());
  return call?.[1] === undefined ? undefined : doc.ctx.defines.get(call[1]);
}

function defineOf(doc: RenderedDoc, line: string): Define | undefined {
  const name = includeCall(line, doc.ctx)?.name;
  return name !== undefined ? doc.ctx.defines.get(name) : undefined;
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
  /** How many named templates deep the mapping already is. */
  depth = 0,
  /** The part of the field's text the finding is about (an image's repository or tag). */
  part?: ValuePart,
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
    // Missing keys: under the template block of their deepest existing ancestor, when that ancestor
    // is a template line (not output of an action, handled below).
    let existing = path.length;
    while (existing > 0 && !lineOf(path.slice(0, existing)).exact) existing--;
    // The deepest existing prefix written by a template line of its own; keys below it that exist
    // were written by an action in its block (`toYaml` of a partly set values block).
    let k = existing;
    let ancestorIdx: number | undefined;
    for (; k >= 1 && ancestorIdx === undefined; k--) {
      ancestorIdx = alignedAncestor(tpl.lines, alignment, path.slice(0, k), lineOf);
      if (ancestorIdx !== undefined) break;
    }
    if (ancestorIdx !== undefined) {
      const trail: Trail = {
        self: lineOf(path.slice(0, k)).line - 1,
        at: path.slice(k).map((_, j) => {
          const l = lineOf(path.slice(0, k + j + 1));
          return l.exact ? l.line - 1 : undefined;
        }),
        aligned: (o) => alignment[o] ?? -1,
      };
      const r = resolveMissing(doc, tpl.lines, ancestorIdx, path.slice(k), existing - k, trail);
      const o: Origin = { template: at(r.file ?? tpl, r.idx, r.key) };
      if (r.values === undefined) {
        if (r.unsure !== undefined) o.template.valuesUnknown = r.unsure;
        return o;
      }
      return withValues(o, r.values, doc.scope, true);
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
    // (A helper that picks between keys: the key that decides, or why none does.)
    const choice = own ? helperChoice(doc, tpl.lines, direct) : undefined;
    // (A value an inline `if` picks: the key of the branch the values take, or none.)
    const picked = own && choice === undefined ? inlineIfValues(doc, text) : undefined;
    const whole = !own
      ? wholeBlockValues(doc, tpl.lines, direct, typeof last === "string" ? last : undefined)
      : {};
    const vp = !own
      ? whole.values
      : choice !== undefined
        ? choice.values
        : picked !== undefined
          ? (picked ?? undefined)
          : (branchScalarValues(doc, tpl.lines, direct, doc.out[outIdx] ?? "", part) ??
            lineValuesPath(tpl.lines, direct) ??
            scalarHelperValues(doc, text));
    // (Of an image the line composes from several keys, the key that writes the part the finding
    // is about.)
    const p =
      own && part !== undefined ? partValues(doc, tpl.lines, direct, part, doc.out[outIdx] ?? "") : undefined;
    // (A scalar composed from a values block, `image: {{ include "x.image" .Values.test.image }}`:
    // the block holds no value of its own, and which of its keys writes the part the finding is
    // about is not known here.)
    const block =
      p === undefined &&
      vp !== undefined &&
      vp.length > 0 &&
      scalarLine(doc.out[outIdx] ?? "") &&
      valuesMap(doc.scope, vp)
        ? formatValuesPath([...doc.scope.keyPrefix, ...vp])
        : undefined;
    const o = withValues(
      { template: at(tpl, direct, key) },
      block !== undefined ? undefined : p === undefined ? vp : p.values,
      doc.scope,
    );
    if (block !== undefined)
      o.template.valuesUnknown = `the value is composed from the keys of the values block ${block}: which one writes it is not known`;
    else if (o.values === undefined && p?.unsure !== undefined) o.template.valuesUnknown = p.unsure;
    else if (o.values === undefined && choice?.unsure !== undefined) o.template.valuesUnknown = choice.unsure;
    else if (o.values === undefined && whole.unsure !== undefined) o.template.valuesUnknown = whole.unsure;
    else if (o.values === undefined && picked === null)
      o.template.valuesUnknown =
        "the line picks its value with an inline `if` the mapping cannot decide (the command line sets its condition, or a branch holds another block)";
    return o;
  }

  // Produced by an output action: find it between the aligned neighbours.
  let prev = -1;
  let prevOut = -1;
  for (let i = outIdx; i >= 0; i--) {
    const a = alignment[i] ?? -1;
    if (a >= 0) {
      prev = a;
      prevOut = i;
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
  // The action that wrote the top of the produced block: its `nindent N` (or its own indentation)
  // equals that line's indentation. Several such actions (an empty `with` renders nothing): keep
  // those whose content can hold the top key (the values block has it, or the named template
  // writes it); when that leaves more or less than one, say the values key is unknown.
  const topLen = Math.min(path.length, Math.max(anchorLen, 0) + 1);
  const top = lineOf(path.slice(0, topLen));
  const topText = doc.out[(top.exact ? top.line : here.line) - 1] ?? "";
  const topIndent = topText.length - topText.trimStart().length;
  // (A list item's index in a values list leaves out the items the template's own lines wrote.)
  const ownItems = (k: number): number | undefined => {
    let own = 0;
    for (let j = 0; j < k; j++) {
      const item = lineOf([...path.slice(0, topLen - 1), j]);
      if (!item.exact) return undefined;
      if ((alignment[item.line - 1] ?? -1) >= 0) own++;
    }
    return own;
  };
  const rawTop = path[topLen - 1];
  const topKey = typeof rawTop === "number" ? rawTop - (ownItems(rawTop) ?? 0) : rawTop;
  // The action is inside the block of the top line's nearest aligned parent (a container's
  // `securityContext:` then `toYaml .`), never in a later block whose lines rendered nothing (the
  // same `toYaml` under the next container's `securityContext:`, inside a false `if`).
  let owner = -1;
  for (let o = (top.exact ? top.line : here.line) - 2, below = topIndent; o >= 0 && owner < 0; o--) {
    const l = doc.out[o] ?? "";
    const indent = l.length - l.trimStart().length;
    if (l.trim() === "" || indent >= below) continue;
    owner = alignment[o] ?? -1;
    below = indent;
  }
  const ownerBlock = owner >= 0 ? blockOf(tpl.lines, owner) : undefined;
  const strong: number[] = [];
  const weak: number[] = [];
  for (let i = Math.max(prev, 0); i < next; i++) {
    const l = tpl.lines[i] ?? "";
    if (
      i === prev &&
      !/\{\{[^}]*\b(?:toYaml|include|tpl|template)\b/.test(l) &&
      heldDefine(doc, tpl.lines, i) === undefined
    )
      continue;
    if (ownerBlock !== undefined && i !== owner && (i < ownerBlock.from || i >= ownerBlock.to)) continue;
    if (!writesOutput(l)) continue;
    const n = /\|\s*(n?)indent\s+(\d+)/.exec(l);
    const textIndent = l.length - l.trimStart().length;
    const fits =
      n?.[2] === undefined
        ? textIndent === topIndent || (i === prev && topIndent > textIndent)
        : Number(n[2]) === topIndent || (n[1] === "" && Number(n[2]) + textIndent === topIndent);
    if (!fits) continue;
    const holds = canHold(doc, tpl.lines, i, topKey);
    if (holds === true) strong.push(i);
    else if (holds === undefined) weak.push(i);
  }
  let chosen = strong.length > 0 ? strong : weak;
  // A list item that several includes among the items could have written (falco's init
  // containers, one helper each): the one whose body the rendered item aligns with wrote it.
  let item: IncludedItem | undefined;
  if (chosen.length >= 1 && typeof rawTop === "number" && anchorLen >= 0 && top.exact) {
    const listOut = lineOf(path.slice(0, anchorLen)).line - 1;
    const list = alignment[listOut] ?? -1;
    const listText = tpl.lines[list] ?? "";
    if (list >= 0) {
      const shift =
        (doc.out[listOut] ?? "").search(/\S/) - effectiveIndent(listText.replace(/^(\s*)-\s+/, "$1  "));
      item = includedItem(doc, codeLines(tpl.lines), blockOf(tpl.lines, list), top.line - 1, shift);
      if (item !== undefined && chosen.includes(item.line)) chosen = [item.line];
      else item = undefined;
    }
  }
  if (chosen.length !== 1) {
    // The line named is one that holds the field: the aligned line above it, unless that line
    // is at the field's indentation or deeper (the last line of an item before it, airflow's
    // worker `value: "0"` above the env items an include wrote): then the field's aligned parent.
    const prevText = doc.out[prevOut] ?? "";
    const sibling = prevOut >= 0 && prevText.length - prevText.trimStart().length >= topIndent;
    const o: Origin = { template: at(tpl, sibling && owner >= 0 ? owner : Math.max(prev, 0), undefined) };
    o.template.valuesUnknown =
      chosen.length === 0
        ? "no action of the template could be matched to this field"
        : `${String(chosen.length)} actions could have written this field: which values key sets it is not known`;
    return o;
  }
  const producer = chosen[0] ?? Math.max(prev, 0);
  const line = tpl.lines[producer] ?? "";
  const remainder = anchorLen >= 0 ? path.slice(anchorLen) : path;

  const call = includeCall(line, doc.ctx);
  const def =
    call?.name !== undefined ? doc.ctx.defines.get(call.name) : heldDefine(doc, tpl.lines, producer);
  // An include at the start of a line with no indentation of its own, given the root context,
  // that writes a top-level key (gitlab's `{{ include (print $.Template.BasePath "/_spec.yaml") . }}`
  // below the object's `metadata:`, or a whole object): the top key's rendered block is that
  // template's output; map the path inside it as in a template of its own.
  if (
    def !== undefined &&
    depth < 4 &&
    topIndent === 0 &&
    top.exact &&
    /^\{\{/.test(line) &&
    !/\|\s*n?indent\b/.test(line) &&
    rootContext(doc, line)
  ) {
    const given = /^\s*[.$]/.exec(call?.rest ?? "")?.[0].trim();
    const root = given === "$" || dotAt(tpl.lines, producer, -1, { kind: "root" })?.kind === "root";
    const inner = insideTopLevel(doc, def, top.line - 1, root);
    const o = mapOrigin(inner.doc, inner.alignment, path, lineOf, depth + 1);
    if (o !== undefined) return o;
  }
  if (def !== undefined && key !== undefined) {
    // The line of the named template's body that the rendered line is aligned with, when the
    // include's output is aligned with the body (within the block of the nearest aligned line
    // above it that is less indented); else the first body line with the key's name.
    let parentOut = outIdx - 1;
    for (; parentOut >= 0; parentOut--) {
      const l = doc.out[parentOut] ?? "";
      if (l.trim() !== "" && l.length - l.trimStart().length < topIndent && (alignment[parentOut] ?? -1) >= 0)
        break;
    }
    const body = !here.exact
      ? -1
      : item !== undefined
        ? item.aligned(outIdx)
        : parentOut >= 0
          ? intoDefine(doc, def, { self: parentOut, at: [], aligned: () => -1 }).aligned(outIdx)
          : -1;
    const idx =
      body >= 0 && writesOwn(def.file.lines[body] ?? "", path)
        ? body
        : keyLine(def.file.lines, key, def.start + 1, def.end);
    // A line the body's alignment does not reach was written by an action of the body (a pod
    // template helper's `toYaml .Values.podSecurityContext`): map it inside the body as in a
    // template of its own, before looking its key's name up there.
    let within: Origin | undefined;
    if (body < 0 && here.exact && parentOut >= 0 && depth < 4) {
      const inner = insideDefine(doc, def, parentOut);
      const o = mapOrigin(inner.doc, inner.alignment, path, lineOf, depth + 1, part);
      within = o;
      if (o !== undefined && o.template.file === def.file.name && o.template.valuesUnknown === undefined) {
        if (o.values !== undefined && rootContext(doc, line)) return o;
      }
      // Without a values key, the body's line that writes the finding's own key is still its
      // template line (an init container's `securityContext:` in the helper an include among the
      // items wrote), rather than the first line of that name (falco's pod `securityContext:`).
      if (
        o !== undefined &&
        o.template.valuesUnknown === undefined &&
        (o.values === undefined || rootContext(doc, line))
      ) {
        const text = templateLines(doc, o.template.file)?.[o.template.line - 1] ?? "";
        if (writesOwn(text, path)) return o;
      }
    }
    if (idx !== -1) {
      // (A body line in a later branch of an if chain, when an earlier one may have written the field.)
      const instead =
        idx === body
          ? earlierBranchWrote(doc, def, idx, helperCall(doc, tpl.lines, producer)?.arg)
          : undefined;
      if (instead !== undefined) {
        const o: Origin = { template: at(tpl, producer, undefined) };
        o.template.valuesUnknown = instead;
        return o;
      }
      const dynamic = isDynamic(def.file.lines[idx] ?? "");
      // (A bare key line of the body whose block one `toYaml` writes whole, given the root context.)
      const whole =
        !dynamic && idx === body && path[path.length - 1] === key && rootContext(doc, line)
          ? wholeBlockValues(doc, def.file.lines, idx, key)
          : {};
      const vp = dynamic ? lineValuesPath(def.file.lines, idx) : whole.values;
      // (A line that reads the helper's argument: the key the argument it is given stands for.)
      const viaArg =
        dynamic && vp === undefined ? argKeyValues(doc, tpl.lines, producer, def, idx) : undefined;
      const o = withValues({ template: at(def.file, idx, key) }, vp ?? viaArg?.values, doc.scope);
      if (o.values === undefined && viaArg?.unsure !== undefined) o.template.valuesUnknown = viaArg.unsure;
      else if (o.values === undefined && whole.unsure !== undefined) o.template.valuesUnknown = whole.unsure;
      return o;
    }
    // The action of the body that wrote it is nearer than this include (falco's `include
    // "falco.securityContext" .` in its pod template, not the DaemonSet's include of the pod
    // template); its values key is not known here.
    if (within !== undefined && within.values === undefined && within.template.valuesUnknown === undefined)
      return { template: within.template };
    const o: Origin = { template: at(tpl, producer, undefined) };
    // (A variable that holds the helper's output: `{{ $sc | nindent 8 }}`.)
    if (call === undefined)
      o.template.valuesUnknown = `the field is written by the named template whose output the variable on line ${String(producer + 1)} holds, and no line of its body could be matched to it: which values key sets it is not known`;
    return o;
  }
  // An include of a template whose name only the render knows (`print $.Template.BasePath $file`).
  if (
    def === undefined &&
    call?.name === undefined &&
    call !== undefined &&
    lineValuesPath(tpl.lines, producer) === undefined
  ) {
    const o: Origin = { template: at(tpl, producer, undefined) };
    o.template.valuesUnknown = computedNameReason(producer, call);
    return o;
  }
  // A missing key under a line that is not a values block (`- name: {{ .Values.x }}`) is not
  // set by that line's value: name the template line only.
  if (!here.exact && !/\b(?:toYaml|tpl)\b/.test(line)) return { template: at(tpl, producer, undefined) };
  const base =
    lineValuesPath(tpl.lines, producer) ??
    (/\b(?:toYaml|tpl)\b/.test(line)
      ? (rangeDefaultValues(doc, tpl.lines, producer) ?? rangeDatamodelValues(doc, tpl.lines, producer))
      : undefined);
  // A key that a variable's values block does not hold may be the template's own (`set $csc
  // "runAsUser" 1000`): a user's key there may not win.
  if (
    here.exact &&
    base !== undefined &&
    viaVariable(tpl.lines, producer) &&
    canHold(doc, tpl.lines, producer, topKey) !== true
  ) {
    const o: Origin = { template: at(tpl, producer, undefined) };
    o.template.valuesUnknown =
      "the template may set this key on a variable itself; the values block it holds has no such key";
    return o;
  }
  // An item of a list that template lines or other actions also write items into: its index in
  // the values list is its rendered index less the items written before it by the template's own
  // lines (`- name: config`), and not known when another action may have written some of them.
  const first = remainder[0];
  let tail: Path = remainder;
  if (base !== undefined && typeof first === "number" && anchorLen >= 0) {
    const list = path.slice(0, anchorLen);
    const keyIdx = alignment[lineOf(list).line - 1] ?? -1;
    let own = 0;
    let known = keyIdx >= 0 && keyIdx < producer;
    for (let j = keyIdx + 1; known && j < producer; j++) {
      const l = tpl.lines[j] ?? "";
      if (writesOutput(l) && !KEY_LINE_RE.test(l)) known = false;
    }
    const counted = topLen === anchorLen + 1 ? ownItems(first) : undefined;
    if (counted === undefined) known = false;
    else own = counted;
    if (!known) {
      const o: Origin = { template: at(tpl, producer, undefined) };
      o.template.valuesUnknown =
        "other lines write items into this list: the item's index in the values list is not known";
      return o;
    }
    tail = [first - own, ...remainder.slice(1)];
  }
  const vp = base === undefined ? undefined : [...base, ...tail.map(String)];
  return withValues({ template: at(tpl, producer, undefined) }, vp, doc.scope, !here.exact);
}

/**
 * The values key of a key line whose whole value is a helper given the root context
 * (`image: {{ template "postgresql.image" . }}`) that writes one scalar: every output of its body
 * is `printf "..." a b c` (or one expression) whose last operand is the same values key (`$tag`,
 * assigned `.Values.image.tag | toString` above), as the last `.Values` of a line that writes
 * several (`{{ .Values.image.repository }}:{{ .Values.image.tag }}`) is its values key. Anything
 * else in the body (text, another action, a function of the value) gives none.
 */
function scalarHelperValues(doc: RenderedDoc, line: string): string[] | undefined {
  const m = /:\s*"?\{\{-?\s*(?:include|template)\s+"([^"]+)"\s+[.$]\s*-?\}\}"?\s*$/.exec(line);
  const def = m?.[1] === undefined ? undefined : doc.ctx.defines.get(m[1]);
  if (def === undefined) return undefined;
  const lines = codeLines(def.file.lines);
  const chain = ifChain(def);
  if (chain !== undefined) return chainDefaultValues(chain, lines);
  const one = defaultedKey(lines, def);
  if (one !== undefined) return one;
  let found: string[] | undefined;
  for (let i = def.start + 1; i < def.end; i++) {
    const l = lines[i] ?? "";
    if (isInert(l)) continue;
    const action = soleAction(l);
    if (action === undefined) return undefined;
    const printf = /^printf\s+"(?:[^"\\]|\\.)*"\s+([^()"]+)$/.exec(action);
    const last = printf?.[1] !== undefined ? printf[1].trim().split(/\s+/).at(-1) : action;
    if (last === undefined || !/^\$?[\w.]+$/.test(last)) return undefined;
    const vp = exprValues(last, lines, i);
    if (vp === undefined || (found !== undefined && vp.join(".") !== found.join("."))) return undefined;
    found = vp;
  }
  return found;
}

/** The action of a line that is one action and nothing else (`{{- default "x" .Values.k }}`). */
function soleAction(line: string): string | undefined {
  const action = /^\s*\{\{-?\s*(.*?)\s*-?\}\}\s*$/.exec(line)?.[1];
  return action === undefined || action.includes("}}") || action.includes("{{") ? undefined : action;
}

/**
 * The values key `default D .Values.K` (also `| quote`) writes: K, which it writes whenever K is
 * set (non-empty), whatever the default D is. Undefined for any other expression.
 */
function defaultOperand(expr: string, lines: readonly string[], at: number): string[] | undefined {
  const m = /^default\s+(.*?)(?:\s*\|\s*quote)?$/.exec(expr);
  const args = m?.[1] === undefined ? undefined : splitArgs(m[1]);
  const key = args?.length === 2 ? args[1] : undefined;
  return key === undefined || !/^\$?\.[\w.]+$/.test(key) ? undefined : exprValues(key, lines, at);
}

/**
 * The values key of a helper whose body is one `default D .Values.K` (gitlab-runner's
 * `gitlab-runner.secret`: `default (include "gitlab-runner.fullname" .) .Values.runners.secret |
 * quote`): K. Undefined for any other body.
 */
function defaultedKey(lines: readonly string[], def: Define): string[] | undefined {
  let found: string[] | undefined;
  for (let i = def.start + 1; i < def.end; i++) {
    const l = lines[i] ?? "";
    if (isInert(l)) continue;
    const action = soleAction(l);
    if (found !== undefined || action === undefined) return undefined;
    found = defaultOperand(action, lines, i);
    if (found === undefined) return undefined;
  }
  return found;
}

/**
 * The values key of a helper whose body is an `if`/`else` chain (ending in `else`) every branch of
 * which writes `default D .Values.K` of the same K (the Bitnami and argo-cd `serviceAccountName`
 * helpers: `if .Values.serviceAccount.create` `default (include fullname .) .Values.serviceAccount.name`
 * `else` `default "default" .Values.serviceAccount.name`): K, which is written whichever branch is
 * taken once it is set. Undefined when a branch writes another key or something else, or no `else`
 * ends the chain (a false condition writes nothing).
 */
function chainDefaultValues(chain: readonly ChainBranch[], lines: readonly string[]): string[] | undefined {
  if (chain.length < 2 || chain[chain.length - 1]?.cond !== undefined) return undefined;
  let found: string[] | undefined;
  for (const b of chain) {
    const vp = defaultOperand(b.out, lines, b.outLine);
    if (vp === undefined || (found !== undefined && vp.join(".") !== found.join("."))) return undefined;
    found = vp;
  }
  return found;
}

/**
 * The values key of a key line whose whole value is a helper given a `dict` or `list` (gitlab's
 * `image: {{ include "gitlab.busybox.image" (dict "local" .Values.init "global" .Values.global) | quote }}`)
 * whose body is one `if`/`else` whose branches each write one `printf`: of the branches whose output
 * can be the rendered value (a literal that is not it did not render: `printf
 * "DEPRECATED:DEPRECATED"`), the one left writes `printf "%s:%s" $image $tag`, and its last operand
 * (`part` "repository": the first) is a variable the branch assigns `coalesce A B "latest"` (A
 * decides when set) or `default B A` (likewise), or a key itself: A's values key as the helper sees
 * its argument (`.local.image.tag`, `init.image.tag`), as the last `.Values` of a line that writes
 * several is its key. Undefined for anything else.
 */
function branchScalarValues(
  doc: RenderedDoc,
  lines: readonly string[],
  idx: number,
  rendered: string,
  part: ValuePart | undefined,
): string[] | undefined {
  const m =
    /^\s*(?:-\s+)?["']?[\w./-]+["']?\s*:\s*\{\{-?\s*(?:include|template)\s+"([^"]+)"\s+(\([^()]*(?:\([^()]*\)[^()]*)*\))\s*(?:\|\s*quote\s*)?-?\}\}\s*$/.exec(
      lines[idx] ?? "",
    );
  const def = m?.[1] === undefined ? undefined : doc.ctx.defines.get(m[1]);
  if (def === undefined || m?.[2] === undefined) return undefined;
  const top: Bound | undefined = enclosingScope(lines, idx) === "define" ? undefined : { kind: "root" };
  const arg = exprBound(m[2], lines, idx, 0, top);
  if (arg?.kind !== "dict" && arg?.kind !== "list") return undefined;
  const value = /:\s*(.*)$/
    .exec(rendered)?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, "$1");
  if (value === undefined) return undefined;
  // The body: `if` / assignments and one `printf` / `else` / one `printf` / `end`, nothing else.
  const body = codeLines(def.file.lines);
  const branches: { from: number; out?: string; outLine: number }[] = [];
  for (let i = def.start + 1; i < def.end; i++) {
    const l = body[i] ?? "";
    if (l.trim() === "") continue;
    const act = /^\s*\{\{-?\s*(.*?)\s*-?\}\}\s*$/.exec(l)?.[1];
    if (act === undefined || act.includes("}}")) return undefined;
    if (act.startsWith("/*")) continue;
    if (/^if\b/.test(act) && branches.length === 0) branches.push({ from: i, outLine: -1 });
    else if (act === "else" && branches.length === 1) branches.push({ from: i, outLine: -1 });
    else if (act === "end" && branches.length === 2) branches.push({ from: i, outLine: -1 });
    else if (branches.length === 0 || branches.length === 3) return undefined;
    else if (/^\$\w+\s*:?=/.test(act)) continue;
    else {
      const b = branches[branches.length - 1];
      if (b === undefined || b.out !== undefined || !/^printf\s/.test(act)) return undefined;
      b.out = act;
      b.outLine = i;
    }
  }
  if (branches.length !== 3) return undefined;
  const literal = (e: string) => /^printf\s+"((?:[^"\\%]|\\.)*)"$/.exec(e)?.[1];
  const live = branches.slice(0, 2).filter((b) => {
    const l = b.out === undefined ? undefined : literal(b.out);
    return l === undefined || l === value;
  });
  const [branch] = live;
  const printf = branch?.out === undefined ? null : /^printf\s+"%s:%s"\s+(\S+)\s+(\S+)$/.exec(branch.out);
  if (live.length !== 1 || branch === undefined || printf === null) return undefined;
  let operand = (part === "repository" ? printf[1] : printf[2]) ?? "";
  let at = branch.outLine;
  const name = /^\$(\w+)$/.exec(operand)?.[1];
  if (name !== undefined) {
    const a = assignmentOf(body, branch.outLine, name);
    if (a === undefined || a === "top" || a.line < branch.from) return undefined;
    at = a.line;
    const args = /^(coalesce|default)\s+(.*)$/.exec(a.expr);
    const list = args?.[2] === undefined ? undefined : splitArgs(args[2]);
    if (args === null || list === undefined) return undefined;
    // (`coalesce A ...` writes A when it is set; `default D A` likewise.)
    operand = (args[1] === "coalesce" ? list[0] : list.length === 2 ? list[1] : undefined) ?? "";
  }
  if (!/^\.[\w.]+$/.test(operand)) return undefined;
  return exprValues(operand, body, at, 0, arg);
}

/** One branch of a helper body's `if`/`else if`/`else` chain: its condition (none for `else`) and output. */
interface ChainBranch {
  cond: string | undefined;
  condLine: number;
  out: string;
  outLine: number;
}

/**
 * The branches of a named template whose body is one `if`/`else if`/`else` chain that writes one
 * expression in each branch, after assignments only (gitlab's `gitlab.pdb.apiVersion`); undefined
 * for any other body (text, a second action in a branch, anything after the chain's `end`).
 */
function ifChain(def: Define): ChainBranch[] | undefined {
  const lines = codeLines(def.file.lines);
  const branches: ChainBranch[] = [];
  let state: "pre" | "cond" | "out" | "done" = "pre";
  for (let i = def.start + 1; i < def.end; i++) {
    const l = lines[i] ?? "";
    if (l.replace(/\{\{[\s\S]*?\}\}/g, "").trim() !== "") return undefined;
    for (const a of l.matchAll(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g)) {
      const act = (a[1] ?? "").trim();
      if (act.startsWith("/*")) continue;
      const opener = /^(if|else\s+if)\s+(.+)$/.exec(act);
      if (state === "pre" && /^\$\w*\s*:?=/.test(act)) continue;
      if (state === "pre" && opener?.[1] === "if") {
        branches.push({ cond: opener[2], condLine: i, out: "", outLine: -1 });
        state = "cond";
      } else if (state === "cond" && !/^(?:if|else|end|with|range|define|block)\b|^\$\w*\s*:?=/.test(act)) {
        const b = branches[branches.length - 1];
        if (b === undefined) return undefined;
        b.out = act;
        b.outLine = i;
        state = "out";
      } else if (state === "out" && (opener?.[1]?.startsWith("else") === true || act === "else")) {
        branches.push({ cond: opener?.[2], condLine: i, out: "", outLine: -1 });
        state = "cond";
      } else if (state === "out" && act === "end") state = "done";
      else return undefined;
    }
  }
  return state === "done" ? branches : undefined;
}

/**
 * The values key of a key line whose whole value is a helper given a `dict` or `list`, or a variable
 * that holds one (gitlab's `apiVersion: {{ template "gitlab.pdb.apiVersion" $pdbCfg }}` after
 * `$pdbCfg := (dict "global" $.Values.global.pdb "local" .Values.pdb "context" $)`), whose body is
 * an `if`/`else if`/`else` chain writing one expression per branch, values keys and literals
 * (`.local.apiVersion` when it is set, else `.global.apiVersion`, else `print "policy/v1beta1"`).
 * The first branch's key decides when that branch's condition is the key itself: set, it is
 * written whatever the later branches would (`pdb.apiVersion`; in a subchart the parent's
 * `gitlab.gitaly.pdb.apiVersion`; a `global` key is the root chart's). A first branch whose key is
 * a `range` item's that the blank data model the list is rewritten from leaves empty is not taken,
 * and the next one decides (gitlab's webservice Ingress: `global.ingress.apiVersion`, as
 * datamodelLeavesEmpty says). Undefined when the body is no such chain or writes no key;
 * `unsure` when it is one but no key decides: the first branch tests something else (a key written
 * only when an earlier condition is false may not be what is written), or what its key stands for is
 * not known (`.hpa` of a `range`'s item).
 */
function helperChoice(
  doc: RenderedDoc,
  lines: readonly string[],
  idx: number,
): { values?: string[]; unsure?: string } | undefined {
  const m =
    /^\s*(?:-\s+)?["']?[\w./-]+["']?\s*:\s*"?\{\{-?\s*(?:include|template)\s+"([^"]+)"\s+(.+?)\s*-?\}\}"?\s*$/.exec(
      lines[idx] ?? "",
    );
  const argText = m?.[2];
  if (m?.[1] === undefined || argText === undefined || /^[.$]$/.test(argText)) return undefined;
  if (firstArg(argText) !== argText) return undefined;
  const def = doc.ctx.defines.get(m[1]);
  const chain = def === undefined ? undefined : ifChain(def);
  if (def === undefined || chain === undefined) return undefined;
  const name = m[1];
  const literal = (e: string) => /^(?:print\s+)?"(?:[^"\\]|\\.)*"$/.test(e);
  if (chain.every((b) => literal(b.out))) return undefined;
  const head = chain[0];
  if (head === undefined) return undefined;
  if (literal(head.out) || head.cond === undefined)
    return {
      unsure: `the helper "${name}" writes a values key only when its first condition (\`${head.cond ?? ""}\`) is false: which key sets this field is not known`,
    };
  const call = helperCall(doc, lines, idx);
  if (call === undefined)
    return {
      unsure: `the argument of the helper "${name}" is not known: which values key it writes is not known`,
    };
  const body = codeLines(def.file.lines);
  // (A key of an item of the `range` the line is in, over a list rewritten from a blank data model:
  // gitlab's webservice HPA's `.hpa` of each `.Values.deployments` item.)
  const over = enclosingRange(lines, idx);
  const rewritten = (b: Bound | undefined): b is Extract<Bound, { kind: "item" }> =>
    b?.kind === "item" && over !== undefined && plainValuesRef(over.expr)?.join(".") === b.list.join(".");
  const keyOf = (b: Bound | undefined) =>
    rewritten(b) && over !== undefined ? datamodelValues(doc, lines, over, b.path) : valuesOf(doc, b);
  // A branch that tests and writes an item's key the data model never fills is not taken (gitlab's
  // webservice Ingress: `.local.apiVersion` of the blank's `ingress:`); the next one decides.
  let k = 0;
  for (; k < chain.length - 1; k++) {
    const b = chain[k];
    const out = b === undefined ? undefined : exprBound(b.out, body, b.outLine, 0, call.arg);
    const cond = b?.cond === undefined ? undefined : exprBound(b.cond, body, b.condLine, 0, call.arg);
    if (!rewritten(out) || !rewritten(cond) || out.path.join(".") !== cond.path.join(".")) break;
    if (over === undefined || !datamodelLeavesEmpty(doc, lines, over, out.path)) break;
  }
  const first = chain[k];
  if (first === undefined) return undefined;
  if (literal(first.out) || first.cond === undefined)
    return {
      unsure: `the helper "${name}" writes \`${first.out}\` after keys the data model leaves empty: which values key sets this field is not known`,
    };
  const out = keyOf(exprBound(first.out, body, first.outLine, 0, call.arg));
  const cond = keyOf(exprBound(first.cond, body, first.condLine, 0, call.arg));
  if (out === undefined)
    return {
      unsure: `the helper "${name}" writes \`${first.out}\` first, whose values key its argument does not tell`,
    };
  if (cond?.join(".") !== out.join("."))
    return {
      unsure: `the helper "${name}" writes \`${first.out}\` only when \`${first.cond}\`: that key alone does not decide what is written`,
    };
  return { values: out };
}

/**
 * Why line `idx` of the body of `def`, which a rendered line aligns with, may not be what wrote it:
 * an earlier branch of an `if`/`with` chain around it that writes something may have rendered it
 * instead (a key line aligns with any rendered line of its key, also one an earlier branch's
 * `toYaml` wrote). Undefined when every such branch's condition is a values key the values leave
 * empty, read as the helper sees its argument `arg` (airflow's `airflowSecurityContext`: `if
 * .securityContext` of `list . .Values.scheduler`, `else if $.Values.securityContext`, then `fsGroup:
 * {{ $.Values.gid }}`), or there is none.
 */
function earlierBranchWrote(
  doc: RenderedDoc,
  def: Define,
  idx: number,
  arg: Bound | undefined,
): string | undefined {
  const body = codeLines(def.file.lines);
  let depth = 0;
  // (The earlier branch walked up through, and whether it writes something; undefined in the
  // line's own branch or an enclosing one.)
  let earlier: { writes: boolean } | undefined;
  const check = (cond: string, line: number): string | undefined => {
    if (earlier?.writes !== true) return undefined;
    const b = exprBound(cond, body, line, 0, arg);
    const vp = b?.kind === "values" && b.path.length > 0 && b.path[0] !== "global" ? b.path : undefined;
    const empty = vp === undefined ? undefined : emptyKey(doc.scope, vp);
    if (empty === true) return undefined;
    return empty === false
      ? `the helper's earlier branch \`${cond}\` (line ${String(line + 1)}) is taken and wrote this field: which values key sets it is not known`
      : `the helper's earlier branch \`${cond}\` (line ${String(line + 1)}) may have written this field: which values key sets it is not known`;
  };
  for (let j = idx - 1; j > def.start; j--) {
    const l = body[j] ?? "";
    const control = /\{\{-?\s*(if|else\s+if|else|with|range|end)\b\s*(.*?)\s*-?\}\}/g;
    const rest = l.replace(control, "");
    if (earlier !== undefined && rest.trim() !== "" && writesOutput(rest) && !isInert(rest))
      earlier.writes = true;
    // (A line's blocks from its last action back: an inline `with x }}/{{ . }}{{ end` closes itself.)
    for (const [, act = "", cond = ""] of [...l.matchAll(control)].reverse()) {
      if (act === "end") depth++;
      else if (depth > 0) {
        if (!act.startsWith("else")) depth--;
      } else if (act.startsWith("else")) {
        const why = earlier === undefined || act === "else" ? undefined : check(cond, j);
        if (why !== undefined) return why;
        earlier = { writes: false };
      } else {
        const why = act === "range" || earlier === undefined ? undefined : check(cond, j);
        if (why !== undefined) return why;
        earlier = undefined;
      }
    }
  }
  return undefined;
}

/** A values key that stands for a helper's argument, to see whether an expression reads it. */
const ARGUMENT = "\u0000argument";

/**
 * The values key of key line `idx` of the named template `def` whose whole value is one expression
 * that reads the helper's argument (`runAsUser: {{ $psc.runAsUser }}`, `$psc := .`), as the body
 * sees the argument that the include on line `a` of the including template gives it: gitlab's
 * `include "gitlab.podSecurityContext" .Values.securityContext` gives `securityContext.runAsUser`,
 * in the including chart's values (a subchart's, though the helper is the parent's). `unsure` when
 * that argument, or what the expression makes of it, is not followed; undefined when the line
 * reads `.Values` itself (lineValuesPath's) or something other than the argument.
 */
function argKeyValues(
  doc: RenderedDoc,
  lines: readonly string[],
  a: number,
  def: Define,
  idx: number,
): { values?: string[]; unsure?: string } | undefined {
  const text = codeLines(def.file.lines)[idx] ?? "";
  const expr = /^\s*(?:-\s+)?["']?[\w./-]+["']?\s*:\s*\{\{-?\s*([^{}]*?)\s*-?\}\}\s*$/.exec(text)?.[1];
  if (expr === undefined || valuesRefs(text).length > 0) return undefined;
  // (Read as if the argument were a values block of its own: a path below it reads the argument;
  // `.Release`, `.Chart` of a root context are no values.)
  const read = exprBound(expr, def.file.lines, idx, 0, { kind: "values", path: [ARGUMENT] });
  if (read?.kind !== "values" || read.path[0] !== ARGUMENT || BUILT_IN.has(read.path[1] ?? ""))
    return undefined;
  const helper = helperCall(doc, lines, a);
  if (helper?.def === def) {
    const vp = exprValues(expr, def.file.lines, idx, 0, helper.arg);
    if (vp !== undefined) return { values: vp };
  }
  return {
    unsure: `the value is read from the argument that the action on line ${String(a + 1)} gives the helper, which the mapping does not follow: which values key sets it is not known`,
  };
}

/** Whether a template line writes the last element of `path`: its key, or its list item (`- name: x`). */
function writesOwn(line: string, path: Path): boolean {
  const last = path[path.length - 1];
  if (typeof last === "number") return /^\s*-(?:\s|$)/.test(line);
  return last !== undefined && KEY_LINE_RE.exec(line.replace(/^(\s*)-\s+/, "$1  "))?.[1] === last;
}

/** The lines of the template file `name`: the rendered template's, or a named template's file. */
function templateLines(doc: RenderedDoc, name: string): readonly string[] | undefined {
  if (doc.template?.name === name) return doc.template.lines;
  for (const d of doc.ctx.defines.values()) if (d.file.name === name) return d.file.lines;
  return undefined;
}

/** Whether the values an action on line `i` writes come through a template variable (`toYaml $sc`, `with $sc`). */
function viaVariable(lines: readonly string[], i: number): boolean {
  const l = lines[i] ?? "";
  if (/\{\{-?\s*(?:toYaml|tpl)\s+\$[A-Za-z_]/.test(l)) return true;
  if (valuesRefs(l).length > 0) return false;
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const t = lines[j] ?? "";
    depth += countEnds(t);
    for (const m of [...t.matchAll(/\{\{-?\s*(if|with|range|define|block)\b([^}]*)\}\}/g)].reverse()) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (m[1] === "with") return /\$[A-Za-z_]/.test(m[2] ?? "");
      if (m[1] !== "if") return false;
    }
  }
  return false;
}

/**
 * Whether the action on template line `i` can write `key` at the top of its output: true when its
 * values block has the key (or, for `include`, the named template writes it), false when it cannot
 * (an empty or other values block), undefined when not known.
 */
function canHold(
  doc: RenderedDoc,
  lines: readonly string[],
  i: number,
  key: string | number | undefined,
): boolean | undefined {
  const l = lines[i] ?? "";
  const name = includeCall(l, doc.ctx)?.name;
  const rendered = renderedValues(doc, l);
  if (name !== undefined && rendered === undefined) {
    const def = doc.ctx.defines.get(name);
    if (def === undefined || typeof key !== "string") return undefined;
    if (topKeyLine(def, key) !== -1) return true;
    for (let j = def.start + 1; j < def.end; j++) if (writesOutput(def.file.lines[j] ?? "")) return undefined;
    return false;
  }
  if (rendered === undefined && !/\b(?:toYaml|tpl)\b/.test(l)) return undefined;
  const vp = rendered ?? lineValuesPath(lines, i);
  if (vp === undefined) return undefined;
  let found = false;
  for (const { source, prefix } of doc.scope.values) {
    const node = nodeOfValue(source, [...prefix, ...vp]);
    if (node === undefined) continue;
    found = true;
    if (
      isMap(node) &&
      typeof key === "string" &&
      node.items.some((p) => isScalar(p.key) && String(p.key.value) === key)
    )
      return true;
    if (isSeq(node) && typeof key === "number" && key < node.items.length) return true;
    if (isScalar(node) && typeof node.value === "string" && node.value.trim() !== "") return undefined; // tpl text
  }
  // (A variable's block may get keys from the template: `set $csc "runAsUser" 1000`.)
  return found && !viaVariable(lines, i) ? false : undefined;
}

function withValues(
  o: Origin,
  vp: readonly string[] | undefined,
  scope: ChartScope,
  missing = false,
): Origin {
  if (vp === undefined || vp.length === 0) return o;
  // (A subchart's `global` is the root chart's: its key is set at the top of every values file,
  // and a parent's beats its subchart's, the order of `scope.values`.)
  const global = vp[0] === "global";
  const full = global ? [...vp] : [...scope.keyPrefix, ...vp];
  const values: ValuesLoc = { path: formatValuesPath(full) };
  // A command-line assignment of the path (or of a key above or below it) beats every file.
  const isPrefix = (a: readonly string[], b: readonly string[]) => a.every((k, i) => b[i] === k);
  const set = scope.sets?.findLast((s) => isPrefix(s.keys, full) || isPrefix(full, s.keys));
  if (set !== undefined) {
    values.setBy = set.text;
    o.values = values;
    return o;
  }
  // The file and line that set the path or, for a key the finding says is missing, its nearest
  // set parent (where a user adds it).
  const shortest = missing ? 1 : vp.length;
  for (let len = vp.length; len >= shortest && values.file === undefined; len--) {
    for (const { source, prefix } of scope.values) {
      const line = lineOfValue(source, [...(global ? [] : prefix), ...vp.slice(0, len)]);
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
  const offset = walkValues(source, keys)?.offset;
  return offset === undefined ? undefined : source.lineCounter.linePos(offset).line;
}

/** The node set at `keys` in a values file. */
function nodeOfValue(source: ValuesSource, keys: readonly string[]): unknown {
  return walkValues(source, keys)?.node;
}

function walkValues(
  source: ValuesSource,
  keys: readonly string[],
): { node: unknown; offset: number | undefined } | undefined {
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
  return { node, offset };
}
