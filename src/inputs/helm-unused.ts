// helm-unused-value: keys of the user's values (`-f` files, `--set`, GitOps inline values) that no
// template of the chart reads, that the chart's values.yaml does not have and that its
// values.schema.json does not declare. Helm ignores such a key silently; in practice it is a typo.
// Conservative: whenever the analysis of the templates is unsure, the key counts as read.
import { isMap, isScalar, parse as parseYamlValue, type Document, type Node } from "yaml";
import { helmUnusedValue } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import { closest } from "../core/options.js";
import type { Finding, SourceLoc } from "../core/types.js";
import { formatValuesPath, type CommandLineSet, type TemplateText, type ValuesSource } from "./helm-map.js";
import { ChartReads, ReadTree } from "./helm-reads.js";

export interface ChartFile {
  /** Path inside the chart (`Chart.yaml`, `files/app.conf`). */
  rel: string;
  text: string;
}

/** What the analysis needs of a chart and its subcharts, keyed by chart source (`top`, `top/charts/sub`). */
export interface ChartFacts {
  /** Templates keyed `<source>/templates/<file>`. */
  templates: ReadonlyMap<string, TemplateText>;
  values: ReadonlyMap<string, ValuesSource>;
  others: ReadonlyMap<string, readonly ChartFile[]>;
  /** Some chart files were not read (limits): what they read is unknown, so nothing is reported. */
  incomplete?: boolean;
}

/** One values document the user passed; `keyAt` gives the exact place of a key when it is known. */
export interface UserValues {
  source: ValuesSource;
  keyAt?: (keys: readonly string[]) => SourceLoc | undefined;
}

/** The keys path of each chart source relative to the top chart's values. */
const prefixOf = (source: string) => source.split("/charts/").slice(1);

