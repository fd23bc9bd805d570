// Measures the Helm values mapping on a corpus of charts: the share of chart findings that carry a
// values path, and how many of those can be checked and are wrong. A values path is checked
// against the chart's default values as helm coalesces them, subcharts' values.yaml below their
// keys and every `global` at the top (tools/helm-values-check.ts; the corpus renders with defaults):
//   - `ok`: the path is set in the defaults, or its longest set prefix is a map (or null/empty) and
//     the finding's template line reads that prefix (`toYaml .Values.resources`, `with .Values.x`);
//   - `wrong`: the path goes below a value that is a scalar or a list (`persistence.size.cpu`), or
//     its set prefix is not read on the template line the finding names;
//   - `unknown`: nothing of the path is set (a key the chart reads but does not default).
// With --probe, each chart is rendered again with a marker at every candidate values key
// (tools/helm-values-probe.ts): a finding whose field renders a marker is reachable by that key.
// That gives the share that matters (findings a values key can reach that have a values path) and
// a second check of each path (its own marker must reach the field when any marker does).
// Usage: npx tsx tools/helm-map-coverage.ts [--probe]
//          [--list wrong|unknown|none|missed|probe-wrong|unsure|confirmed|unconfirmed|hard-coded|probe]
//          [--charts a,b,c] [CHARTS_DIR]
// (--charts measures only the named charts of CHARTS_DIR: a quick check of one cause.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scan } from "../src/api.js";
import type { Finding } from "../src/core/types.js";
import { readTgz } from "../src/inputs/tar.js";
import { chartDefaults, checkValuesPath, type ChartDefaults, type Verdict } from "./helm-values-check.js";
import { fieldOf, probeChart, type ProbeResult } from "./helm-values-probe.js";

const args = process.argv.slice(2);
const listAt = args.indexOf("--list");
const list = listAt === -1 ? undefined : args[listAt + 1];
const chartsAt = args.indexOf("--charts");
const only =
  chartsAt === -1 ? undefined : new Set((args[chartsAt + 1] ?? "").split(",").filter((c) => c !== ""));
const positional = args.filter(
  (a, i) =>
    !a.startsWith("--") && (listAt === -1 || i !== listAt + 1) && (chartsAt === -1 || i !== chartsAt + 1),
);
const probe = args.includes("--probe");
const root = positional[0] ?? join(import.meta.dirname, "..", "..", "shared", "corpus", "mycharts", "charts");
if (!existsSync(root)) {
  console.log(`no corpus at ${root}: nothing measured`);
  process.exit(0);
}

// Charts that need flags (../shared/corpus/README.md).
const KUBE_VERSION: Record<string, string> = { rancher: "v1.25.16" };

const charts = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .filter((name) => only === undefined || only.has(name))
  .sort();
if (only !== undefined) {
  const unknown = [...only].filter((c) => !charts.includes(c));
  if (unknown.length > 0) {
    console.error(`--charts: no such chart in ${root}: ${unknown.join(", ")}`);
    process.exit(2);
  }
}

function valuesOfChart(chart: string): ChartDefaults {
  let d = defaultsCache.get(chart);
  if (d === undefined) {
    d = chartDefaults(join(root, chart));
    defaultsCache.set(chart, d);
  }
  return d;
}
const defaultsCache = new Map<string, ChartDefaults>();

/** A file of the corpus, also inside a `.tgz` (`x/charts/y.tgz/y/values.yaml`). */
function readChartFile(file: string): string | undefined {
  const tgz = /^(.*?\.tgz)\/(.*)$/.exec(file);
  try {
    if (tgz === null) return readFileSync(join(root, file), "utf8");
    return readTgz(readFileSync(join(root, tgz[1] ?? "")))
      .get(tgz[2] ?? "")
      ?.toString("utf8");
  } catch {
    return undefined;
  }
}

/** Unsure findings by reason (the probe's reason less its counts and key names). */
const unsureWhy = new Map<string, number>();
function unsureReason(text: string): string {
  if (text.startsWith("the rule names")) return "the rule names a container or pod, not a field";
  if (text.startsWith("not decided")) return "not decided: the render budget left candidate keys untried";
  if (text.startsWith("the chart does not render with any"))
    return "the chart does not render with any candidate set";
  if (text.startsWith("the chart does not render"))
    return "the chart does not render with a candidate key set alone";
  return text;
}

