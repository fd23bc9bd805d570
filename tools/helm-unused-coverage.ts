// helm-unused-value on the corpus charts (../shared/corpus/mycharts): each chart's own values.yaml
// passed as a user file must give no finding; a misspelling of each of its top-level keys
// (`<key>Zq`) should be reported. Also counts the values.yaml keys that the template analysis alone
// finds unread (dead defaults, or reads it misses). Usage: npx tsx tools/helm-unused-coverage.ts
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chartFacts } from "../src/inputs/helm.js";
import { valuesSource } from "../src/inputs/helm-map.js";
import { unusedValueFindings, type ChartFacts } from "../src/inputs/helm-unused.js";

const CORPUS = join(import.meta.dirname, "..", "..", "shared", "corpus", "mycharts");
if (!existsSync(join(CORPUS, "charts"))) {
  console.error(`${CORPUS} is absent`);
  process.exit(1);
}
const at = { file: "Chart.yaml", line: 1, column: 1 };
let charts = 0;
let ownFindings = 0;
let typos = 0;
let caught = 0;
let unreadDefaults = 0;
const blind: string[] = [];
for (const c of readdirSync(join(CORPUS, "charts")).sort()) {
  const dir = join(CORPUS, "charts", c);
  if (!existsSync(join(dir, "Chart.yaml"))) continue;
  charts++;
  const facts: ChartFacts = chartFacts(dir, CORPUS);
  const own = valuesSource(`charts/${c}/values.yaml`, readFileSync(join(dir, "values.yaml"), "utf8"));
  if (own === undefined) continue;
  ownFindings += unusedValueFindings(facts, [{ source: own }], [], c, at).length;
  const keys = Object.keys((own.doc.toJSON() ?? {}) as object);
  const typo = valuesSource("typo.yaml", keys.map((k) => `${JSON.stringify(`${k}Zq`)}: 1`).join("\n"));
  const n = typo === undefined ? 0 : unusedValueFindings(facts, [{ source: typo }], [], c, at).length;
  typos += keys.length;
  caught += n;
  if (n < keys.length) blind.push(`${c} ${String(keys.length - n)}/${String(keys.length)}`);
  const values = new Map(facts.values);
  for (const k of values.keys()) if (!k.includes("/charts/")) values.delete(k);
  unreadDefaults += unusedValueFindings({ ...facts, values }, [{ source: own }], [], c, at).length;
}
console.log(`charts: ${String(charts)}`);
console.log(`findings with each chart's own values.yaml as -f: ${String(ownFindings)}`);
console.log(
  `misspelled top-level keys reported: ${String(caught)} of ${String(typos)} (${((100 * caught) / Math.max(1, typos)).toFixed(1)}%)`,
);
console.log(`not reported (analysis unsure): ${blind.join(", ") || "none"}`);
console.log(`values.yaml keys the template analysis alone finds unread: ${String(unreadDefaults)}`);
