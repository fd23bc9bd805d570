// Where a field of a kustomize-built object comes from (issue 8 item 6). kustomize's
// `config.kubernetes.io/origin` names the file that defines each object (or the kustomization whose
// generator made it), but not which patch wrote a field. kubeward reads the kustomizations between
// the built directory and that file, and their patches: strategic merge and JSON 6902 patches, in
// files or inline, under `patches`, `patchesStrategicMerge` and `patchesJson6902`, also those of
// components. A field that a patch writes points at the patch's line. Everything is read from the
// sandbox copy (kustomize-sandbox.ts), so nothing outside the scanned tree is ever opened.
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node } from "yaml";
import type { KObject, Path, SourceLoc } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { KUSTOMIZATION_NAMES } from "./kustomize-sandbox.js";
import { locateInNode } from "./yaml.js";

/** The names an object had: in the file that defines it, and after the build. */
export interface Names {
  final: string;
  original: string;
}

export type Locate = (path: Path) => { loc: SourceLoc; exact: boolean };
type Place = (p: { line: number; col: number }) => { line: number; column: number };

/** Which objects a patch applies to (kustomize's `target`, or a strategic merge patch's own kind and name). */
interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** One write of a patch: `value` placed at `at` in the object; `locate` finds a path inside the value. */
interface Writer {
  selector: Selector;
  at: (string | number)[];
  /** undefined for JSON 6902 `copy`/`move` (the value comes from elsewhere in the object). */
  value: unknown;
  /** Strategic merge: maps merge into the base, so a map the base also has is the base's. */
  merge: boolean;
  locate: Locate;
}

interface Layer {
  doc: Record<string, unknown>;
  file: string;
  text: string;
}

/** How findings name the files of the sandbox copy (relative to the scan root), and keeps their texts. */
export interface OriginFiles {
  display(sandboxPath: string): string;
  keep(name: string, text: string): void;
}

const MAX_LAYERS = 200;

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

export class KustomizeOrigins {
  private readonly layers = new Map<string, Layer | undefined>();
  private readonly patches = new Map<string, Writer[]>();
  private readonly chains = new Map<string, Writer[]>();

  /** `top`: the built kustomization's directory; `root`: the sandbox copy, the only place read. */
  constructor(
    private readonly top: string,
    private readonly root: string,
    private readonly files: OriginFiles,
  ) {}

  private inside(p: string): boolean {
    const rel = relative(this.root, p);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  }

  private read(file: string): string | undefined {
    if (!this.inside(file)) return undefined;
    try {
      return statSync(file).isFile() ? readFileSync(file, "utf8") : undefined;
    } catch {
      return undefined;
    }
  }

  private layer(dir: string): Layer | undefined {
    if (!this.layers.has(dir)) {
      let found: Layer | undefined;
      for (const n of KUSTOMIZATION_NAMES) {
        const file = join(dir, n);
        const text = this.read(file);
        if (text === undefined) continue;
        try {
          const doc: unknown = parseDocument(text).toJS();
          if (isRecord(doc)) found = { doc, file, text };
        } catch {
          // not a kustomization kubeward can read: no patches from it
        }
        break;
      }
      this.layers.set(dir, found);
    }
    return this.layers.get(dir);
  }

  /**
   * The patches that may touch an object defined in `originFile` (a sandbox path): those of each
   * kustomization from the top down to the one listing the file, outermost first (applied last, so
   * it wins); a kustomization's components right after it (their patches are applied before its own).
   */
  /** Reads the patches that may touch objects defined in `originFile` (while the sandbox exists). */
  load(originFile: string): void {
    this.writersFor(originFile);
  }

