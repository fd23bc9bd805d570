// Ground truth for the Helm values mapping: which values key, when set, reaches the field a finding
// is about. The chart is rendered again with a probe values file that sets a unique marker at every
// candidate key; a field that renders a marker is reached by that key. Candidates are every map of
// the chart's values.yaml files (and every `.Values.x` a template names) extended by the tails of
// the finding's field (`readOnlyRootFilesystem`, `securityContext.readOnlyRootFilesystem`), and the
// scalar values keys named like the field. A render that fails is split until the offending keys are
// found. Renders are cached per chart and probe in $TMPDIR/kubeward-probe-cache.
// Used by tools/helm-map-coverage.ts.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMap, isScalar, isSeq, parseAllDocuments, stringify } from "yaml";
import type { Finding, Path } from "../src/core/types.js";
import { chartFacts, helmEnv, splitBySource } from "../src/inputs/helm.js";
import { valuesRefs } from "../src/inputs/helm-map.js";
import { findHelm } from "../src/inputs/tools.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export interface ProbeResult {
  /** Values paths (dotted, `[i]` for list items) whose marker renders at the field; empty: none. */
  reached: string[];
  /** Why the finding could not be probed (no field named, render failed). */
  unsure?: string;
}

/** The field a finding is about: the fix's field below a reported parent, else the finding's path. */
export function fieldOf(f: Finding): Path {
  for (const op of f.fix?.ops ?? [])
    if (op.op !== "remove" && op.path.length > f.path.length && f.path.every((k, i) => op.path[i] === k))
      return op.path;
  // Rules without a fix that name the missing setting to the engine (ReportDescriptor.field).
  const named = NAMED_FIELDS[f.ruleId];
  if (named !== undefined && f.exact !== false && !f.path.includes(named)) return [...f.path, named];
  return f.path;
}
const NAMED_FIELDS: Record<string, string> = {
  "security-context-missing": "securityContext",
  "liveness-probe-missing": "livenessProbe",
  "readiness-probe-missing": "readinessProbe",
};

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
  /** Whether a path (or a key above it) is a scalar or list in the defaults: no map may be set there. */
  blocked(keys: readonly string[]): boolean;
  isScalarAt(keys: readonly string[]): boolean;
  kindAt(keys: readonly string[]): "map" | "scalar" | "seq" | undefined;
}

