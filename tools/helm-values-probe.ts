// Ground truth for the Helm values mapping: which values key, when set, reaches the field a finding
// is about. The chart is rendered again with a probe values file that sets a unique marker at every
// candidate key; a field that renders a marker is reached by that key. Candidates are every map of
// the chart's values.yaml files (and every `.Values.x` a template names) extended by the tails of
// the finding's field (`readOnlyRootFilesystem`, `securityContext.readOnlyRootFilesystem`), and the
// scalar values keys named like the field; for a finding on a list item (an RBAC rule's verb, a
// capability), the lists and scalars of the defaults that hold its value. After those, the scalar
// keys the templates name (`.Values.serviceAccount.name` in the helper that writes
// `serviceAccountName`): for each finding, those the template file that wrote its object and the
// named templates it includes read (see `namedRefs`). A subchart's finding
// gets only that subchart's keys and `global`. A render that fails is split until the offending
// keys are found; a key that fails alone is set again as its type says (a number, a key below a
// map, a flipped boolean). A finding about what a container's `securityContext` lacks is reached
// by a values block only when a fresh key set below the block (a marker as its name) renders below
// the map: keys the template names one by one cannot carry the setting a values fix adds.
// Renders are cached per chart and probe in $TMPDIR/kubeward-probe-cache.
// Used by tools/helm-map-coverage.ts.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMap, isScalar, isSeq, parseAllDocuments, stringify } from "yaml";
import type { Finding, Path } from "../src/core/types.js";
import { chartFacts, helmEnv, splitBySource } from "../src/inputs/helm.js";
import { indexDefines, valuesRefs, type Define } from "../src/inputs/helm-map.js";
import type { ChartFacts } from "../src/inputs/helm-unused.js";
import { findHelm } from "../src/inputs/tools.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export interface ProbeResult {
  /** Values paths (dotted, `[i]` for list items) whose marker renders at the field; empty: none. */
  reached: string[];
  /**
   * The boolean key that had to be flipped to true for the path's own marker to reach the field
   * (`containerSecurityContext.enabled`, false by default): the path is right once that is set.
   */
  gate?: string;
  /** Why the finding could not be probed (no field named, render failed). */
  unsure?: string;
}

/** The field a finding is about: the fix's field below a reported parent, else the finding's path. */
export function fieldOf(f: Finding): Path {
  const set = fixField(f);
  if (set !== undefined) return set;
  // A binding to cluster-admin, reported at each subject: what it grants is its role.
  if (f.ruleId === "cluster-admin-binding" && f.path[0] === "subjects") return ROLE_NAME;
  // Rules without a fix that name the missing setting to the engine (ReportDescriptor.field).
  const named = NAMED_FIELDS[f.ruleId];
  if (named !== undefined && f.exact !== false && !f.path.includes(named)) return [...f.path, named];
  return f.path;
}
const ROLE_NAME: Path = ["roleRef", "name"];

/** The field a finding's fix sets below the reported path, if any. */
function fixField(f: Finding): Path | undefined {
  for (const op of f.fix?.ops ?? [])
    if (op.op !== "remove" && op.path.length > f.path.length && f.path.every((k, i) => op.path[i] === k))
      return op.path;
  return undefined;
}
/** The boolean keys that switch a block of values on (`serviceAccount.create`, `enabled`). */
const GATES = ["enabled", "create"];
const NAMED_FIELDS: Record<string, string> = {
  "security-context-missing": "securityContext",
  "default-service-account": "serviceAccountName",
  "liveness-probe-missing": "livenessProbe",
  "readiness-probe-missing": "readinessProbe",
};
/**
 * Rules about what a container's `securityContext` lacks, naming no key of it: no hardening at
 * all, nothing set. The values fix is to add settings there, so a values key reaches such a
 * finding only when any key set below it renders there. (Not a missing probe: setting the key a
 * template names, cert-manager's `livenessProbe.enabled`, writes it; nor a finding about a map
 * being there, a `hostPath` volume or a `secretKeyRef`.)
 */
const LACKING_RULES = new Set(["linux-hardening-missing", "security-context-missing"]);
/** A key no template can name: a marker (`kwp17x`) set as a key. */
const FRESH_KEY = /^kwp\d+x$/;

function valueAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const k of path) {
    if (typeof k === "number" ? !Array.isArray(cur) : !isObj(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Flattened default values: every map path, and every scalar path with its last key. */
interface Defaults {
  maps: string[][];
  /** Maps of strings: only a one-key tail is tried there. */
  flatMaps: string[][];
  scalars: string[][];
  /** Lists of the defaults, with their value (a list-item finding's value may come from one). */
  seqs: { keys: string[]; value: unknown[] }[];
  /** Whether a path (or a key above it) is a scalar or list in the defaults: no map may be set there. */
  blocked(keys: readonly string[]): boolean;
  isScalarAt(keys: readonly string[]): boolean;
  kindAt(keys: readonly string[]): "map" | "scalar" | "seq" | undefined;
  /** The default value of a scalar key (`undefined` for none). */
  scalarAt(keys: readonly string[]): unknown;
  /** Whether a template ranges over the key. */
  ranged(keys: readonly string[]): boolean;
}

/** The values keys of a subchart: `gitlab/charts/gitlab/charts/sidekiq` → `gitlab.sidekiq`. */
function chartPrefix(source: string): string[] {
  return source.split("/templates/")[0]?.split("/charts/").slice(1) ?? [];
}

function defaultsOf(facts: ChartFacts): Defaults {
  const maps: string[][] = [];
  const flatMaps: string[][] = [];
  const scalars: string[][] = [];
  const seqs: { keys: string[]; value: unknown[] }[] = [];
  const nulls: string[][] = [];
  const scalarValues = new Map<string, unknown>();
  const seen = new Set<string>();
  /** Keys a template ranges over: each key added there becomes an item (a Secret, a port). */
  const ranged = new Set<string>();
  const kinds = new Map<string, "map" | "scalar" | "seq">();
  // The top chart first: its `global` wins over a subchart's, as helm coalesces them.
  const sources = [...facts.values].sort((a, b) => chartPrefix(a[0]).length - chartPrefix(b[0]).length);
  for (const [source, v] of sources) {
    const prefix = chartPrefix(source);
    if (prefix.length > 0 && !kinds.has(JSON.stringify(prefix))) kinds.set(JSON.stringify(prefix), "map");
    const walk = (node: unknown, keys: string[]) => {
      const id = JSON.stringify(keys);
      // A subchart's `global` is the parent's (helm copies the parent's `global` into every
      // subchart): its keys are set at the top-level `global`, once.
      if (seen.has(id)) {
        if (isMap(node))
          for (const p of node.items) if (isScalar(p.key)) walk(p.value, [...keys, String(p.key.value)]);
        return;
      }
      seen.add(id);
      const isNull = node === null || (isScalar(node) && node.value === null);
      // A null default is a scalar as often as a map: a block only when a template uses it as one.
      if (isNull && keys.length > 0) {
        nulls.push(keys);
        kinds.set(id, "scalar");
      } else if (isMap(node) || isNull) {
        // A map of strings (labels, annotations, a node selector) takes only a string at its top:
        // a map below it breaks metadata, which helm decodes.
        const name = keys[keys.length - 1] ?? "";
        const strings =
          isMap(node) && node.items.length > 0
            ? node.items.every((p) => isScalar(p.value) && typeof p.value.value === "string")
            : /nnotations|abels|elector$/.test(name);
        if (strings) flatMaps.push(keys);
        else maps.push(keys);
        kinds.set(id, "map");
        if (isMap(node))
          for (const p of node.items) {
            if (!isScalar(p.key)) continue;
            const k = String(p.key.value);
            walk(p.value, prefix.length > 0 && keys === prefix && k === "global" ? ["global"] : [...keys, k]);
          }
      } else if (isSeq(node)) {
        kinds.set(id, "seq");
        const value: unknown = node.toJSON();
        if (Array.isArray(value)) seqs.push({ keys, value });
      } else {
        scalars.push(keys);
        kinds.set(id, "scalar");
        if (isScalar(node)) scalarValues.set(id, node.value);
      }
    };
    walk(v.doc.contents, prefix);
    // Keys the templates name (`.Values.podSecurityContext` that values.yaml does not default).
  }
  // Keys whose default is null or absent that a template writes where a list belongs (under
  // `env:`, `volumes:`, ...): a list, whatever a map set there would render. A map set there lands
  // at the wrong indentation as YAML of its own (rancher's `extraEnv.securityContext` rendered as
  // the container's `securityContext:`): that is YAML injection, not a values key that controls the
  // field, so no candidate goes below such a key.
  const listKeys = new Set<string>();
  for (const [source, t] of facts.templates) {
    const prefix = chartPrefix(source);
    t.lines.forEach((line, i) => {
      if (!/\b(?:toYaml|with)\b/.test(line)) return;
      // What a `with` writes is its body: a key line there (`securityContext:`) takes the block
      // as its map, wherever the `with` stands (after a list's last item: nfs-server-provisioner's
      // `with .Values.podSecurityContext` below `containers:`).
      let at = i;
      if (!/\btoYaml\b/.test(line)) {
        at = i + 1;
        while (at < t.lines.length && /^\s*\{\{-?\s*(?:if|else|end|with|range|\/\*)/.test(t.lines[at] ?? ""))
          at++;
        if (/^\s*[\w.-]+:/.test(t.lines[at] ?? "")) return;
      }
      if (!inListContext(t.lines, at)) return;
      for (const r of valuesRefs(line))
        listKeys.add(JSON.stringify(r[0] === "global" ? r : [...prefix, ...r]));
    });
  }
  for (const [source, t] of facts.templates) {
    const prefix = chartPrefix(source);
    for (const line of t.lines) {
      if (/\brange\b/.test(line))
        for (const r of valuesRefs(line))
          ranged.add(JSON.stringify(r[0] === "global" ? r : [...prefix, ...r]));
      // Only keys a template uses as a block (a scalar set to a map breaks `semverCompare` and the like).
      if (!/\b(?:toYaml|with|merge|mergeOverwrite)\b/.test(line)) continue;
      for (const r of valuesRefs(line)) {
        const keys = r[0] === "global" ? r : [...prefix, ...r];
        const kind = kinds.get(JSON.stringify(keys));
        if (listKeys.has(JSON.stringify(keys)) && (kind === undefined || kind === "scalar")) {
          kinds.set(JSON.stringify(keys), "seq");
          continue;
        }
        if (kind === "scalar" && nulls.some((n) => JSON.stringify(n) === JSON.stringify(keys))) {
          kinds.set(JSON.stringify(keys), "map");
          if (/nnotations|abels|elector$/.test(keys[keys.length - 1] ?? "")) flatMaps.push(keys);
          else maps.push(keys);
          continue;
        }
        if (kind !== undefined) continue;
        kinds.set(JSON.stringify(keys), "map");
        if (/nnotations|abels|elector$/.test(keys[keys.length - 1] ?? "")) flatMaps.push(keys);
        else maps.push(keys);
      }
    }
  }
  const kindAt = (k: readonly string[]) => kinds.get(JSON.stringify(k));
  const notRanged = (k: readonly string[]) => !ranged.has(JSON.stringify(k));
  return {
    maps: maps.filter(notRanged),
    flatMaps: flatMaps.filter(notRanged),
    scalars,
    seqs,
    scalarAt: (k) => scalarValues.get(JSON.stringify(k)),
    ranged: (k) => ranged.has(JSON.stringify(k)),
    blocked(keys) {
      for (let i = 1; i <= keys.length; i++) {
        const kind = kindAt(keys.slice(0, i));
        if (kind === "seq" || (kind === "scalar" && i < keys.length)) return true;
      }
      return false;
    },
    isScalarAt: (k) => kindAt(k) === "scalar",
    kindAt,
  };
}

const INCLUDE_RE = /\b(?:include|template)\s+"([^"]+)"/g;

/**
 * The values keys a template file names, itself or in the named templates it includes (followed
 * by name, transitively): `.Values.a.b`, `$.Values.a.b`, relative to the chart that renders the
 * file (a library chart's helper reads the values of the chart that includes it). A template named
 * by a computed name is not followed. Versions and counts are left out (a `kubeVersion` key, a key
 * any template compares with `semverCompare` or counts with `until`): a string marker there breaks
 * every render it is in, and a numeric one makes `until` loop millions of times (postgresql-ha's
 * pgpool nodes), for nothing a field takes.
 */
function namedRefs(facts: ChartFacts): (source: string) => string[][] {
  const defines = new Map<string, Define>();
  const skip = new Set<string>();
  for (const t of facts.templates.values()) {
    indexDefines(t, defines);
    for (const line of t.lines)
      if (/\b(?:semver(?:Compare)?|until(?:Step)?)\b/.test(line))
        for (const r of valuesRefs(line)) skip.add(r.join("."));
  }
  const direct = (lines: readonly string[]) => {
    const refs: string[][] = [];
    const includes: string[] = [];
    for (const line of lines) {
      refs.push(
        ...valuesRefs(line).filter((r) => r[r.length - 1] !== "kubeVersion" && !skip.has(r.join("."))),
      );
      for (const m of line.matchAll(INCLUDE_RE)) if (m[1] !== undefined) includes.push(m[1]);
    }
    return { refs, includes };
  };
  const ofDefine = new Map<string, { refs: string[][]; includes: string[] }>();
  const memo = new Map<string, string[][]>();
  return (source) => {
    let out = memo.get(source);
    if (out !== undefined) return out;
    const t = facts.templates.get(source);
    if (t === undefined) return [];
    const top = direct(t.lines);
    const refs = new Map<string, string[]>();
    for (const r of top.refs) refs.set(r.join("."), r);
    const seen = new Set<string>();
    const queue = [...top.includes];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      let d = ofDefine.get(name);
      if (d === undefined) {
        const def = defines.get(name);
        d =
          def === undefined
            ? { refs: [], includes: [] }
            : direct(def.file.lines.slice(def.start, def.end + 1));
        ofDefine.set(name, d);
      }
      for (const r of d.refs) refs.set(r.join("."), r);
      queue.push(...d.includes);
    }
    out = [...refs.values()];
    memo.set(source, out);
    return out;
  };
}

/** Kubernetes fields whose value is a list. */
const LIST_FIELDS = new Set([
  "args",
  "command",
  "containers",
  "env",
  "envFrom",
  "ephemeralContainers",
  "hostAliases",
  "imagePullSecrets",
  "initContainers",
  "ports",
  "readinessGates",
  "tolerations",
  "topologySpreadConstraints",
  "volumeDevices",
  "volumeMounts",
  "volumes",
]);

/**
 * Whether template line `i` writes where a list belongs: the nearest line above it at its
 * indentation or less (passing list items at its indentation and control lines) is a bare key of
 * a Kubernetes list field (`env:`, `volumes:`).
 */
function inListContext(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? "";
  const n = /\|\s*n?indent\s+(\d+)/.exec(line);
  const indent =
    n?.[1] !== undefined && line.trimStart().startsWith("{{")
      ? Number(n[1])
      : line.length - line.trimStart().length;
  for (let j = i - 1; j >= 0; j--) {
    const l = lines[j] ?? "";
    const t = l.trim();
    if (t === "" || t.startsWith("#") || /^\{\{-?\s*(?:if|else|end|with|range|\/\*|-?\s*\$)/.test(t))
      continue;
    const at = l.length - l.trimStart().length;
    if (at > indent || (at === indent && t.startsWith("- "))) continue;
    const key = /^([\w.-]+):\s*$/.exec(t)?.[1];
    return key !== undefined && LIST_FIELDS.has(key);
  }
  return false;
}

/** Tails of a field that a values block may hold: `readOnlyRootFilesystem`, `securityContext.readOnlyRootFilesystem`. */
function tails(field: Path): string[][] {
  const out: string[][] = [];
  for (let n = 1; n <= Math.min(3, field.length); n++) {
    const t = field.slice(field.length - n);
    // Object structure (`spec.template.spec`) is the template's, never a values block's.
    if (t.some((k) => typeof k !== "string" || STRUCTURE.has(k))) break;
    out.push(t as string[]);
  }
  return out;
}

const METADATA = new Set(["labels", "annotations"]);
const STRUCTURE = new Set(["spec", "template", "metadata", "jobTemplate", "containers", "initContainers"]);

function setIn(o: Obj, keys: readonly string[], value: unknown): boolean {
  let cur = o;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i] ?? "";
    const next = cur[k];
    if (next === undefined) cur[k] = {};
    else if (!isObj(next)) return false;
    cur = cur[k] as Obj;
  }
  const last = keys[keys.length - 1] ?? "";
  if (cur[last] !== undefined) return false;
  cur[last] = value;
  return true;
}

const CACHE = join(tmpdir(), "kubeward-probe-cache");

function render(chartDir: string, flags: string[], overlay: Obj): string | undefined {
  const text = stringify(overlay);
  const hash = createHash("sha256")
    .update(chartDir + "\0" + flags.join(" ") + "\0" + text)
    .digest("hex")
    .slice(0, 24);
  mkdirSync(CACHE, { recursive: true });
  const cached = join(CACHE, `${hash}.out`);
  if (existsSync(cached)) {
    const t = readFileSync(cached, "utf8");
    return t === "\0FAILED" ? undefined : t;
  }
  const file = join(CACHE, `${hash}.values.yaml`);
  writeFileSync(file, text);
  const helm = findHelm();
  if (helm === undefined) throw new Error("no helm");
  let out: string | undefined;
  try {
    out = execFileSync(
      helm.command,
      [
        ...helm.prefix,
        "template",
        "release-name",
        chartDir,
        "--namespace",
        "default",
        ...flags,
        "--skip-schema-validation",
        "-f",
        file,
      ],
      {
        env: helmEnv(process.env),
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 120_000,
      },
    ).toString("utf8");
  } catch (e) {
    if (process.env["KW_PROBE_DEBUG"] !== undefined)
      console.error(String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 400));
    out = undefined;
  }
  writeFileSync(cached, out ?? "\0FAILED");
  return out;
}

function parseRender(out: string): Map<string, Obj[]> {
  const objects = new Map<string, Obj[]>();
  for (const chunk of splitBySource(out)) {
    for (const d of parseAllDocuments(chunk.text)) {
      if (!("toJS" in d)) continue;
      let o: unknown;
      try {
        o = d.toJS({ maxAliasCount: 1000 });
      } catch {
        continue;
      }
      if (!isObj(o)) continue;
      const meta = isObj(o["metadata"]) ? o["metadata"] : {};
      const key = `${String(o["kind"])}/${String(meta["name"])}`;
      objects.set(key, [...(objects.get(key) ?? []), o]);
    }
  }
  return objects;
}

const MARKER_RE = /kwp(\d+)x|\b(71\d{5}7)\b/g;
const HAS_MARKER = /kwp\d+x|\b71\d{5}7\b/;

/** The marker of candidate `i`: a string, or (where the default is a number) a number. */
function marker(i: number, numeric: boolean): string | number {
  return numeric ? 71000007 + (i % 99999) * 10 : `kwp${String(i)}x`;
}

interface Candidate {
  keys: string[];
  /** What the probe values file sets at `keys`: a marker, a list of one, or a marked copy of a list. */
  value: unknown;
  /** Each marker in `value` and the values path it stands for (`rules[0].verbs[1]`). */
  markers: Map<string, string>;
  /** The map of the chart's values that the candidate extends by a field's tail. */
  base?: string[];
  /** A list of the defaults, or a scalar, that holds one of these list-item values. */
  holds?: Set<string>;
}

/**
 * A finding on an item of a list (`rules[2].verbs[0]`, `capabilities.add[1]`,
 * `volumeMounts[5]`): no field of its own. What it is about is the item, or for RBAC rules the
 * grant of the rule item: its `apiGroups`, `resources`, `verbs` and `nonResourceURLs`. A values
 * key reaches it when its marker renders at or below one of those, in the same item (found again
 * in a probe render as the item that equals the default one, up to markers).
 */
interface ListUnit {
  /** The list the item is in. */
  list: Path;
  index: number;
  /** The parts of the item the finding is about, relative to it (`[]`: the whole item). */
  parts: string[][];
  /** The list's names a values block may hold (`verbs`; `add`, `capabilities.add`, ...). */
  tails: string[][];
}

const GRANT = [["apiGroups"], ["resources"], ["verbs"], ["nonResourceURLs"]];

function listUnitOf(f: Finding): ListUnit | undefined {
  const p = f.path;
  const n = p.length;
  const last = p[n - 1];
  if (f.exact === false || typeof last !== "number" || n < 2) return undefined;
  const rule = p[n - 3];
  if (n >= 4 && p[n - 4] === "rules" && typeof rule === "number" && typeof p[n - 2] === "string")
    return { list: p.slice(0, n - 3), index: rule, parts: GRANT, tails: GRANT };
  const list = p.slice(0, n - 1);
  // A container is no item a finding is about: a marker anywhere in it (its image) says
  // nothing of what the rule reports there.
  if (/^(?:initC|c|ephemeralC)ontainers$/.test(String(list[list.length - 1]))) return undefined;
  return { list, index: last, parts: [[]], tails: tails(list) };
}

/** The strings of a list item's parts in the default render (what a values key would have set). */
function stringsIn(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) for (const x of v) stringsIn(x, out);
  else if (isObj(v)) for (const x of Object.values(v)) stringsIn(x, out);
  return out;
}