export function unusedValueFindings(
  chart: ChartFacts,
  user: readonly UserValues[],
  sets: readonly CommandLineSet[],
  chartLabel: string,
  chartLoc: SourceLoc,
): Finding[] {
  const reads = new ReadTree();
  const known = new ReadTree();
  const analysis = new ChartReads();
  if (chart.incomplete === true) return [];
  const sources = new Set<string>([...chart.values.keys(), ...chart.others.keys()]);
  for (const k of chart.templates.keys()) sources.add(k.replace(/\/templates\/.*$/, ""));

  for (const source of sources) {
    const prefix = prefixOf(source);
    const files = chart.others.get(source) ?? [];
    const meta = chartMeta(files);
    // A library chart's templates run with the context of the chart that includes them.
    const libraryPrefix = meta.library ? prefix.slice(0, -1) : undefined;
    const add = (path: readonly string[], whole: boolean) => {
      if (path[0] === "global") reads.add(path, whole);
      else reads.add([...prefix, ...path], whole);
      if (libraryPrefix !== undefined) reads.add([...libraryPrefix, ...path], whole);
    };
    for (const [key, t] of chart.templates)
      if (key.startsWith(`${source}/templates/`)) analysis.scan(t.lines.join("\n"), add);
    // Files a template may render with `tpl` (`.Files.Get`), and values strings rendered with `tpl`.
    for (const f of files) analysis.scan(f.text, add);
    const values = chart.values.get(source);
    if (values !== undefined) {
      analysis.scan(values.doc.toString(), add);
      keysOf(values.doc, (path) => {
        known.add(path[0] === "global" ? path : [...prefix, ...path], false);
      });
    }
    // Keys helm itself reads: dependency conditions, tags, import-values.
    for (const dep of meta.dependencies) {
      // A subchart whose files were not read (a package inside a package): its keys are unknown.
      if (!sources.has(`${source}/charts/${dep.as}`)) reads.add([...prefix, dep.as], true);
      for (const c of dep.conditions) add(c.split("."), true);
      for (const t of dep.tags) reads.add(["tags", t], true);
      if (dep.imports) {
        add([dep.as], true);
        for (const p of dep.importParents) add(p.split("."), true);
      }
    }
    if (meta.schema !== undefined) declared(meta.schema, meta.schema, prefix, known, 0);
  }
  for (const u of user)
    analysis.scan(u.source.doc.toString(), (p, w) => {
      reads.add(p, w);
    });
  analysis.finish();

  const out: Finding[] = [];
  const report = (keys: readonly string[], set: string | undefined, loc: SourceLoc) => {
    const suggestion = suggest(keys, reads, known);
    const id =
      set === undefined
        ? suggestion === undefined
          ? "unused"
          : "didYouMean"
        : suggestion === undefined
          ? "setUnused"
          : "setDidYouMean";
    out.push(
      inputFinding(
        helmUnusedValue,
        id,
        {
          key: formatValuesPath(keys),
          ...(set === undefined ? {} : { set }),
          chart: chartLabel,
          ...(suggestion === undefined ? {} : { suggestion: formatValuesPath(suggestion) }),
        },
        loc,
      ),
    );
  };
  /** Whether `keys` is read or known; undefined when only keys below it may be (look deeper). */
  const verdict = (keys: readonly string[]): "read" | "deeper" | "unused" => {
    if (reads.covers(keys) || known.covers(keys)) return "read";
    if (analysis.dynamicNames.has(keys[keys.length - 1] ?? "")) return "read";
    if (reads.at(keys) !== undefined || known.at(keys) !== undefined) return "deeper";
    return "unused";
  };

  for (const u of user) {
    const walk = (node: unknown, path: string[]) => {
      if (!isMap(node)) return;
      for (const pair of node.items) {
        const keyNode = pair.key;
        if (!isScalar(keyNode) || typeof keyNode.value !== "string") continue;
        const keys = [...path, keyNode.value];
        const v = verdict(keys);
        if (v === "deeper") walk(pair.value, keys);
        else if (v === "unused") report(keys, undefined, locate(u, keys, keyNode));
      }
    };
    walk(u.source.doc.contents, []);
  }
  for (const s of sets) {
    for (let i = 1; i <= s.keys.length; i++) {
      const keys = s.keys.slice(0, i);
      if (keys.some((k) => /^\d+$/.test(k))) break; // list items are not analysed
      const v = verdict(keys);
      if (v === "read") break;
      if (v === "unused") {
        report(keys, s.text, chartLoc);
        break;
      }
    }
  }
  return out;
}

function locate(u: UserValues, keys: readonly string[], keyNode: Node): SourceLoc {
  const exact = u.keyAt?.(keys);
  if (exact !== undefined) return exact;
  if (u.source.at !== undefined) return { file: u.source.at.file, line: u.source.at.line, column: 1 };
  const [start, end] = keyNode.range ?? [0, 0];
  const a = u.source.lineCounter.linePos(start);
  const b = u.source.lineCounter.linePos(end);
  return { file: u.source.name, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** The closest key under the same parent, else the closest known path of the same depth. */
function suggest(keys: readonly string[], reads: ReadTree, known: ReadTree): string[] | undefined {
  const parent = keys.slice(0, -1);
  const leaf = keys[keys.length - 1] ?? "";
  const siblings = new Set([
    ...(reads.at(parent)?.children.keys() ?? []),
    ...(known.at(parent)?.children.keys() ?? []),
  ]);
  const near = closest(leaf, [...siblings]);
  if (near !== undefined) return [...parent, near];
  // `ingres.enabled` → `ingress.enabled` is found above; this finds moves across parents.
  const paths = new Map<string, string[]>();
  for (const tree of [reads, known]) collectPaths(tree, [], keys.length, paths);
  const dotted = closest(keys.join("."), [...paths.keys()]);
  return dotted === undefined ? undefined : paths.get(dotted);
}

function collectPaths(tree: ReadTree, path: string[], depth: number, into: Map<string, string[]>): void {
  if (into.size > 20_000) return;
  if (path.length === depth) {
    into.set(path.join("."), path);
    return;
  }
  for (const [k, child] of tree.children) collectPaths(child, [...path, k], depth, into);
}

/** Every key path of a values document (mappings only; lists are leaves). */
function keysOf(doc: Document, visit: (path: string[]) => void): void {
  const walk = (node: unknown, path: string[]) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const keys = [...path, String(pair.key.value)];
      visit(keys);
      walk(pair.value, keys);
    }
  };
  walk(doc.contents, []);
}

