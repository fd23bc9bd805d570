// Which values keys a chart's templates read, determined statically and conservatively: a key is
// "read" when some template names it or a key above it. Used to tell a user that a key of their
// values file is read by nothing (a typo, in practice). When the analysis cannot tell which keys a
// template reads (`.Values` passed whole to `include`, `tpl`, `toYaml`, a `dict`, or indexed with a
// computed key) it marks the whole subtree as read, so that nothing below it is ever reported.

/** A tree of values paths that are read. `whole`: everything below this key counts as read. */
export class ReadTree {
  whole = false;
  readonly children = new Map<string, ReadTree>();

  add(path: readonly string[], whole: boolean): void {
    if (this.whole) return;
    const [first, ...rest] = path;
    if (first === undefined) {
      if (whole) this.whole = true;
      return;
    }
    let next = this.children.get(first);
    if (next === undefined) {
      next = new ReadTree();
      this.children.set(first, next);
    }
    next.add(rest, whole);
  }

  /** Whether `path` or a key above it is read whole. */
  covers(path: readonly string[]): boolean {
    if (this.whole) return true;
    const [first, ...rest] = path;
    if (first === undefined) return false;
    return this.children.get(first)?.covers(rest) ?? false;
  }

  /** The node at `path` (a key that is read, or has read keys below it), if any. */
  at(path: readonly string[]): ReadTree | undefined {
    const [first, ...rest] = path;
    if (first === undefined) return this;
    return this.children.get(first)?.at(rest);
  }
}

type Add = (path: readonly string[], whole: boolean) => void;

/** Where `.` points inside a block: the values root context, a values path, or something unknown. */
type Dot = { kind: "root" } | { kind: "values"; path: string[] } | { kind: "unknown" };

interface Block {
  /** The dot before the block (a `with`'s `else` branch has it back). */
  outer: Dot;
  dot: Dot;
  keyword: string;
}

interface DefineInfo {
  body: string;
  add: Add;
  /** Reads `.Values` with keys it computes (`index $.context.Values $key`). */
  dynamic: boolean;
  includes: Set<string>;
}

interface Call {
  target: string;
  args: string;
  add: Add;
  from: DefineInfo | undefined;
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
const FIELD = String.raw`[A-Za-z_][\w]*`;
/** `.Values`, `$.Values`, `$root.Values`, `.context.Values` followed by a chain of fields. */
const VALUES_REF = new RegExp(String.raw`\.Values((?:\.${FIELD})*)(?![\w])`, "g");
const STRING = /^\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)/;
const STRINGS = /"((?:[^"\\]|\\.)*)"|`([^`]*)`/g;
const INCLUDE = /\b(?:include|template)\s+"([^"]+)"/g;
const KEY_PATH = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

/**
 * The values keys a chart and its subcharts read. `scan` each template (and each file a template may
 * render with `tpl`), then `finish`. A named template that reads `.Values` with keys it computes
 * (Bitnami's `common.utils.getValueFromKey`) does not make everything read at once: the keys its
 * callers pass as strings are read, and every word in such strings counts as a read key name.
 */
export class ChartReads {
  /** Key names read through computed keys: a user key with such a last name counts as read. */
  readonly dynamicNames = new Set<string>();
  private readonly defines = new Map<string, DefineInfo>();
  private readonly calls: Call[] = [];
  /** `include "d" (dict "root" .Values)`: inside "d", `.root.x` is the key `x`. */
  private readonly aliases: { target: string; name: string; add: Add }[] = [];