/** Whether a probe render's value is the default one, up to markers (a marker matches anything). */
function sameUpToMarkers(d: unknown, p: unknown): boolean {
  if ((typeof p === "string" || typeof p === "number") && HAS_MARKER.test(String(p))) return true;
  if (Array.isArray(p)) {
    if (!Array.isArray(d)) return false;
    // A list a marker list replaced.
    if (p.length > 0 && p.every((x) => typeof x === "string" && HAS_MARKER.test(x))) return true;
    return d.length === p.length && d.every((x, i) => sameUpToMarkers(x, p[i]));
  }
  if (isObj(p)) {
    if (!isObj(d)) return false;
    for (const k of Object.keys(d)) if (!(k in p) || !sameUpToMarkers(d[k], p[k])) return false;
    for (const k of Object.keys(p)) if (!(k in d) && !HAS_MARKER.test(k) && !hasMarker(p[k])) return false;
    return true;
  }
  return d === p;
}

function hasMarker(v: unknown): boolean {
  let found = false;
  collect(v, [], () => {
    found = true;
  });
  return found;
}

/** The values paths from a list's key down to one of its leaves: `k`, `k[0]`, `k[0].verbs`, `k[0].verbs[1]`. */
function pathsDown(root: string, path: string): string[] {
  const out = [root];
  let at = root;
  for (const m of path.slice(root.length).matchAll(/\[\d+\]|\.[^.[]+/g)) {
    if (HAS_MARKER.test(m[0])) break;
    at += m[0];
    out.push(at);
  }
  return out;
}

/** A copy of a list with a marker in place of each string (`next` gives the markers). */
function marked(v: unknown, path: string, next: () => string, markers: Map<string, string>): unknown {
  if (typeof v === "string") {
    const m = next();
    markers.set(m, path);
    return m;
  }
  if (Array.isArray(v)) return v.map((x, i) => marked(x, `${path}[${String(i)}]`, next, markers));
  if (isObj(v))
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, marked(x, `${path}.${k}`, next, markers)]),
    );
  return v;
}