  private writersFor(originFile: string): Writer[] {
    const cached = this.chains.get(originFile);
    if (cached !== undefined) return cached;
    const reaches = new Map<string, boolean>();
    const visit = (dir: string, depth: number): boolean => {
      const known = reaches.get(dir);
      if (known !== undefined) return known;
      reaches.set(dir, false); // cycles
      const l = this.layer(dir);
      if (l === undefined || depth > MAX_LAYERS) return false;
      let hit = false;
      for (const entry of [...strings(l.doc["resources"]), ...strings(l.doc["bases"])]) {
        const p = resolve(dir, entry);
        if (p === originFile || (this.layer(p) !== undefined && visit(p, depth + 1))) hit = true;
      }
      reaches.set(dir, hit);
      return hit;
    };
    const order: string[] = [];
    const seen = new Set<string>();
    let frontier = [this.top];
    while (frontier.length > 0 && order.length < MAX_LAYERS) {
      const next: string[] = [];
      for (const dir of frontier) {
        if (seen.has(dir) || !visit(dir, 0)) continue;
        seen.add(dir);
        order.push(dir);
        const doc = this.layer(dir)?.doc ?? {};
        for (const c of strings(doc["components"])) {
          const p = resolve(dir, c);
          if (seen.has(p) || this.layer(p) === undefined) continue;
          seen.add(p);
          order.push(p);
        }
        for (const entry of [...strings(doc["resources"]), ...strings(doc["bases"])])
          next.push(resolve(dir, entry));
      }
      frontier = next;
    }
    const out = order.flatMap((dir) => this.patchesOf(dir));
    this.chains.set(originFile, out);
    return out;
  }

  private patchesOf(dir: string): Writer[] {
    const cached = this.patches.get(dir);
    if (cached !== undefined) return cached;
    const out: Writer[] = [];
    this.patches.set(dir, out);
    const l = this.layer(dir);
    if (l === undefined) return out;
    const lc = new LineCounter();
    const kdoc = parseDocument(l.text, { lineCounter: lc });
    const kName = this.files.display(l.file);
    const entries = (field: string, legacy: boolean) => {
      const list = l.doc[field];
      const seq = isMap(kdoc.contents) ? kdoc.contents.get(field, true) : undefined;
      if (!Array.isArray(list)) return [];
      return list.map((value: unknown, i) => ({
        value,
        legacy,
        node: isSeq(seq) ? (seq.items[i] as Node | undefined) : undefined,
      }));
    };
    // Later patches are applied later: they come first here (the first writer that fits wins).
    const all = [
      ...entries("patches", false),
      ...entries("patchesStrategicMerge", true),
      ...entries("patchesJson6902", false),
    ].reverse();
    for (const { value, legacy, node } of all) {
      const target = isRecord(value) && isRecord(value["target"]) ? selectorOf(value["target"]) : undefined;
      const fileEntry =
        isRecord(value) && typeof value["path"] === "string"
          ? value["path"]
          : legacy && typeof value === "string" && !value.includes("\n")
            ? value
            : undefined;
      if (fileEntry !== undefined) {
        const full = resolve(dir, fileEntry);
        const text = this.read(full);
        if (text === undefined) continue;
        const name = this.files.display(full);
        this.files.keep(name, text);
        out.push(...writersOf(text, name, (p) => ({ line: p.line, column: p.col }), target));
        continue;
      }
      // Inline: `patch: |` of a `patches` entry, or a string item of patchesStrategicMerge.
      const inline = isRecord(value) ? value["patch"] : value;
      const scalar = isMap(node) ? node.get("patch", true) : node;
      if (typeof inline !== "string" || !isScalar(scalar) || scalar.range == null) continue;
      out.push(...writersOf(inline, kName, inlinePlace(l.text, scalar.range[0], scalar.type, lc), target));
    }
    if (out.length > 0) this.files.keep(kName, l.text);
    return out;
  }