  scan(text: string, add: Add): void {
    const stack: (Block & { define?: DefineInfo; start?: number })[] = [];
    let dot: Dot = { kind: "root" };
    let define: DefineInfo | undefined;
    const emit: Add = (path, whole) => {
      if (path.length === 0 && whole && define !== undefined) define.dynamic = true;
      else add(path, whole);
    };
    const onCalls = (action: string) => {
      for (const m of action.matchAll(INCLUDE)) {
        const target = m[1] ?? "";
        define?.includes.add(target);
        this.calls.push({ target, args: action.slice(m.index + m[0].length), add, from: define });
      }
    };
    const onAlias = (target: string, name: string) => {
      this.aliases.push({ target, name, add });
    };
    for (const m of text.matchAll(ACTION)) {
      const action = (m[1] ?? "").trim();
      if (action.startsWith("/*")) continue;
      const keyword = /^(\w+)\b/.exec(action)?.[1];
      const rest = keyword === undefined ? action : action.slice(keyword.length);
      if (keyword !== "define") onCalls(action);
      switch (keyword) {
        case "end": {
          const b = stack.pop();
          if (b === undefined) continue;
          dot = b.outer;
          if (b.keyword === "define" && b.define !== undefined) {
            b.define.body = text.slice(b.start ?? 0, m.index);
            define = undefined;
          }
          continue;
        }
        case "else": {
          const b = stack[stack.length - 1];
          if (b === undefined) continue;
          const inner = /^\s*(if|with)\b([\s\S]*)$/.exec(rest);
          if (b.keyword === "with") dot = b.outer;
          if (inner?.[1] === "with") {
            b.dot = withHead(inner[2] ?? "", dot, emit, onAlias);
            dot = b.dot;
          } else if (inner?.[1] === "if") ifHead(inner[2] ?? "", dot, emit, onAlias);
          continue;
        }
        case "if":
          ifHead(rest, dot, emit, onAlias);
          stack.push({ outer: dot, dot, keyword });
          continue;
        case "with": {
          const inner = withHead(rest, dot, emit, onAlias);
          stack.push({ outer: dot, dot: inner, keyword });
          dot = inner;
          continue;
        }
        case "range":
          pipeline(rest, dot, emit, onAlias);
          stack.push({ outer: dot, dot: { kind: "unknown" }, keyword });
          dot = { kind: "unknown" };
          continue;
        case "define": {
          const name = /^\s*"([^"]+)"/.exec(rest)?.[1];
          const info: DefineInfo | undefined =
            name === undefined || define !== undefined
              ? undefined
              : { body: "", add, dynamic: false, includes: new Set() };
          if (name !== undefined && info !== undefined) {
            this.defines.set(name, info);
            define = info;
          }
          stack.push({
            outer: dot,
            dot: { kind: "unknown" },
            keyword,
            ...(info === undefined ? {} : { define: info }),
            start: m.index + m[0].length,
          });
          dot = { kind: "unknown" };
          continue;
        }
        case "block":
          pipeline(rest, dot, emit, onAlias);
          stack.push({ outer: dot, dot: { kind: "unknown" }, keyword });
          dot = { kind: "unknown" };
          continue;
        default:
          pipeline(action, dot, emit, onAlias);
      }
    }
    // An unclosed define: whatever it read dynamically is read from everywhere.
    if (define?.dynamic === true) add([], true);
  }

  finish(): void {
    // A named template that includes one reading computed keys computes keys too.
    const dynamic = new Set([...this.defines].filter(([, d]) => d.dynamic).map(([n]) => n));
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, d] of this.defines)
        if (!dynamic.has(name) && [...d.includes].some((i) => dynamic.has(i))) {
          dynamic.add(name);
          changed = true;
        }
    }
    const words = (text: string) => {
      for (const m of text.matchAll(STRINGS))
        for (const w of (m[1] ?? m[2] ?? "").split(/[^\w-]+/)) if (w !== "") this.dynamicNames.add(w);
    };
    for (const name of dynamic) words(this.defines.get(name)?.body ?? "");
    for (const c of this.calls) {
      if (!dynamic.has(c.target) || (c.from !== undefined && c.from.dynamic)) continue;
      words(c.args);
      for (const m of c.args.matchAll(STRINGS)) {
        const s = m[1] ?? m[2] ?? "";
        if (KEY_PATH.test(s)) c.add(s.split("."), true);
      }
    }
    for (const a of this.aliases) {
      const d = this.defines.get(a.target);
      // The callee is not in the chart: what it reads is unknown.
      if (d === undefined) {
        a.add([], true);
        continue;
      }
      const ref = new RegExp(String.raw`\.${a.name}((?:\.${FIELD})*)(?![\w])`, "g");
      for (const m of d.body.matchAll(ref)) a.add(fields(m[1] ?? ""), true);
    }
  }
}

