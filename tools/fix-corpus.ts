// Runs `kubeward fix` (in memory, nothing written) over the corpus and prints a per-chart table.
//
// Manifest mode: tsx tools/fix-corpus.ts [--unsafe] [DIR] (default ../shared/corpus/mycharts/rendered,
// one file per chart as `helm template` rendered it): findings before, fixes applied and verified,
// findings left (by reason) and fixes dropped by verification.
//
// Chart mode: tsx tools/fix-corpus.ts --charts [--unsafe] [--patch-templates] [--only NAME,...] [DIR]
// (default ../shared/corpus/mycharts/charts): each chart fixed through a values override (rendered
// and verified by real helm; nothing written), and with --patch-templates also through template
// patches: findings before, fixed through values, fixed by template patch, left (with reasons),
// verification failures, new findings. Charts that need flags to render (render-status.tsv) get them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fix } from "../src/api.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const unsafe = args.includes("--unsafe");
if (args.includes("--charts")) {
  chartMode();
  process.exit(0);
}
const dir =
  args.find((a) => !a.startsWith("--")) ?? join(here, "..", "..", "shared", "corpus", "mycharts", "rendered");
if (!existsSync(dir)) {
  console.log(`no corpus at ${dir}; nothing to do`);
  process.exit(0);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const totals = { before: 0, applied: 0, after: 0, unfixable: 0, skipped: 0, failed: 0, newFindings: 0 };
const reasons = new Map<string, number>();
console.log(
  `| chart | findings before | fixed (verified) | left | not fixable | skipped | verification failures |`,
);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const file of files) {
  const r = fix({ paths: [file], cwd: dir, configFile: false, unsafe });
  const count = (s: string) => r.unfixed.filter((u) => u.status === s).length;
  for (const u of r.unfixed) {
    const key = `${u.status}: ${u.ruleId}: ${u.reason.replace(/\(.*$/, "").slice(0, 110)}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  totals.before += r.findingsBefore;
  totals.applied += r.applied.length;
  totals.after += r.findingsAfter;
  totals.unfixable += count("unfixable");
  totals.skipped += count("skipped");
  totals.failed += count("failed");
  if (r.findingsAfter > r.findingsBefore) totals.newFindings += r.findingsAfter - r.findingsBefore;
  console.log(
    `| ${file.replace(/\.yaml$/, "")} | ${String(r.findingsBefore)} | ${String(r.applied.length)} | ${String(r.findingsAfter)} | ${String(count("unfixable"))} | ${String(count("skipped"))} | ${String(count("failed"))} |`,
  );
}
console.log(
  `| **total (${String(files.length)} charts)** | ${String(totals.before)} | ${String(totals.applied)} | ${String(totals.after)} | ${String(totals.unfixable)} | ${String(totals.skipped)} | ${String(totals.failed)} |`,
);
console.log(`\nCharts whose findings grew: ${String(totals.newFindings)} new findings in total.`);
console.log(`\nMost common reasons a finding was left (count, status: rule: reason):`);
for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`- ${String(n)} × ${k}`);

function chartMode(): void {
  const patchTemplates = args.includes("--patch-templates");
  const onlyAt = args.indexOf("--only");
  const only = onlyAt === -1 ? undefined : new Set((args[onlyAt + 1] ?? "").split(","));
  const root =
    args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--only") ??
    join(here, "..", "..", "shared", "corpus", "mycharts", "charts");
  if (!existsSync(root)) {
    console.log(`no corpus at ${root}; nothing to do`);
    return;
  }
  // Charts the corpus renders with --skip-schema-validation (remote $refs) or not at all.
  const status = new Map<string, string>();
  const tsv = join(root, "..", "render-status.tsv");
  if (existsSync(tsv)) {
    for (const line of readFileSync(tsv, "utf8").split("\n").slice(1)) {
      const [, path, , mode] = line.split("\t");
      if (path !== undefined && mode !== undefined) status.set(path, mode);
    }
  }
  const charts = readdirSync(root)
    .filter((c) => existsSync(join(root, c, "Chart.yaml")) && (only === undefined || only.has(c)))
    .sort();
  const t = { before: 0, values: 0, template: 0, left: 0, failed: 0, newFindings: 0, errors: 0, renders: 0 };
  const reasons = new Map<string, number>();
  console.log(
    `mode: values${patchTemplates ? " + template patches" : " only"}${unsafe ? ", --unsafe" : ", safe fixes only"}\n`,
  );
  console.log(
    "| chart | findings before | fixed through values | fixed by template patch | left | verification failures | renders |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const started = performance.now();
  for (const chart of charts) {
    const skip = status.get(chart) === "skip-schema";
    let r;
    try {
      r = fix({
        paths: [chart],
        cwd: root,
        configFile: false,
        unsafe,
        patchTemplates,
        helm: { skipSchemaValidation: skip },
      });
    } catch (err) {
      console.log(`| ${chart} | error: ${(err as Error).message.split("\n")[0] ?? ""} | | | | | |`);
      t.errors++;
      continue;
    }
    const c = r.charts[0];
    if (c === undefined || c.error !== undefined) {
      console.log(`| ${chart} | does not render: ${(c?.error ?? "no chart").slice(0, 80)} | | | | | |`);
      t.errors++;
      continue;
    }
    const templ = c.patches.reduce((n, p) => n + p.fixes.length, 0);
    const failed = c.unfixed.filter((u) => u.status === "failed").length;
    for (const u of c.unfixed) {
      const key = `${u.status}: ${u.reason
        .replace(/\(.*$/, "")
        .replace(/`[^`]*`/g, "`…`")
        .slice(0, 100)}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    t.before += c.findingsBefore;
    t.values += c.valuesFixes.length;
    t.template += templ;
    t.left += c.findingsAfter;
    t.failed += failed;
    t.renders += c.renders;
    if (c.findingsAfter > c.findingsBefore) t.newFindings += c.findingsAfter - c.findingsBefore;
    console.log(
      `| ${chart} | ${String(c.findingsBefore)} | ${String(c.valuesFixes.length)} | ${String(templ)} | ${String(c.findingsAfter)} | ${String(failed)} | ${String(c.renders)} |`,
    );
  }
  console.log(
    `| **total (${String(charts.length)} charts)** | ${String(t.before)} | ${String(t.values)} | ${String(t.template)} | ${String(t.left)} | ${String(t.failed)} | ${String(t.renders)} |`,
  );
  console.log(
    `\n${String(t.errors)} charts not fixed (did not render); ${String(t.newFindings)} new findings in charts whose count grew; ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
  console.log(`\nMost common reasons a finding was left (count, status: reason):`);
  for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`- ${String(n)} × ${k}`);
}