  /**
   * The location of `path` in a built object: in the patch that wrote it, else in the file that
   * defines the object (`base`, with list items matched by their merge key, so an item a patch
   * inserted before them does not shift them). `names` are the names the object had on the way.
   */
  locate(
    originFile: string,
    built: KObject,
    names: Names,
    base: { object: unknown; locate: Locate },
    path: Path,
  ): { loc: SourceLoc; exact: boolean } {
    const inBase = walk(built, base.object, path);
    let best: { w: Writer; depth: number; sub: (string | number)[] } | undefined;
    for (const w of this.writersFor(originFile)) {
      if (!selects(w.selector, built, names)) continue;
      const r = writerDepth(w, built, path);
      if (r === undefined || (best !== undefined && best.depth >= r.depth)) continue;
      const exact = r.depth === path.length;
      // A patch is where the field comes from when it writes more of the path than the base has,
      // or writes the field itself with the value the build ended up with (an override). A map it
      // shares with the base (a container it merges into) stays the base's.
      const overrides =
        exact &&
        inBase.depth === path.length &&
        (!w.merge || !isRecord(r.value)) &&
        sameValue(r.value, getIn(built, path));
      const adds =
        r.depth > inBase.depth &&
        getIn(built, path.slice(0, r.depth)) !== undefined &&
        (!exact || isRecord(r.value) || sameValue(r.value, getIn(built, path)));
      if (overrides || adds) best = { w, depth: r.depth, sub: r.sub };
    }
    if (best !== undefined) {
      const l = best.w.locate([...best.sub, ...path.slice(best.depth)]);
      return { loc: l.loc, exact: best.depth === path.length && l.exact };
    }
    return base.locate([...inBase.sub, ...path.slice(inBase.depth)]);
  }
}

function selectorOf(t: Record<string, unknown>): Selector {
  const s: Selector = {};
  for (const k of ["group", "version", "kind", "name", "labelSelector", "annotationSelector"] as const) {
    const v = t[k];
    if (typeof v === "string") s[k] = v;
  }
  return s;
}

/**
 * Places an inline patch's positions in kustomization.yaml: a block scalar (`patch: |`) starts on
 * the line after its header, indented; a quoted or plain string is reported at the value itself.
 */
function inlinePlace(kText: string, start: number, type: string | undefined, lc: LineCounter): Place {
  const header = lc.linePos(start);
  const at = { line: header.line, column: header.col };
  if (type !== "BLOCK_LITERAL") return () => at;
  const lines = kText.split("\n");
  const first = lines.slice(header.line).find((x) => x.trim() !== "") ?? "";
  const indent = first.length - first.trimStart().length;
  return (p) => ({ line: header.line + p.line, column: p.col + indent });
}

function writersOf(text: string, file: string, place: Place, target: Selector | undefined): Writer[] {
  const lc = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc });
  } catch {
    return []; // too deep for the parser (kustomize read it; kubeward points at the base instead)
  }
  if (!Array.isArray(docs)) return [];
  const posOf = (o: number) => place(lc.linePos(o));
  const out: Writer[] = [];
  for (const d of docs) {
    if (d.errors.length > 0 || d.contents === null) continue;
    let value: unknown;
    try {
      value = d.toJS(); // throws on an alias bomb (yaml's maxAliasCount): no patch read from it
    } catch {
      continue;
    }
    const root = d.contents;
    if (Array.isArray(value) && isSeq(root)) {
      // JSON 6902: a list of operations, applied to the target.
      if (target === undefined) continue;
      value.forEach((op: unknown, i) => {
        const opNode = root.items[i] as Node | undefined;
        if (!isRecord(op) || typeof op["path"] !== "string" || opNode === undefined) return;
        const kind = op["op"];
        const hasValue = kind === "add" || kind === "replace";
        if (!hasValue && kind !== "copy" && kind !== "move") return;
        out.push({
          selector: target,
          at: pointer(op["path"]),
          value: hasValue ? op["value"] : undefined,
          merge: false,
          locate: (sub) => locateInNode(opNode, hasValue ? ["value", ...sub] : ["path"], file, posOf),
        });
      });
    } else if (isRecord(value)) {
      const meta = isRecord(value["metadata"]) ? value["metadata"] : {};
      const own: Selector = {};
      if (typeof value["kind"] === "string") own.kind = value["kind"];
      if (typeof meta["name"] === "string") own.name = meta["name"];
      out.push({
        selector: target ?? own,
        at: [],
        value,
        merge: true,
        locate: (sub) => locateInNode(root, sub, file, posOf),
      });
    }
  }
  return out;
}