function defaultsOf(chartDir: string): Defaults {
  const facts = chartFacts(chartDir, chartDir);
  const maps: string[][] = [];
  const flatMaps: string[][] = [];
  const scalars: string[][] = [];
  const nulls: string[][] = [];
  /** Keys a template ranges over: each key added there becomes an item (a Secret, a port). */
  const ranged = new Set<string>();
  const kinds = new Map<string, "map" | "scalar" | "seq">();
  for (const [source, v] of facts.values) {
    const prefix = source.split("/charts/").slice(1);
    if (prefix.length > 0) kinds.set(JSON.stringify(prefix), "map");
    const walk = (node: unknown, keys: string[]) => {
      const isNull = node === null || (isScalar(node) && node.value === null);
      // A null default is a scalar as often as a map: a block only when a template uses it as one.
      if (isNull && keys.length > 0) {
        nulls.push(keys);
        kinds.set(JSON.stringify(keys), "scalar");
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
        kinds.set(JSON.stringify(keys), "map");
        if (isMap(node))
          for (const p of node.items) if (isScalar(p.key)) walk(p.value, [...keys, String(p.key.value)]);
      } else if (isSeq(node)) kinds.set(JSON.stringify(keys), "seq");
      else {
        scalars.push(keys);
        kinds.set(JSON.stringify(keys), "scalar");
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
    const prefix = source.split("/templates/")[0]?.split("/charts/").slice(1) ?? [];
    t.lines.forEach((line, i) => {
      if (!/\b(?:toYaml|with)\b/.test(line) || !inListContext(t.lines, i)) return;
      for (const r of valuesRefs(line))
        listKeys.add(JSON.stringify(r[0] === "global" ? r : [...prefix, ...r]));
    });
  }
  for (const [source, t] of facts.templates) {
    const prefix = source.split("/templates/")[0]?.split("/charts/").slice(1) ?? [];
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
          maps.push(keys);
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

interface Candidate {
  keys: string[];
  value: string | number;
  /** The map of the chart's values that the candidate extends by a field's tail. */
  base?: string[];
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

/** The marker of candidate `i`: a string, or (where the default is a number) a number. */
function marker(i: number, numeric: boolean): string | number {
  return numeric ? 7100007 + i * 10 : `kwp${String(i)}x`;
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
  const defaults = defaultsOf(chartDir);
  // Candidate values paths, each with its marker.
  // Each candidate belongs to a group: the map it extends (`podSecurityContext` for all of
  // `podSecurityContext.*`), else itself. A failed render is split by groups first, so that a map
  // that breaks the chart whatever is set below it is found once, not once per tail.
  const candidates = new Map<string, Candidate>();
  const add = (keys: string[], numeric: boolean, base?: readonly string[]) => {
    const id = JSON.stringify(keys);
    if (candidates.has(id) || keys.length === 0) return;
    candidates.set(id, {
      keys,
      value: marker(candidates.size, numeric),
      ...(base !== undefined ? { base: [...base] } : {}),
    });
  };
  const probed: { f: Finding; field: Path }[] = [];
  const allTails = new Map<string, string[]>();
  const scalarNames = new Set<string>();
  for (const f of findings) {
    const field = fieldOf(f);
    const last = field[field.length - 1];
    if (f.exact !== false && field === f.path && typeof last !== "string") {
      result.set(f, { reached: [], unsure: "the rule names a container or pod, not a field" });
      continue;
    }
    probed.push({ f, field });
    // A missing field may come from a values block; an existing one from a scalar key of its name.
    if (f.exact === false || field !== f.path)
      for (const t of tails(field)) allTails.set(JSON.stringify(t), t);
    if (typeof last === "string") scalarNames.add(last);
  }
  // The findings' own values paths first, rendered on their own: a failure elsewhere must not
  // leave them unchecked.
  for (const f of findings)
    if (f.values?.path !== undefined) {
      const keys = f.values.path.replace(/\[(\d+)\]/g, ".$1").split(".");
      if (!keys.some((k) => /^\d+$/.test(k)) && !defaults.blocked(keys.slice(0, -1))) add(keys, false);
    }
  const ownCount = candidates.size;
  for (const m of defaults.maps)
    for (const t of allTails.values()) {
      const keys = [...m, ...t];
      // Only where the defaults have nothing: a marker over a map or a scalar changes what renders.
      if (!defaults.blocked(keys) && defaults.kindAt(keys) === undefined) add(keys, false, m);
    }
  for (const m of defaults.flatMaps)
    for (const t of allTails.values())
      if (t.length === 1 && defaults.kindAt([...m, ...t]) === undefined) add([...m, ...t], false, m);
  for (const s of defaults.scalars) {
    const name = s[s.length - 1];
    if (name !== undefined && scalarNames.has(name) && !defaults.blocked(s.slice(0, -1))) add(s, false);
  }
  const byMarker = new Map<string, string>();
  for (const c of candidates.values()) byMarker.set(String(c.value), formatKeys(c.keys));

  // Render with all candidates; split those that fail.
  const renders: Map<string, Obj[]>[] = [];
  /** Candidates left out of every render that succeeded, with why. */
  // (`notmap`: the chart does not render with any key set below the candidate's map, which is
  // then no values block: none of its candidates can reach a field, and none leaves a finding
  // unsure. `alone`: the chart does not render with this one key set. `budget`: never tried alone.)
  const failed: { keys: string[]; why: "alone" | "budget" | "notmap" }[] = [];
  const list = [...candidates.values()];
  // A failed render is split in two, by groups while it holds several, within a budget of renders
  // per chart (a chart that ranges over many maps would otherwise take hundreds). A group that fails
  // on its own is tried once with a single key at its map (a map there breaks the chart: all of
  // them fail alone) before its candidates are split. What the budget leaves untried is unsure.
  let budget = Number(process.env["KW_PROBE_BUDGET"] ?? 100);
  const tryRender = (part: readonly Candidate[]): boolean => {
    const overlay: Obj = {};
    for (const c of part) setIn(overlay, c.keys, c.value);
    const out = render(chartDir, flags, overlay);
    if (out === undefined) return false;
    renders.push(parseRender(out));
    return true;
  };
  const groupsOf = (part: readonly Candidate[]): Candidate[][] => {
    const by = new Map<string, Candidate[]>();
    for (const c of part) {
      const g = JSON.stringify(c.base ?? c.keys);
      by.set(g, [...(by.get(g) ?? []), c]);
    }
    return [...by.values()];
  };
  const attempt = (part: readonly Candidate[], depth: number): void => {
    if (part.length === 0) return;
    if (budget-- <= 0) {
      failed.push(...part.map((c) => ({ keys: c.keys, why: "budget" as const })));
      return;
    }
    if (tryRender(part)) return;
    if (part.length === 1 || depth > 40) {
      failed.push(
        ...part.map((c) => ({
          keys: c.keys,
          why: part.length === 1 ? ("alone" as const) : ("budget" as const),
        })),
      );
      return;
    }
    const groups = groupsOf(part);
    if (groups.length > 1) {
      const half = Math.ceil(groups.length / 2);
      attempt(groups.slice(0, half).flat(), depth + 1);
      attempt(groups.slice(half).flat(), depth + 1);
      return;
    }
    // One group: does a map at its base render at all?
    const base = part[0]?.base;
    if (base !== undefined && budget-- > 0) {
      const overlay: Obj = {};
      setIn(overlay, [...base, "kwpbasex"], "kwpbasex");
      if (render(chartDir, flags, overlay) === undefined) {
        failed.push(...part.map((c) => ({ keys: c.keys, why: "notmap" as const })));
        return;
      }
    }
    const half = Math.ceil(part.length / 2);
    attempt(
      part.slice(0, half).map((c) => ({ keys: c.keys, value: c.value })),
      depth + 1,
    );
    attempt(
      part.slice(half).map((c) => ({ keys: c.keys, value: c.value })),
      depth + 1,
    );
  };
  attempt(list.slice(0, ownCount), 0);
  attempt(list.slice(ownCount), 0);
  if (process.env["KW_PROBE_DEBUG"] !== undefined)
    console.error(
      `${chartDir}: ${String(list.length)} candidates, ${String(renders.length)} renders, failed: ${failed.map((x) => `${formatKeys(x.keys)}(${x.why})`).join(" ")}`,
    );

  for (const { f, field } of probed) {
    const r = f.resource;
    const reached = new Set<string>();
    for (const objects of renders) {
      for (const o of objects.get(`${r?.kind ?? ""}/${r?.name ?? ""}`) ?? []) {
        const p = byContainerName(o, field, f);
        if (p === undefined) continue;
        const v = valueAt(o, p);
        if (v === undefined) continue;
        // An existing map or list (a container, `labels`) is not a field a values key sets.
        if (f.exact !== false && field === f.path && (isObj(v) || Array.isArray(v))) continue;
        collect(v, [], (m, inner) => {
          const vp = byMarker.get(m);
          if (vp === undefined) return;
          // A marker below the field: the values key is the marker's path less that tail.
          const keys = vp.split(".");
          const tail = inner.map(String);
          if (tail.length > 0 && keys.slice(-tail.length).join(".") !== tail.join(".")) return;
          if (keys.length > tail.length) reached.add(keys.slice(0, keys.length - tail.length).join("."));
        });
      }
    }
    if (reached.size === 0) {
      // Not reached: hard-coded, unless a key that could have reached it was in a failed render.
      const own = tails(field).map((t) => t.join("."));
      const last = String(field[field.length - 1]);
      const lost = failed.filter(({ keys: k, why }) => {
        if (why === "notmap") return false;
        const text = k.join(".");
        return own.some((t) => text.endsWith(`.${t}`)) || k[k.length - 1] === last;
      });
      const untried = lost.filter((x) => x.why === "budget");
      if (lost.length > 0) {
        const named = (xs: typeof lost) =>
          `${xs
            .slice(0, 2)
            .map((x) => formatKeys(x.keys))
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
    result.set(f, { reached: [...reached].sort() });
  }
  if (renders.length === 0 && failed.some((x) => x.why !== "notmap"))
    for (const { f } of probed)
      result.set(f, { reached: [], unsure: "the chart does not render with any candidate set" });
  return result;
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