/**
 * Probes every finding of one chart. `flags` are extra helm flags (`--kube-version`).
 */
export function probeChart(
  chartDir: string,
  flags: string[],
  findings: Finding[],
): Map<Finding, ProbeResult> {
  const result = new Map<Finding, ProbeResult>();
  const facts = chartFacts(chartDir, chartDir);
  const defaults = defaultsOf(facts);
  const refsOf = namedRefs(facts);
  // The render with the defaults: which chart wrote each object (a subchart's templates see only
  // its own values and `global`), and the list items of list-item findings.
  const baseText = render(chartDir, flags, {});
  const base = baseText === undefined ? new Map<string, Obj[]>() : parseRender(baseText);
  const scopes = new Map<string, string[]>();
  /** The template files that wrote each object (kind/name). */
  const sources = new Map<string, Set<string>>();
  if (baseText !== undefined)
    for (const chunk of splitBySource(baseText)) {
      const prefix = chartPrefix(chunk.source);
      for (const key of parseRender(chunk.text).keys()) {
        sources.set(key, (sources.get(key) ?? new Set()).add(chunk.source));
        const had = scopes.get(key);
        // An object written by two charts: what both see.
        const common = had?.findIndex((k, i) => prefix[i] !== k) ?? -1;
        scopes.set(key, had === undefined ? prefix : common === -1 ? had : had.slice(0, common));
      }
    }
  const scopeOf = (f: Finding): string[] =>
    scopes.get(`${f.resource?.kind ?? ""}/${f.resource?.name ?? ""}`) ?? [];
  const inScope = (keys: readonly string[], scope: readonly string[]): boolean =>
    keys[0] === "global" || scope.every((k, i) => keys[i] === k);

  // Candidate values paths, each with its marker.
  // Each candidate belongs to a group: the map it extends (`podSecurityContext` for all of
  // `podSecurityContext.*`), else itself. A failed render is split by groups first, so that a map
  // that breaks the chart whatever is set below it is found once, not once per tail.
  const candidates = new Map<string, Candidate>();
  let count = 0;
  const nextMarker = () => String(marker(count++, false));
  const add = (keys: string[], how: "marker" | "list", base?: readonly string[]) => {
    const id = JSON.stringify(keys);
    if (candidates.has(id) || keys.length === 0) return;
    const m = nextMarker();
    candidates.set(id, {
      keys,
      value: how === "list" ? [m] : m,
      markers: new Map([[m, formatKeys(keys)]]),
      ...(base !== undefined ? { base: [...base] } : {}),
    });
  };
  interface Probed {
    f: Finding;
    field: Path;
    scope: string[];
    unit?: ListUnit;
    /** A list-item finding's strings in the default render. */
    strings?: Set<string>;
    /** The values keys whose marker reached it so far. */
    reached: Set<string>;
    /**
     * Whether the finding is about what a map lacks, naming no key of it (LACKING_RULES): a values
     * key reaches it only when any key set below it renders below the field, which is what a
     * values override that adds the missing setting needs.
     */
    wholeMap?: true;
    /**
     * Values keys whose markers rendered below such a map only at keys the template names
     * (`runAsUser: {{ .Values.x.securityContext.runAsUser }}`), each with the `enabled` key that
     * was flipped in that render: each is rendered again with a fresh key below it.
     */
    pending?: Map<string, string[] | undefined>;
    /** Scalar values keys (JSON) the templates that wrote its object name (`namedRefs`). */
    named?: Set<string>;
  }
  const probed: Probed[] = [];
  /** Per scope (JSON): the tails of its findings' fields, the field names, the list items' tails and strings. */
  interface Wanted {
    scope: string[];
    tails: Map<string, string[]>;
    names: Set<string>;
    listTails: Map<string, string[]>;
    strings: Set<string>;
  }
  const wanted = new Map<string, Wanted>();
  for (const f of findings) {
    const field = fieldOf(f);
    const last = field[field.length - 1];
    const scope = scopeOf(f);
    const w: Wanted = wanted.get(JSON.stringify(scope)) ?? {
      scope,
      tails: new Map(),
      names: new Set(),
      listTails: new Map(),
      strings: new Set(),
    };
    wanted.set(JSON.stringify(scope), w);
    const unit = field === f.path ? listUnitOf(f) : undefined;
    if (unit !== undefined) {
      const item = unitItem(base, f, unit, byContainerName);
      if (item === undefined) {
        result.set(f, { reached: [], unsure: "the list item is not in the render with the defaults" });
        continue;
      }
      const strings = new Set<string>();
      for (const part of unit.parts) stringsIn(valueAt(item, part), strings);
      for (const t of unit.tails) w.listTails.set(JSON.stringify(t), t);
      // (Not the empty string: the core API group, the default of countless keys.)
      strings.delete("");
      for (const s of strings) w.strings.add(s);
      probed.push({ f, field, scope, unit, strings, reached: new Set() });
      continue;
    }
    if (field === ROLE_NAME) {
      // Reached by a key that writes the role's name: one whose default is that name.
      const strings = new Set<string>();
      for (const o of objectsOf(base, f)) stringsIn(valueAt(o, field), strings);
      for (const s of strings) w.strings.add(s);
      probed.push({ f, field, scope, strings, reached: new Set() });
      continue;
    }
    if (f.exact !== false && field === f.path && typeof last !== "string") {
      result.set(f, { reached: [], unsure: "the rule names a container or pod, not a field" });
      continue;
    }
    const wholeMap = LACKING_RULES.has(f.ruleId) && fixField(f) === undefined;
    probed.push({ f, field, scope, reached: new Set(), ...(wholeMap ? { wholeMap } : {}) });
    // A missing field may come from a values block; an existing one from a scalar key of its name.
    if (f.exact === false || field !== f.path)
      for (const t of tails(field)) w.tails.set(JSON.stringify(t), t);
    if (typeof last === "string") w.names.add(last);
  }
  // The findings' own values paths first, rendered on their own: a failure elsewhere must not
  // leave them unchecked.
  for (const f of findings)
    if (f.values?.path !== undefined) {
      const keys = f.values.path.replace(/\[(\d+)\]/g, ".$1").split(".");
      if (!keys.some((k) => /^\d+$/.test(k)) && !defaults.blocked(keys.slice(0, -1))) add(keys, "marker");
    }
  const ownCount = candidates.size;
  const later: Candidate[] = [];
  const before = new Set(candidates.keys());
  for (const w of wanted.values()) {
    const maps = defaults.maps.filter((m) => inScope(m, w.scope));
    for (const m of maps)
      for (const t of w.tails.values()) {
        const keys = [...m, ...t];
        // Only where the defaults have nothing: a marker over a map or a scalar changes what renders.
        if (!defaults.blocked(keys) && defaults.kindAt(keys) === undefined) add(keys, "marker", m);
      }
    for (const m of defaults.flatMaps)
      if (inScope(m, w.scope))
        for (const t of w.tails.values())
          if (t.length === 1 && defaults.kindAt([...m, ...t]) === undefined) add([...m, ...t], "marker", m);
    for (const s of defaults.scalars) {
      const name = s[s.length - 1];
      if (name === undefined || !inScope(s, w.scope) || defaults.blocked(s.slice(0, -1))) continue;
      const v = defaults.scalarAt(s);
      if (w.names.has(name) || (typeof v === "string" && w.strings.has(v))) add(s, "marker");
    }
    // A list-item finding: a list of the defaults that holds its value (each string of the list
    // gets a marker of its own), and a list set where the defaults have nothing.
    for (const m of maps)
      for (const t of w.listTails.values()) {
        const keys = [...m, ...t];
        if (!defaults.blocked(keys) && defaults.kindAt(keys) === undefined) add(keys, "list", m);
      }
    for (const { keys, value } of defaults.seqs) {
      const id = JSON.stringify(keys);
      if (candidates.has(id) || !inScope(keys, w.scope) || defaults.blocked(keys.slice(0, -1))) continue;
      const holds = new Set([...stringsIn(value, new Set())].filter((s) => w.strings.has(s)));
      if (holds.size === 0) continue;
      const markers = new Map<string, string>();
      candidates.set(id, {
        keys,
        value: marked(value, formatKeys(keys), nextMarker, markers),
        markers,
        holds,
      });
    }
  }
  for (const [id, c] of candidates) if (!before.has(id)) later.push(c);
  // Scalar keys the templates name (`.Values.serviceAccount.name` in the helper that writes
  // `serviceAccountName`), for each finding the keys its object's template files and the named
  // templates they include name, within the finding's scope: a scalar (a string, a number, null, a
  // boolean) or a key without a default that no other named key goes below. Each is rendered with a
  // marker after all the others (those no other candidate sets), within a budget of its own.
  const byNamed = new Map<string, { keys: string[]; of: Probed[] }>();
  for (const p of probed) {
    if (p.unit !== undefined || p.strings !== undefined) continue;
    const keys = new Map<string, string[]>();
    for (const source of sources.get(`${p.f.resource?.kind ?? ""}/${p.f.resource?.name ?? ""}`) ?? []) {
      const prefix = chartPrefix(source);
      for (const r of refsOf(source)) {
        const k = r[0] === "global" ? r : [...prefix, ...r];
        if (inScope(k, p.scope)) keys.set(JSON.stringify(k), k);
      }
    }
    const asMap = new Set<string>();
    for (const k of keys.values())
      for (let i = 1; i < k.length; i++) asMap.add(JSON.stringify(k.slice(0, i)));
    for (const [id, k] of keys) {
      const kind = defaults.kindAt(k);
      if (kind === "map" || kind === "seq" || (kind === undefined && asMap.has(id))) continue;
      if (defaults.blocked(k) || defaults.ranged(k)) continue;
      (p.named ??= new Set()).add(id);
      const n = byNamed.get(id) ?? { keys: k, of: [] };
      n.of.push(p);
      byNamed.set(id, n);
    }
  }
  if (process.env["KW_PROBE_DEBUG"] !== undefined)
    for (const w of wanted.values())
      console.error(
        `scope ${formatKeys(w.scope) || "(top)"}: ${String(later.filter((c) => inScope(c.keys, w.scope)).length)} candidates, tails ${[...w.tails.keys()].length}, list tails ${[...w.listTails.keys()].length}`,
      );
  // A key whose default is a boolean: its marker (a string) is true in an `if`, which may hide
  // what the others write (cilium's `securityContext.privileged` turns the container's
  // capabilities off): those are rendered apart from the rest.
  const isBool = (c: Candidate) => typeof defaults.scalarAt(c.keys) === "boolean";
  // Candidates of one chart together, so that a split render keeps them apart from the others'.
  later.sort((a, b) => formatKeys(a.base ?? a.keys).localeCompare(formatKeys(b.base ?? b.keys)));
  const byMarker = new Map<string, { path: string; root: string }>();
  const register = (c: Candidate) => {
    for (const [m, path] of c.markers) byMarker.set(m, { path, root: formatKeys(c.keys) });
  };
  /**
   * The markers of the scalar keys the templates name: each reaches a field only where it renders
   * in the field's own value (argo-cd's `redis.name` renders at a `secretKeyRef`'s `name`, which
   * makes `redis` no block of that map).
   */
  const namedMarkers = new Set<string>();
  for (const c of candidates.values()) register(c);

  /** What one render shows: the markers at each finding's field. */
  const see = (objects: Map<string, Obj[]>, gate?: string[], hidden?: ReadonlySet<Probed>): void => {
    for (const p of probed) {
      if (hidden?.has(p) === true) continue;
      const { f, field, unit, reached } = p;
      const key = `${f.resource?.kind ?? ""}/${f.resource?.name ?? ""}`;
      for (const o of objectsOf(objects, f)) {
        if (unit !== undefined) {
          const item = unitItem(new Map([[key, [o]]]), f, unit, byContainerName, base);
          if (item === undefined) continue;
          for (const part of unit.parts)
            collect(valueAt(item, part), [], (m) => {
              const at = byMarker.get(m);
              if (at !== undefined) for (const down of pathsDown(at.root, at.path)) reached.add(down);
            });
          continue;
        }
        const at = byContainerName(o, field, f);
        if (at === undefined) continue;
        const v = valueAt(o, at);
        if (v === undefined) continue;
        // An existing list (of containers, ports) is not a field a values key sets; an existing
        // map is set by the values block whose keys render in it (a key `k` of it renders at
        // `k` below the field): Bitnami's `securityContext: {{ omit .Values.containerSecurityContext
        // "enabled" | toYaml }}`. Not object structure (`spec`), where any block would render,
        // nor metadata (`labels`: a finding there, a workload no NetworkPolicy selects, is about
        // what the labels are matched with, not about a key a values block adds).
        const existing = f.exact !== false && field === f.path;
        const name = String(field[field.length - 1]);
        if (existing && (Array.isArray(v) || (isObj(v) && (STRUCTURE.has(name) || METADATA.has(name)))))
          continue;
        collect(v, [], (m, inner) => {
          if (existing && isObj(v) && inner.length === 0) return;
          const at = byMarker.get(m);
          if (at === undefined || (inner.length > 0 && namedMarkers.has(m))) return;
          // A marker below the field: the values key is the marker's path less that tail.
          const keys = at.path.split(".");
          const tail = inner.map(String);
          if (tail.length > 0 && keys.slice(-tail.length).join(".") !== tail.join(".")) return;
          if (keys.length <= tail.length) return;
          const k = keys.slice(0, keys.length - tail.length).join(".");
          // A map the finding names no key of: only a fresh key below `k` shows that `k` sets it.
          if (p.wholeMap === true && !FRESH_KEY.test(tail[0] ?? "")) {
            if (!reached.has(k)) (p.pending ??= new Map()).set(k, gate);
          } else reached.add(k);
        });
      }
    }
  };
  /**
   * A boolean key flipped: it reaches a field that takes its value there and had another with the
   * defaults.
   */
  const seeFlip = (keys: string[], value: boolean, objects: Map<string, Obj[]>): void => {
    for (const { f, field, unit, reached } of probed) {
      if (unit !== undefined) continue;
      const was = objectsOf(base, f).map((o) => valueAt(o, field));
      for (const o of objectsOf(objects, f)) {
        const p = byContainerName(o, field, f);
        if (p !== undefined && valueAt(o, p) === value && !was.includes(value)) reached.add(formatKeys(keys));
      }
    }
  };
  /** Whether a candidate could have reached a finding (its field's tail, its name, its value). */
  /** The candidates of scalar keys the templates name, set after all others. */
  const namedSet = new Set<Candidate>();
  const relevant = ({ field, scope, unit, strings, named }: Probed, c: Candidate): boolean => {
    if (!inScope(c.keys, scope)) return false;
    if (namedSet.has(c)) return named?.has(JSON.stringify(c.keys)) === true;
    const own = (unit?.tails ?? tails(field)).map((t) => t.join("."));
    const text = c.keys.join(".");
    const holds = (): boolean => {
      if (strings === undefined) return false;
      const v = defaults.scalarAt(c.keys);
      return c.holds !== undefined
        ? [...c.holds].some((x) => strings.has(x))
        : typeof v === "string" && strings.has(v);
    };
    if (unit !== undefined) return holds() || own.some((t) => text.endsWith(`.${t}`));
    if (strings !== undefined) return holds();
    return (
      own.some((t) => text.endsWith(`.${t}`)) || c.keys[c.keys.length - 1] === String(field[field.length - 1])
    );
  };
  // Findings not reached yet, by the last key of the candidates that could reach them: a candidate
  // that can reach none of them is left out of the renders still to come (it cannot change what
  // the probe says of any finding).
  const byLast = new Map<string, Probed[]>();
  const byValue: Probed[] = [];
  for (const p of probed) {
    if (p.strings !== undefined) byValue.push(p);
    const names =
      p.unit !== undefined
        ? p.unit.tails.map((t) => t[t.length - 1] ?? "")
        : [String(p.field[p.field.length - 1])];
    for (const n of names) byLast.set(n, [...(byLast.get(n) ?? []), p]);
  }
  const needed = (c: Candidate): boolean =>
    (namedSet.has(c) && (byNamed.get(JSON.stringify(c.keys))?.of ?? []).some((p) => p.reached.size === 0)) ||
    (byLast.get(c.keys[c.keys.length - 1] ?? "") ?? []).some((p) => p.reached.size === 0 && relevant(p, c)) ||
    ((c.holds !== undefined || typeof defaults.scalarAt(c.keys) === "string") &&
      byValue.some((p) => p.reached.size === 0 && relevant(p, c)));

  // Render with all candidates; split those that fail.
  let renders = 0;
  /** Renders with one boolean key flipped (a marker string breaks `ternary` and the like). */
  let flips = 0;
  /** Renders with a fresh key below a values key seen in a whole map (at most 200 per chart). */
  let verifies = 0;
  /** Candidates left out of every render that succeeded, with why. */
  // (`notmap`: the chart does not render with any key set below the candidate's map, which is
  // then no values block: none of its candidates can reach a field, and none leaves a finding
  // unsure. `alone`: the chart does not render with this one key set. `budget`: never tried alone.)
  // (`hides`: a key the templates name whose marker, set alone, leaves out the object of a finding
  // it could reach (`fullnameOverride` renames every object): the key is what the object is, not
  // a value of its field.)
  const failed: { c: Candidate; why: "alone" | "budget" | "notmap" | "hides" }[] = [];
  const list = [...candidates.values()].slice(0, ownCount).concat(
    later.filter((c) => !isBool(c)),
    later.filter(isBool),
  );
  const plain = ownCount + later.filter((c) => !isBool(c)).length;
  // A failed render is split in two, by groups while it holds several, within a budget of renders
  // per chart (a chart that ranges over many maps would otherwise take hundreds). A group that fails
  // on its own is tried once with a single key at its map (a map there breaks the chart: all of
  // them fail alone) before its candidates are split. What the budget leaves untried is unsure.
  const budgetAtStart = Number(process.env["KW_PROBE_BUDGET"] ?? 500);
  let budget = budgetAtStart;
  /**
   * In the renders of the named keys: whether the last render left out the object of a finding
   * that one of its keys could reach (counted as failed, so that the render is split).
   */
  let hid = false;
  const tryRender = (part: readonly Candidate[]): boolean => {
    const overlay: Obj = {};
    for (const c of part) setIn(overlay, c.keys, c.value);
    const out = render(chartDir, flags, overlay);
    hid = false;
    if (out === undefined) return false;
    renders++;
    const objects = parseRender(out);
    // The findings whose object this render lacks, by its exact name: rancher's `nameOverride`
    // renames the Deployment `release-name-rancher` to one a marker of the same length would find
    // again as a random name (what such a render shows of them is left unseen).
    const hidden = new Set<Probed>();
    for (const c of part) {
      if (!namedSet.has(c)) continue;
      for (const p of byNamed.get(JSON.stringify(c.keys))?.of ?? [])
        if (p.reached.size === 0 && !objects.has(objectKey(p.f)) && base.has(objectKey(p.f))) hidden.add(p);
    }
    see(objects, undefined, hidden);
    hid = hidden.size > 0;
    return !hid;
  };
  /**
   * A key the chart does not render with alone, set again as its default's type says: a number
   * for a number, a key of its own below a map, the other value for a boolean (whose render is
   * compared with the default one: a boolean cannot carry a marker).
   */
  const retyped = (c: Candidate): boolean => {
    const kind = defaults.kindAt(c.keys);
    const was = defaults.scalarAt(c.keys);
    if (typeof c.value !== "string" || budget-- <= 0) return false;
    if (typeof was === "boolean") {
      const overlay: Obj = {};
      setIn(overlay, c.keys, !was);
      const out = render(chartDir, flags, overlay);
      if (out === undefined) return false;
      flips++;
      seeFlip(c.keys, !was, parseRender(out));
      return true;
    }
    // (Not a key the templates name: a numeric marker there may be a count, `until` through a
    // variable loops millions of times: postgresql-ha's `$postgresqlReplicaCount`.)
    if (namedSet.has(c)) return false;
    // A number for a number; for a key without a default, a number (`replicas`), else a map
    // (`hpa.memory`, which the chart reads keys of); a key of its own below a map.
    const numeric = (): Candidate => {
      const m = marker(count++, true);
      return { keys: c.keys, value: m, markers: new Map([[String(m), formatKeys(c.keys)]]) };
    };
    const below = (): Candidate => {
      const m = nextMarker();
      return { keys: [...c.keys, m], value: m, markers: new Map([[m, formatKeys([...c.keys, m])]]) };
    };
    const tries =
      typeof was === "number"
        ? [numeric]
        : kind === "map"
          ? [below]
          : kind === undefined
            ? [numeric, below]
            : [];
    for (const [n, make] of tries.entries()) {
      if (n > 0 && budget-- <= 0) return false;
      const again = make();
      for (const [m, path] of again.markers) byMarker.set(m, { path, root: formatKeys(c.keys) });
      if (tryRender([again])) return true;
    }
    return false;
  };
  /** Whether the chart renders with one key set below a map (each map asked once). */
  const atBase = new Map<string, boolean>();
  const rendersAt = (at: readonly string[]): boolean => {
    const id = JSON.stringify(at);
    let ok = atBase.get(id);
    if (ok === undefined) {
      if (budget-- <= 0) return true;
      const overlay: Obj = {};
      setIn(overlay, [...at, "kwpbasex"], "kwpbasex");
      ok = render(chartDir, flags, overlay) !== undefined;
      atBase.set(id, ok);
    }
    return ok;
  };
  const groupsOf = (part: readonly Candidate[]): Candidate[][] => {
    const by = new Map<string, Candidate[]>();
    for (const c of part) {
      const g = JSON.stringify(c.base ?? c.keys);
      by.set(g, [...(by.get(g) ?? []), c]);
    }
    return [...by.values()];
  };
  const attempt = (all: readonly Candidate[], depth: number, own = false): void => {
    const part = own ? all : all.filter(needed);
    if (part.length === 0) return;
    if (budget-- <= 0) {
      failed.push(...part.map((c) => ({ c, why: "budget" as const })));
      return;
    }
    if (tryRender(part)) return;
    const groups = groupsOf(part);
    if (groups.length > 1 && depth <= 40) {
      const half = Math.ceil(groups.length / 2);
      attempt(groups.slice(0, half).flat(), depth + 1, own);
      attempt(groups.slice(half).flat(), depth + 1, own);
      return;
    }
    // One group (also of one candidate): does a map at its base render at all?
    const at = part[0]?.base;
    if (groups.length === 1 && at !== undefined && !rendersAt(at)) {
      failed.push(...part.map((c) => ({ c, why: "notmap" as const })));
      return;
    }
    if (part.length === 1 || depth > 40) {
      for (const c of part)
        if (part.length > 1) failed.push({ c, why: "budget" });
        else if (hid) failed.push({ c, why: "hides" });
        else if (!retyped(c)) failed.push({ c, why: "alone" });
      return;
    }
    const half = Math.ceil(part.length / 2);
    const single = (c: Candidate): Candidate => {
      const copy = { ...c };
      delete copy.base;
      return copy;
    };
    attempt(part.slice(0, half).map(single), depth + 1, own);
    attempt(part.slice(half).map(single), depth + 1, own);
  };
  attempt(list.slice(0, ownCount), 0, true);
  attempt(list.slice(ownCount, plain), 0);
  attempt(list.slice(plain), 0);
  // Own values paths that no marker reached yet. A key in an `if`, `eq` or `not` may have taken
  // another branch because of another candidate in the same render (vault's `injector.uid` is
  // written only while `injector.securityContext.pod` is empty, a map other findings' paths set
  // keys below): each is rendered again on its own (as its type says when a string marker breaks
  // the chart: a number, a key below a map). A path into a list of the defaults
  // (`daemonSetVolumes[0].hostPath`) is rendered as a copy of that list with a marker at each of its
  // strings. Still not reached: with the `enabled` key above it flipped to true when that is false
  // by default (Bitnami's `containerSecurityContext.enabled: false` gates the block); then, for a
  // path that is a map of the defaults, each scalar below it gets a marker of its own (gitlab's
  // `init` for an image written from `init.image.repository` and `init.image.tag`): a field that one
  // of those reaches and the path's own marker does not contradicts the path.
  const gates = new Map<Finding, string>();
  const ownTried = new Set<string>();
  const ownKeys = (path: string) => path.replace(/\[(\d+)\]/g, ".$1").split(".");
  const grows = (fn: () => void): Probed[] => {
    const sizes = probed.map((p) => p.reached.size);
    fn();
    return probed.filter((p, i) => p.reached.size > (sizes[i] ?? 0));
  };
  for (const p of probed) {
    const own = p.f.values?.path;
    if (own === undefined || p.reached.has(own) || p.unit !== undefined || budget <= 0) continue;
    const keys = ownKeys(own);
    const at = keys.findIndex((k) => /^\d+$/.test(k));
    if (at !== -1) {
      // A list of the defaults, each string marked (the markers name their paths down the list).
      const root = keys.slice(0, at);
      const seq = defaults.seqs.find((x) => formatKeys(x.keys) === formatKeys(root));
      if (seq === undefined || ownTried.has(formatKeys(root))) continue;
      ownTried.add(formatKeys(root));
      const markers = new Map<string, string>();
      const value = marked(seq.value, formatKeys(root), nextMarker, markers);
      // A field missing below an item a path names (`readOnly` of promtail's
      // `defaultVolumeMounts[0]`) gets a marker in that item, standing for the item: a values
      // file sets a list item whole (helm does not merge lists).
      for (const q of probed) {
        const path = q.f.values?.path;
        if (path === undefined || q.field === q.f.path || q.field.length <= q.f.path.length) continue;
        const qk = ownKeys(path);
        if (formatKeys(qk.slice(0, at)) !== formatKeys(root) || !/^\d+$/.test(qk[at] ?? "")) continue;
        const item = valueAt(
          value,
          qk.slice(at).map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        );
        const extra = q.field.slice(q.f.path.length);
        if (!isObj(item) || extra.some((k) => typeof k !== "string")) continue;
        const m = nextMarker();
        if (setIn(item, extra as string[], m)) markers.set(m, path);
      }
      const c: Candidate = { keys: root, value, markers };
      register(c);
      budget--;
      tryRender([c]);
      continue;
    }
    const c = candidates.get(JSON.stringify(keys));
    if (c === undefined) continue;
    if (!ownTried.has(own)) {
      ownTried.add(own);
      budget--;
      // Also when the string renders but not at the field: a number the template converts
      // (gitlab toolbox's `replicas: {{ .Values.replicas | int }}` renders a string as 0).
      if (!tryRender([c]) || !p.reached.has(own)) retyped(c);
    }
    if (p.reached.has(own)) continue;
    // The `enabled` (or `create`: a ServiceAccount's name is used only when the chart creates it)
    // key nearest above the path, false by default.
    for (let i = keys.length - (defaults.kindAt(keys) === "map" ? 0 : 1); i >= 1; i--) {
      const gate = GATES.map((g) => [...keys.slice(0, i), g]).find((k) => defaults.scalarAt(k) === false);
      if (gate === undefined) continue;
      if (ownTried.has(`${own} ${formatKeys(gate)}`) || budget-- <= 0) break;
      ownTried.add(`${own} ${formatKeys(gate)}`);
      const overlay: Obj = {};
      // A map the path names gets a key of its own below it (a string there breaks `omit`).
      let set = c;
      if (defaults.kindAt(keys) === "map") {
        const m = nextMarker();
        set = { keys: [...keys, m], value: m, markers: new Map([[m, formatKeys([...keys, m])]]) };
        register(set);
      }
      setIn(overlay, gate, true);
      setIn(overlay, set.keys, set.value);
      const out = render(chartDir, flags, overlay);
      if (out !== undefined) {
        renders++;
        for (const q of grows(() => {
          see(parseRender(out), gate);
        }))
          gates.set(q.f, formatKeys(gate));
      }
      break;
    }
    if (p.reached.has(own) || defaults.kindAt(keys) !== "map" || ownTried.has(`${own} below`)) continue;
    ownTried.add(`${own} below`);
    const below = defaults.scalars.filter(
      (k) => k.length > keys.length && keys.every((x, i) => k[i] === x) && !candidates.has(JSON.stringify(k)),
    );
    for (const k of below) add(k, "marker");
    for (const k of below) {
      const bc = candidates.get(JSON.stringify(k));
      if (bc !== undefined) register(bc);
    }
    attempt(
      below.flatMap((k) => {
        const bc = candidates.get(JSON.stringify(k));
        return bc === undefined ? [] : [bc];
      }),
      0,
      true,
    );
  }
  // The scalar keys the templates name that no candidate above set, with a budget of their own
  // (`KW_PROBE_NAMED_BUDGET` renders, 150 by default); booleans apart, as above.
  const named: Candidate[] = [];
  for (const [id, n] of byNamed) {
    if (candidates.has(id) || !n.of.some((p) => p.reached.size === 0)) continue;
    // (A string marker also where the default is a number: see `retyped`.)
    const m = nextMarker();
    const c: Candidate = { keys: n.keys, value: m, markers: new Map([[m, formatKeys(n.keys)]]) };
    candidates.set(id, c);
    namedSet.add(c);
    namedMarkers.add(m);
    register(c);
    named.push(c);
  }
  named.sort((a, b) => formatKeys(a.keys).localeCompare(formatKeys(b.keys)));
  const namedBudget = Number(process.env["KW_PROBE_NAMED_BUDGET"] ?? 150);
  budget = Math.max(budget, 0) + namedBudget;
  const rendersBefore = renders;
  attempt(
    named.filter((c) => !isBool(c)),
    0,
  );
  attempt(named.filter(isBool), 0);
  if (process.env["KW_PROBE_DEBUG"] !== undefined)
    console.error(
      `${chartDir}: ${String(named.length)} named keys in ${String(renders - rendersBefore)} renders, failed: ${failed
        .filter((x) => namedSet.has(x.c))
        .map((x) => `${formatKeys(x.c.keys)}(${x.why})`)
        .join(" ")}`,
    );
  // Keys seen below a whole map only at keys the template names: each is rendered with a fresh key
  // below it (a marker as the key's name; with the `enabled` key that was flipped when it was
  // seen), all in one render first, then each not confirmed there on its own (a fresh key below
  // one may switch an `if` another is in). A key whose fresh key does not render below the field
  // does not reach it: artifact-hub's postgresql writes `runAsUser: {{
  // .Values.volumePermissions.securityContext.runAsUser }}` under a literal `securityContext:`, and
  // no values key adds `seccompProfile` there.
  const verify = new Map<string, { keys: string[]; gate: string[] | undefined; waiting: Probed[] }>();
  for (const p of probed)
    for (const [k, gate] of p.pending ?? []) {
      // (A key inside a list item is set as a copy of the list, which a fresh key cannot stand for.)
      if (p.reached.has(k) || k.includes("[")) continue;
      const id = JSON.stringify([k, gate ?? null]);
      const v = verify.get(id) ?? { keys: k.split("."), gate, waiting: [] };
      v.waiting.push(p);
      verify.set(id, v);
    }
  const freshBelow = (keys: string[]): Candidate => {
    const m = nextMarker();
    const c = { keys: [...keys, m], value: m, markers: new Map([[m, formatKeys([...keys, m])]]) };
    register(c);
    return c;
  };
  const gateOn = (gate: string[]): Candidate => ({ keys: gate, value: true, markers: new Map() });
  const confirmed = (v: { keys: string[]; waiting: Probed[] }) =>
    v.waiting.every((p) => p.reached.has(formatKeys(v.keys)));
  const ungated = [...verify.values()].filter((v) => v.gate === undefined);
  if (ungated.length > 1) {
    verifies++;
    tryRender(ungated.map((v) => freshBelow(v.keys)));
  }
  for (const v of verify.values()) {
    if (confirmed(v) || verifies >= 200) continue;
    verifies++;
    const gate = v.gate;
    const grew = grows(() => {
      tryRender([...(gate === undefined ? [] : [gateOn(gate)]), freshBelow(v.keys)]);
    });
    if (gate !== undefined) for (const q of grew) if (!gates.has(q.f)) gates.set(q.f, formatKeys(gate));
  }
  if (process.env["KW_PROBE_DEBUG"] !== undefined)
    console.error(
      `${chartDir}: ${String(verify.size)} keys rendered with a fresh key below them in ${String(verifies)} renders`,
    );
  if (process.env["KW_PROBE_DEBUG"] !== undefined)
    console.error(
      `${chartDir}: ${String(list.length)} candidates, ${String(renders)} renders, ${String(flips)} flips, ${String(budgetAtStart - Math.max(budget, 0))} of the budget used, failed: ${failed.map((x) => `${formatKeys(x.c.keys)}(${x.why})`).join(" ")}`,
    );

  for (const { f, reached, ...rest } of probed) {
    if (reached.size === 0) {
      // Not reached: hard-coded, unless a key that could have reached it was in a failed render.
      const p = { f, reached, ...rest };
      // (A key the templates name that the chart does not render with, or that the budget left
      // untried, leaves the finding hard-coded: those keys widen the net, and most that fail are
      // a version, a kind or a switch the chart checks, not a value it writes.)
      const lost = failed.filter(({ c, why }) => why !== "notmap" && !namedSet.has(c) && relevant(p, c));
      const untried = lost.filter((x) => x.why === "budget");
      if (lost.length > 0) {
        const named = (xs: typeof lost) =>
          `${xs
            .slice(0, 2)
            .map((x) => formatKeys(x.c.keys))
            .join(", ")}${xs.length > 2 ? ", ..." : ""}`;
        // Two reasons, told apart in the unsure breakdown: keys the render budget left untried,
        // and keys with which the chart does not render even alone (a marker of the wrong type).
        result.set(f, {
          reached: [],
          unsure:
            untried.length > 0
              ? `not decided: the render budget left ${String(untried.length)} candidate keys untried (${named(untried)})`
              : `the chart does not render with ${String(lost.length)} candidate keys set alone (${named(lost)})`,
        });
        continue;
      }
    }
    const gate = gates.get(f);
    result.set(f, { reached: [...reached].sort(), ...(gate !== undefined ? { gate } : {}) });
  }
  if (renders === 0 && failed.some((x) => x.why !== "notmap"))
    for (const { f } of probed)
      result.set(f, { reached: [], unsure: "the chart does not render with any candidate set" });
  return result;
}