interface Dependency {
  /** The key of its values in the parent (alias, else name). */
  as: string;
  conditions: string[];
  tags: string[];
  imports: boolean;
  importParents: string[];
}

function chartMeta(files: readonly ChartFile[]): {
  library: boolean;
  dependencies: Dependency[];
  schema: unknown;
} {
  const text = (rel: string) => files.find((f) => f.rel === rel)?.text;
  const yamlOf = (rel: string): Record<string, unknown> => {
    try {
      const v: unknown = parseYamlValue(text(rel) ?? "");
      return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const chartYaml = yamlOf("Chart.yaml");
  const deps = [chartYaml["dependencies"], yamlOf("requirements.yaml")["dependencies"]].flatMap((d) =>
    Array.isArray(d) ? (d as unknown[]) : [],
  );
  const strs = (v: unknown): string[] =>
    Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === "string") : [];
  const dependencies: Dependency[] = [];
  for (const d of deps) {
    if (typeof d !== "object" || d === null) continue;
    const rec = d as Record<string, unknown>;
    const name = typeof rec["alias"] === "string" ? rec["alias"] : rec["name"];
    if (typeof name !== "string") continue;
    const imports = Array.isArray(rec["import-values"]) ? (rec["import-values"] as unknown[]) : [];
    dependencies.push({
      as: name,
      conditions:
        typeof rec["condition"] === "string" ? rec["condition"].split(",").map((c) => c.trim()) : [],
      tags: strs(rec["tags"]),
      imports: imports.length > 0,
      importParents: imports.flatMap((i) =>
        typeof i === "object" && i !== null && typeof (i as Record<string, unknown>)["parent"] === "string"
          ? [(i as Record<string, string>)["parent"] ?? ""]
          : [],
      ),
    });
  }
  let schema: unknown;
  const schemaText = text("values.schema.json");
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText);
    } catch {
      schema = true; // unreadable schema: helm would fail; count everything as declared
    }
  }
  return { library: chartYaml["type"] === "library", dependencies, schema };
}

/** Mark the keys a JSON schema declares; an open object (free-form map) declares everything below it. */
function declared(node: unknown, root: unknown, path: string[], known: ReadTree, depth: number): void {
  if (depth > 40) {
    known.add(path, true);
    return;
  }
  if (node === true) {
    known.add(path, true);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const s = node as Record<string, unknown>;
  const ref = s["$ref"];
  if (typeof ref === "string") {
    const target = ref.startsWith("#/") ? pointer(root, ref.slice(2)) : undefined;
    // A remote or unresolvable $ref: cannot tell what it declares.
    if (target === undefined) known.add(path, true);
    else declared(target, root, path, known, depth + 1);
  }
  for (const k of ["allOf", "anyOf", "oneOf"])
    if (Array.isArray(s[k])) for (const sub of s[k] as unknown[]) declared(sub, root, path, known, depth + 1);
  for (const k of ["then", "else"]) if (s[k] !== undefined) declared(s[k], root, path, known, depth + 1);
  const props = s["properties"];
  if (typeof props === "object" && props !== null)
    for (const [k, v] of Object.entries(props)) {
      known.add([...path, k], false);
      declared(v, root, [...path, k], known, depth + 1);
    }
  const extra = s["additionalProperties"];
  if ((typeof extra === "object" && extra !== null) || extra === true || s["patternProperties"] !== undefined)
    known.add(path, true);
  // An object schema that lists no properties and does not forbid others is a free-form map.
  if (s["type"] === "object" && props === undefined && extra !== false && path.length > 0)
    known.add(path, true);
}

function pointer(root: unknown, ptr: string): unknown {
  let node = root;
  for (const raw of ptr.split("/")) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}
