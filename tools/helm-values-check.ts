// The static check of a values path (tools/helm-map-coverage.ts without --probe): is the path set
// in the chart's default values, or is its set part a map that the named template line reads?
// The default values are those helm coalesces: the top chart's values.yaml, each subchart's own
// values.yaml below the subchart's key (its alias), the parent's keys winning, and every chart's
// `global` merged into the top-level `global`. A subchart path (`gitlab.gitaly.init.resources`) is
// therefore judged by the subchart's own defaults, also when the template line the finding names
// is a helper of the parent chart that the subchart includes.
import { chartFacts } from "../src/inputs/helm.js";
import type { Finding } from "../src/core/types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export type Verdict = "ok" | "wrong" | "unknown";

export interface ChartDefaults {
  /** The coalesced default values of the chart and its subcharts. */
  values: Obj;
  /** The key paths of the subcharts (`["gitlab", "gitaly"]`). */
  subcharts: string[][];
}

/** Fills `into` with the keys of `from` it lacks (the keys already there win, as the parent's do). */
function fill(into: Obj, from: Obj): void {
  for (const [k, v] of Object.entries(from)) {
    const had = into[k];
    if (had === undefined) into[k] = v;
    else if (isObj(had) && isObj(v)) fill(had, v);
  }
}

/** The coalesced default values of a chart folder (`chartDir`) and its subcharts. */
export function chartDefaults(chartDir: string): ChartDefaults {
  const facts = chartFacts(chartDir, chartDir);
  const prefixOf = (source: string) => source.split("/charts/").slice(1);
  // The top chart first: a parent's keys (and its `global`) win over a subchart's defaults.
  const sources = [...facts.values].sort((a, b) => prefixOf(a[0]).length - prefixOf(b[0]).length);
  const values: Obj = {};
  const subcharts: string[][] = [];
  for (const [source, v] of sources) {
    const prefix = prefixOf(source);
    if (prefix.length > 0) subcharts.push(prefix);
    let js: unknown;
    try {
      js = v.doc.toJS({ maxAliasCount: 1000 });
    } catch {
      continue;
    }
    if (!isObj(js)) continue;
    const { global, ...own } = js;
    let at = values;
    let blocked = false;
    for (const k of prefix) {
      const next = at[k];
      if (next === undefined || next === null) at[k] = {};
      else if (!isObj(next)) {
        blocked = true; // the parent set the subchart's key to a scalar: nothing below it
        break;
      }
      at = at[k] as Obj;
    }
    if (!blocked) fill(at, own);
    if (isObj(global)) {
      if (!isObj(values["global"])) values["global"] = {};
      fill(values["global"] as Obj, global);
    }
  }
  return { values, subcharts };
}

/** `a.b[0].c` → ["a","b","0","c"]. */
export function splitPath(p: string): string[] {
  return p
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((s) => s !== "");
}

/**
 * The verdict on a finding's values path:
 *   - `ok`: the path is set in the defaults, or its longest set part is a map (or null/empty) that
 *     the finding's template line reads (`toYaml .Values.resources`, `with .Values.x`);
 *   - `wrong`: the path goes below a scalar or a list (`persistence.size.cpu`), or its set part is
 *     not read on the template line the finding names;
 *   - `unknown`: nothing of the path is set below the (sub)chart's own key.
 * `lines` gives a template file's lines; `fieldBelow` is whether the finding names a container or
 * pod and its values path is that of the missing setting below it (the line is the container's,
 * which reads no values: only the probe checks those).
 */
export function checkValuesPath(
  defaults: ChartDefaults,
  f: Finding,
  lines: (file: string) => string[],
  fieldBelow: boolean,
): Verdict {
  const vp = f.values?.path;
  if (vp === undefined) return "unknown";
  const keys = splitPath(vp);
  // A path set only down to a subchart's own key says nothing of the keys below it.
  const minSet = Math.max(
    0,
    ...defaults.subcharts.filter((s) => s.every((k, i) => keys[i] === k)).map((s) => s.length),
  );
  let node: unknown = defaults.values;
  let set = 0;
  for (const k of keys) {
    if (isObj(node) && k in node) {
      node = node[k];
      set++;
    } else if (Array.isArray(node) && /^\d+$/.test(k) && Number(k) < node.length) {
      node = node[Number(k)];
      set++;
    } else break;
  }
  if (set === keys.length) return "ok";
  if (set <= minSet) return "unknown";
  if (node !== null && node !== undefined && node !== "" && !isObj(node)) return "wrong";
  if (fieldBelow) return "ok";
  // A set map part: the template line, or the output action right below a bare `key:` line, must
  // read one of the set keys (directly, or as `.` of a `with`).
  const t = f.template;
  if (t === undefined) return "wrong";
  const all = lines(t.file);
  const at = all[t.line - 1] ?? "";
  let text = `${at}\n${/:\s*$/.test(at) ? (all[t.line] ?? "") : ""}`;
  // A variable the line writes (`toYaml $sc`): the nearest assignment above it reads the key
  // (`if $sc := .Values.initContainers.securityContext`).
  for (const [, name] of text.matchAll(/\$(\w+)/g)) {
    const assigns = new RegExp(`\\$${name ?? ""}\\s*:?=`);
    for (let i = t.line - 2; i >= 0; i--)
      if (assigns.test(all[i] ?? "")) {
        text += `\n${all[i] ?? ""}`;
        break;
      }
  }
  const reads = keys
    .slice(0, set)
    .some((k) => new RegExp(`\\.${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`).test(text));
  return reads || /\b(?:toYaml|tpl)\s+\.\s*[|})]/.test(text) ? "ok" : "wrong";
}