/**
 * The objects of a render that are the finding's: by kind and name, else (a name with a random
 * part: elasticsearch's test pod `{{ .Release.Name }}-{{ randAlpha 5 | lower }}-test`) the one
 * object of its kind whose name differs from it only in one run of letters and digits.
 */
function objectsOf(objects: Map<string, Obj[]>, f: Finding): Obj[] {
  const kind = f.resource?.kind ?? "";
  const name = f.resource?.name ?? "";
  const exact = objects.get(`${kind}/${name}`);
  if (exact !== undefined) return exact;
  const like = [...objects].filter(
    ([k]) => k.startsWith(`${kind}/`) && randomLike(k.slice(kind.length + 1), name),
  );
  return like.length === 1 ? (like[0]?.[1] ?? []) : [];
}

function objectKey(f: Finding): string {
  return `${f.resource?.kind ?? ""}/${f.resource?.name ?? ""}`;
}

/** Whether two names of one length differ only in one run of at most 16 letters and digits. */
function randomLike(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let first = -1;
  let last = -1;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i]) {
      if (first === -1) first = i;
      last = i;
    }
  const run = /^[a-zA-Z0-9]+$/;
  return last - first < 16 && run.test(a.slice(first, last + 1)) && run.test(b.slice(first, last + 1));
}