/** Record the values keys that one text reads (no named-template analysis: see ChartReads). */
export function scanReads(text: string, add: Add): void {
  const reads = new ChartReads();
  reads.scan(text, add);
  reads.finish();
}

/** A pipeline that is one plain reference (`.Values.a.b`, `$.Values.a`, or `.b` under a known dot). */
function plainRef(expr: string, dot: Dot): string[] | undefined {
  const e = expr.trim().replace(/^\$\w+\s*:?=\s*/, "");
  const values = new RegExp(String.raw`^\$?\w*\.Values((?:\.${FIELD})*)$`).exec(e);
  if (values !== null) return fields(values[1] ?? "");
  if (dot.kind === "values") {
    const rel = new RegExp(String.raw`^((?:\.${FIELD})+)$`).exec(e);
    if (rel !== null) return [...dot.path, ...fields(rel[1] ?? "")];
  }
  return undefined;
}

const fields = (chain: string): string[] => chain.split(".").filter((k) => k !== "");

/** `with X`: X alone is read as a key (its test); `.` inside is X. Anything else: read whole, `.` unknown. */
function withHead(expr: string, dot: Dot, add: Add, alias: OnAlias): Dot {
  const ref = plainRef(expr, dot);
  if (ref === undefined) {
    pipeline(expr, dot, add, alias);
    return { kind: "unknown" };
  }
  add(ref, false);
  return { kind: "values", path: ref };
}

/** `if X`: a plain reference is a test of that key only; anything else is an ordinary pipeline. */
function ifHead(expr: string, dot: Dot, add: Add, alias: OnAlias): void {
  const ref = plainRef(expr, dot);
  if (ref !== undefined) add(ref, false);
  else pipeline(expr, dot, add, alias);
}

/** Every values reference in an ordinary pipeline reads its whole subtree. */
type OnAlias = (target: string, name: string) => void;

function pipeline(expr: string, dot: Dot, add: Add, alias: OnAlias): void {
  for (const m of expr.matchAll(VALUES_REF)) {
    const chain = fields(m[1] ?? "");
    if (chain.length > 0) {
      add(chain, true);
      continue;
    }
    // `.Values` itself: only `index/get/hasKey .Values "a" …` and `pluck "a" .Values` name the key.
    const before = expr.slice(0, m.index).replace(/\$?[\w.]*$/, "");
    const after = expr.slice(m.index + m[0].length);
    const fn = /(\w+)\s*$/.exec(before)?.[1];
    const keys: string[] = [];
    if (fn === "index" || fn === "get" || fn === "hasKey") {
      let tail = after;
      for (let s = STRING.exec(tail); s !== null; s = STRING.exec(tail)) {
        keys.push(s[1] ?? s[2] ?? "");
        tail = tail.slice(s[0].length);
        if (fn !== "index") break;
      }
    } else {
      const pluck = /pluck\s+(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)\s*$/.exec(before);
      if (pluck !== null) keys.push(pluck[1] ?? pluck[2] ?? "");
    }
    // `include "d" (dict "root" .Values)`: "d" reads `.root.x`.
    const named = /"(\w+)"\s*$/.exec(before);
    const target = /\b(?:include|template)\s+"([^"]+)"/.exec(expr.slice(0, m.index))?.[1];
    if (keys.length === 0 && named?.[1] !== undefined && target !== undefined && named[1] !== "Values") {
      alias(target, named[1]);
      continue;
    }
    if (keys.length === 0 && named?.[1] === "Values" && target !== undefined) continue; // `.Values.x` there
    // No key named: the analysis cannot tell what is read, so everything is.
    add(keys, true);
  }
  if (dot.kind !== "values") return;
  // Fields of the dot (`.b.c` under `with .Values.a`), and `.` itself (the whole subtree).
  const masked = expr.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, (s) => " ".repeat(s.length));
  for (const m of masked.matchAll(/(?<![\w$)\].])\.((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*)?/g)) {
    if (m[1] === undefined) add(dot.path, true);
    else if (!m[1].startsWith("Values")) add([...dot.path, ...fields(m[1])], true);
  }
}