const fileCache = new Map<string, string[]>();
const probeCounts = new Map<string, number>();
const probeRules = new Map<string, Map<string, number>>();
let reachableCount = 0;
/** Confirmed paths whose marker reached the field only with a gate key flipped (`x.enabled: true`). */
let gated = 0;
/** Reachable findings that have a values path (a subset of reachableCount). */
let reachableWithPath = 0;
let total = 0;
let withValues = 0;
let unsure = 0;
let missingKeys = 0;
let missingWithValues = 0;
/** Findings without a values path whose template line reads values (a values key may reach them). */
let readsValues = 0;
const counts: Record<Verdict, number> = { ok: 0, wrong: 0, unknown: 0 };
const perRule = new Map<string, { total: number; values: number }>();
for (const chart of charts) {
  const kv = KUBE_VERSION[chart];
  const r = scan({
    paths: [chart],
    cwd: root,
    configFile: false,
    helm: kv === undefined ? {} : { kubeVersion: kv },
  });
  const lines = (file: string): string[] => {
    let l = fileCache.get(file);
    if (l === undefined) {
      l = (readChartFile(file) ?? "").split("\n");
      fileCache.set(file, l);
    }
    return l;
  };
  const probes: Map<Finding, ProbeResult> = probe
    ? probeChart(
        join(root, chart),
        kv === undefined ? [] : ["--kube-version", kv],
        r.findings.filter((f) => f.template !== undefined),
      )
    : new Map<Finding, ProbeResult>();
  for (const f of r.findings) {
    if (f.template === undefined) continue;
    const p = probes.get(f);
    if (p !== undefined) {
      const own = f.values?.path;
      const reachable = p.reached.length > 0 || (own !== undefined && p.unsure === undefined);
      let cls: string;
      if (own !== undefined) {
        if (p.reached.includes(own)) {
          cls = "confirmed";
          if (p.gate !== undefined) gated++;
        } else if (p.reached.length > 0) cls = "probe-wrong";
        else cls = "unconfirmed";
      } else if (p.reached.length > 0) cls = "missed";
      else if (p.unsure !== undefined) {
        cls = "unsure";
        const why = unsureReason(p.unsure);
        unsureWhy.set(why, (unsureWhy.get(why) ?? 0) + 1);
      } else cls = "hard-coded";
      probeCounts.set(cls, (probeCounts.get(cls) ?? 0) + 1);
      if (reachable) reachableCount++;
      if (reachable && own !== undefined) reachableWithPath++;
      const byRule = probeRules.get(f.ruleId) ?? new Map<string, number>();
      byRule.set(cls, (byRule.get(cls) ?? 0) + 1);
      probeRules.set(f.ruleId, byRule);
      if (list === cls || list === "probe")
        console.log(
          `${cls}\t${f.ruleId}\t${f.template.file}:${String(f.template.line)}\t${fieldOf(f).join(".")}\t${own ?? "-"}\t${p.reached.join(",") || p.unsure || "-"}${p.gate !== undefined ? ` (once ${p.gate} is true)` : ""}${f.template.valuesUnknown !== undefined ? `\t(${f.template.valuesUnknown})` : ""}`,
        );
    }
    total++;
    const pr = perRule.get(f.ruleId) ?? { total: 0, values: 0 };
    pr.total++;
    if (f.values !== undefined) {
      withValues++;
      pr.values++;
      const v = checkValuesPath(valuesOfChart(chart), f, lines, fieldOf(f) !== f.path);
      counts[v]++;
      if (list === v)
        console.log(
          `${v}\t${f.ruleId}\t${f.template.file}:${f.template.line}\t${f.path.join(".")}\t${f.values.path}`,
        );
    }
    if (f.exact === false) {
      missingKeys++;
      if (f.values !== undefined) missingWithValues++;
    }
    if (f.values === undefined && f.template.valuesUnknown !== undefined) unsure++;
    if (
      f.values === undefined &&
      /\.Values\b|\b(?:toYaml|tpl)\s+\./.test(lines(f.template.file)[f.template.line - 1] ?? "")
    )
      readsValues++;
    if (f.values === undefined && list === "none") {
      console.log(`none\t${f.ruleId}\t${f.template.file}:${f.template.line}\t${f.path.join(".")}`);
    }
    perRule.set(f.ruleId, pr);
  }
}

const pct = (a: number, b: number) => (b === 0 ? "0" : ((100 * a) / b).toFixed(1));
console.log(`${charts.length} charts, ${total} findings with a template location`);
console.log(`with a values path: ${withValues} (${pct(withValues, total)}%)`);
console.log(
  `findings on a missing key: ${missingKeys}, with a values path: ${missingWithValues} (${pct(missingWithValues, missingKeys)}%)`,
);
console.log(`without a values path: marked unsure ${unsure}; template line reads values ${readsValues}`);
console.log(
  `checked against values.yaml: ok ${counts.ok}, wrong ${counts.wrong}, unknown (path not defaulted) ${counts.unknown}`,
);
console.log("\n| rule | findings | with values path |");
console.log("|---|---:|---:|");
for (const [rule, c] of [...perRule].sort((a, b) => b[1].total - a[1].total).slice(0, 15))
  console.log(`| ${rule} | ${c.total} | ${pct(c.values, c.total)}% |`);

if (probe) {
  const c = (k: string) => probeCounts.get(k) ?? 0;
  // Of the reachable findings only: a values path whose probe render failed is not counted (it
  // is neither reachable nor missed); counting it made this share look higher than it was.
  const withPath = reachableWithPath;
  console.log(`\nprobe (a marker at every candidate values key, chart rendered again):`);
  console.log(
    `  findings a values key reaches (the probe, or a values path it does not contradict): ${String(reachableCount)}`,
  );
  console.log(`  of those with a values path: ${String(withPath)} (${pct(withPath, reachableCount)}%)`);
  console.log(
    `  values path confirmed by its marker: ${String(c("confirmed"))} (${String(gated)} of them once the \`enabled\` or \`create\` key above is set true); not confirmed (no marker reached the field): ${String(c("unconfirmed"))}; contradicted (another key's marker reached it, not the path's): ${String(c("probe-wrong"))}`,
  );
  console.log(
    `  without a values path: reachable (missed) ${String(c("missed"))}; hard-coded (no marker reached the field) ${String(c("hard-coded"))}; unsure ${String(c("unsure"))}`,
  );
  console.log("  unsure by reason:");
  for (const [why, n] of [...unsureWhy].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n)}\t${why}`);
  console.log("\n| rule | confirmed | unconfirmed | contradicted | missed | hard-coded | unsure |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const [rule, m] of [...probeRules]
    .sort((a, b) => (b[1].get("missed") ?? 0) - (a[1].get("missed") ?? 0))
    .slice(0, 25))
    console.log(
      `| ${rule} | ${["confirmed", "unconfirmed", "probe-wrong", "missed", "hard-coded", "unsure"].map((k) => String(m.get(k) ?? 0)).join(" | ")} |`,
    );
}