/**
 * The item of a list-item finding in one render: at its index when it is the item of the render
 * with the defaults (up to markers), else the one item of the list that is.
 */
function unitItem(
  objects: Map<string, Obj[]>,
  f: Finding,
  unit: ListUnit,
  relocate: (o: Obj, field: Path, f: Finding) => Path | undefined,
  defaults?: Map<string, Obj[]>,
): unknown {
  for (const o of objectsOf(objects, f)) {
    const p = relocate(o, unit.list, f);
    if (p === undefined) continue;
    const items = valueAt(o, p);
    if (!Array.isArray(items)) continue;
    if (defaults === undefined) return items[unit.index];
    // The default item, to find the same item in this render.
    for (const d of objectsOf(defaults, f)) {
      const dp = relocate(d, unit.list, f);
      const dItems = dp === undefined ? undefined : valueAt(d, dp);
      if (!Array.isArray(dItems)) continue;
      const want: unknown = dItems[unit.index];
      if (want === undefined) continue;
      if (sameUpToMarkers(want, items[unit.index])) return items[unit.index];
      const same = items.filter((x) => sameUpToMarkers(want, x));
      if (same.length === 1) return same[0];
    }
  }
  return undefined;
}

function collect(
  v: unknown,
  at: (string | number)[],
  on: (marker: string, inner: (string | number)[]) => void,
): void {
  if (typeof v === "string" || typeof v === "number") {
    for (const m of String(v).matchAll(MARKER_RE)) on(m[1] !== undefined ? `kwp${m[1]}x` : (m[2] ?? ""), at);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      collect(x, [...at, i], on);
    });
  } else if (isObj(v)) for (const [k, x] of Object.entries(v)) collect(x, [...at, k], on);
}

/** The field's path in a probe render, with container indexes found again by the container's name. */
function byContainerName(o: Obj, field: Path, f: Finding): Path | undefined {
  if (f.container === undefined) return field;
  const i = field.findIndex(
    (k, n) => typeof k === "number" && /^(?:initC|c|ephemeralC)ontainers$/.test(String(field[n - 1])),
  );
  if (i === -1) return field;
  const list = valueAt(o, field.slice(0, i));
  if (!Array.isArray(list)) return undefined;
  const at = list.findIndex((c) => isObj(c) && c["name"] === f.container);
  return at === -1 ? undefined : [...field.slice(0, i), at, ...field.slice(i + 1)];
}

function formatKeys(keys: readonly string[]): string {
  return keys.join(".");
}
