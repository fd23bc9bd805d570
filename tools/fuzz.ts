// Long fuzz run (issue 9): `npx tsx tools/fuzz.ts [COUNT] [FIRST_SEED] [RENDER_COUNT]` (defaults
// 500, 1, 0): COUNT YAML/JSON cases, then RENDER_COUNT Helm and RENDER_COUNT Kustomize cases.
// Prints each violation with the seed that replays it (makeCase(seed, seedCorpus())), and exits 1
// if there was any. Not a timed test: a script, like the benchmarks.
import { fuzz } from "../test/fuzz/fuzz-core.js";
import { fuzzRendered } from "../test/fuzz/fuzz-render.js";

const count = Number(process.argv[2] ?? 500);
const first = Number(process.argv[3] ?? 1);
const started = performance.now();
const renderCount = Number(process.argv[4] ?? 0);
const violations = [
  ...(await fuzz(first, count, 20_000)),
  ...(await fuzzRendered(first, renderCount, 60_000)),
];
for (const v of violations) console.log(`seed ${v.seed} [${v.format}]: ${v.problem}`);
const s = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${count} cases + ${renderCount} Helm and ${renderCount} Kustomize cases from seed ${first}, 5 formats each: ${violations.length} violations in ${s} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
process.exitCode = violations.length > 0 ? 1 : 0;