/** `/spec/containers/0/a~1b` → ["spec", "containers", 0, "a/b"]; `-` (append) stays "-". */
function pointer(p: string): (string | number)[] {
  return p
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Strategic merge keys of the Kubernetes lists that merge (containers, volumes, env, ports, mounts). */
const MERGE_KEYS = ["name", "containerPort", "mountPath", "devicePath", "port", "ip", "topologyKey"];

/** The index in `target` of the item `built[i]` corresponds to: same merge key, else same index. */
function matchItem(built: readonly unknown[], i: number, target: readonly unknown[]): number | undefined {
  const item = built[i];
  if (isRecord(item)) {
    for (const k of MERGE_KEYS) {
      if (item[k] === undefined || !target.some((t) => isRecord(t) && t[k] !== undefined)) continue;
      const j = target.findIndex((t) => isRecord(t) && sameValue(t[k], item[k]));
      return j === -1 ? undefined : j;
    }
  }
  return i < target.length ? i : undefined;
}

/** How far `path` (of the built object) goes into `source`, and that part of the path in source terms. */
function walk(
  built: unknown,
  source: unknown,
  path: Path,
): { depth: number; sub: (string | number)[]; value: unknown } {
  let b = built;
  let s = source;
  const sub: (string | number)[] = [];
  for (const key of path) {
    if (typeof key === "number") {
      if (!Array.isArray(b) || !Array.isArray(s)) break;
      const j = matchItem(b, key, s);
      if (j === undefined) break;
      b = b[key];
      s = s[j];
      sub.push(j);
    } else {
      if (!isRecord(s) || !(key in s)) break;
      b = isRecord(b) ? b[key] : undefined;
      s = s[key];
      sub.push(key);
    }
  }
  return { depth: sub.length, sub, value: sub.length === path.length ? s : undefined };
}

/** How much of `path` a writer writes, and the path inside its value. */
function writerDepth(
  w: Writer,
  built: KObject,
  path: Path,
): { depth: number; sub: (string | number)[]; value: unknown } | undefined {
  if (w.at.length > path.length) return undefined; // writes below the reported path
  let b: unknown = built;
  for (const [i, k] of w.at.entries()) {
    const p = path[i];
    // `-` appended an item: the list's last one now.
    const ok = k === "-" ? Array.isArray(b) && p === b.length - 1 : k === p;
    if (!ok || p === undefined) return undefined;
    b = getIn(b, [p]);
  }
  if (w.value === undefined) return { depth: w.at.length, sub: [], value: undefined };
  const r = walk(b, w.value, path.slice(w.at.length));
  return { depth: w.at.length + r.depth, sub: r.sub, value: r.value };
}

function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === "number") cur = cur[k];
    else if (isRecord(cur)) cur = cur[String(k)];
    else return undefined;
  }
  return cur;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** kustomize's target selection, read leniently: what cannot be evaluated here does not exclude. */
function selects(s: Selector, obj: KObject, names: Names): boolean {
  const apiVersion = typeof obj["apiVersion"] === "string" ? obj["apiVersion"] : "";
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const kind = String(obj["kind"]);
  if (s.kind !== undefined && !nameMatches(s.kind, { final: kind, original: kind })) return false;
  if (s.group !== undefined && s.group !== group) return false;
  if (s.version !== undefined && s.version !== version) return false;
  if (s.name !== undefined && !nameMatches(s.name, names)) return false;
  if (s.labelSelector !== undefined && !labelsMatch(s.labelSelector, meta["labels"])) return false;
  if (s.annotationSelector !== undefined && !labelsMatch(s.annotationSelector, meta["annotations"]))
    return false;
  return true;
}

/**
 * A name a patch gives: the object's final or original name, or one it had in between (it holds
 * the original and sits inside the final one: `a-web` for `web` built as `b-a-web`); or kustomize's
 * anchored regular expression when it is a simple one.
 */
