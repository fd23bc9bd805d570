// Runs `kubeward fix` (in memory, nothing written) over every rendered chart of the corpus and prints,
// per chart: findings before, fixes applied and verified, findings left (by reason) and fixes dropped
// by verification. Usage: tsx tools/fix-corpus.ts [--unsafe] [DIR] (default
// ../shared/corpus/mycharts/rendered: one file per chart, as `helm template` rendered it).
// This fixes the rendered manifests; fixing a chart through its values is not implemented yet.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fix } from "../src/api.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const unsafe = args.includes("--unsafe");
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