function nameMatches(pattern: string, names: Names): boolean {
  if (pattern === names.final || pattern === names.original) return true;
  if (!/[.*+?()[\]{}|^$\\]/.test(pattern))
    return names.original !== "" && pattern.includes(names.original) && names.final.includes(pattern);
  // Not evaluated (it could take exponential time here): it does not exclude.
  if (pattern.length > 256 || /\)[*+?{]/.test(pattern)) return true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    return false;
  }
  return re.test(names.final) || re.test(names.original);
}

/** `a=b,c!=d,e,!f` against the labels; other forms (`in (...)`) are not evaluated and do not exclude. */
function labelsMatch(selector: string, labels: unknown): boolean {
  const have = isRecord(labels) ? labels : {};
  for (const part of selector.split(",").map((x) => x.trim())) {
    const m = /^([^!=\s]+)\s*(!=|==|=)\s*(\S*)$/.exec(part);
    if (m !== null) {
      const v = have[m[1] ?? ""];
      if (m[2] === "!=" ? v === m[3] : v !== m[3]) return false;
    } else if (/^[\w./-]+$/.test(part)) {
      if (!(part in have)) return false;
    } else if (/^![\w./-]+$/.test(part) && part.slice(1) in have) return false;
  }
  return true;
}

const GENERATOR_FIELD: Record<string, string> = {
  ConfigMapGenerator: "configMapGenerator",
  SecretGenerator: "secretGenerator",
};

/**
 * For an object made by a configMapGenerator/secretGenerator entry of `text` (a kustomization
 * named `file`): a locator into that entry. The entry is the one whose name the built name holds
 * (prefixes, suffixes and the content hash are added around it); the longest such name wins.
 */
export function generatorLocator(
  text: string,
  file: string,
  generator: string,
  builtName: string,
): Locate | undefined {
  const field = GENERATOR_FIELD[generator];
  if (field === undefined) return undefined;
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc });
  } catch {
    return undefined;
  }
  const seq = isMap(doc.contents) ? doc.contents.get(field, true) : undefined;
  if (!isSeq(seq)) return undefined;
  let entry: { node: Node; value: Record<string, unknown> } | undefined;
  let bestLength = -1;
  for (const item of seq.items) {
    let value: unknown;
    try {
      value = isMap(item) ? item.toJSON() : undefined;
    } catch {
      continue;
    }
    if (!isRecord(value) || typeof value["name"] !== "string") continue;
    if (builtName.includes(value["name"]) && value["name"].length > bestLength) {
      entry = { node: item as Node, value };
      bestLength = value["name"].length;
    }
  }
  if (entry === undefined) return undefined;
  const { node, value } = entry;
  const posOf = (o: number) => {
    const p = lc.linePos(o);
    return { line: p.line, column: p.col };
  };
  const at = (path: Path, exact: boolean) => {
    const l = locateInNode(node, path, file, posOf);
    return { loc: l.loc, exact: exact && l.exact };
  };
  // Which item of `literals` or `files` makes a data key (`KEY=value`, `KEY=path`, or a path named KEY).
  const itemFor = (key: string): Path | undefined => {
    for (const list of ["literals", "files"]) {
      const items = strings(value[list]);
      const i = items.findIndex(
        (s) =>
          s.startsWith(`${key}=`) || (list === "files" && !s.includes("=") && s.split("/").at(-1) === key),
      );
      if (i !== -1) return [list, i];
    }
    return undefined;
  };
  return (path) => {
    if (path.length === 0) return at([], true);
    const [first, second] = path;
    if (first === "metadata" && second === "name" && path.length === 2) return at(["name"], true);
    if (first === "data" || first === "stringData" || first === "binaryData") {
      // The whole entry is the object's data (so a Secret's literals are masked in code frames).
      if (path.length === 1) return at([], true);
      const item = typeof second === "string" ? itemFor(second) : undefined;
      if (item !== undefined) return at(item, path.length === 2);
      const envs = value["envs"] !== undefined ? "envs" : value["env"] !== undefined ? "env" : undefined;
      if (envs !== undefined) return at([envs], false);
    }
    return at([], false);
  };
}
