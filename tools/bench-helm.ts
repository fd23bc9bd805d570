// Benchmark: kubeward on all charts of the corpus vs `helm template` alone on the same charts, both
// rendering charts in parallel across cores. Usage: npx tsx tools/bench-helm.ts [--runs N] [CHARTS_DIR]
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { loadResources, scan } from "../src/api.js";
import { helmEnv } from "../src/inputs/helm.js";
import { runJobs } from "../src/inputs/run.js";
import { findHelm } from "../src/inputs/tools.js";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt === -1 ? 3 : Number(args[runsAt + 1]);
const positional = args.filter((a, i) => !a.startsWith("--") && (runsAt === -1 || i !== runsAt + 1));
const root = positional[0] ?? join(import.meta.dirname, "..", "..", "shared", "corpus", "mycharts", "charts");

// Charts that need flags (../shared/corpus/README.md). kubeward finds the schema fallback itself.
const KUBE_VERSION: Record<string, string> = { rancher: "v1.25.16" };
const SKIP_SCHEMA = new Set(["artifact-hub", "nginx-ingress"]);

const charts = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const found = findHelm();
if (found === undefined) throw new Error("no helm: see src/inputs/tools.ts");
const helm = found;
const env = helmEnv(process.env);

function helmAlone(): { ms: number; failed: string[] } {
  const t = performance.now();
  const results = runJobs(
    charts.map((c) => ({
      command: helm.command,
      args: [
        "template",
        "release-name",
        join(root, c),
        "--namespace",
        "default",
        ...(KUBE_VERSION[c] !== undefined ? ["--kube-version", KUBE_VERSION[c]] : []),
        ...(SKIP_SCHEMA.has(c) ? ["--skip-schema-validation"] : []),
      ],
      env,
      cwd: root,
      timeoutMs: 120_000,
    })),
  );
  return { ms: performance.now() - t, failed: charts.filter((_, i) => results[i]?.status !== 0) };
}

function kubeward(load: boolean): { ms: number; resources: number; findings: number; errors: number } {
  const plain = charts.filter((c) => KUBE_VERSION[c] === undefined);
  const special = charts.filter((c) => KUBE_VERSION[c] !== undefined);
  const t = performance.now();
  let resources = 0;
  let findings = 0;
  let errors = 0;
  // One call for the charts without flags (rendered in parallel), one per chart that needs a flag.
  const batches: [string[], string | undefined][] = [
    [plain, undefined],
    ...special.map((c): [string[], string | undefined] => [[c], KUBE_VERSION[c]]),
  ];
  for (const [paths, kubeVersion] of batches) {
    const opts = {
      paths,
      cwd: root,
      helm: kubeVersion === undefined ? {} : { kubeVersion },
    };
    if (load) {
      const l = loadResources(opts);
      resources += l.resources.length;
      errors += l.findings.filter((f) => f.ruleId === "render-error").length;
    } else {
      const r = scan({ ...opts, configFile: false });
      resources += r.summary.resources;
      findings += r.summary.findings;
      errors += r.findings.filter((f) => f.ruleId === "render-error").length;
    }
  }
  return { ms: performance.now() - t, resources, findings, errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const helmTimes: number[] = [];
const loadTimes: number[] = [];
const scanTimes: number[] = [];
let last: ReturnType<typeof kubeward> | undefined;
let failed: string[] = [];
helmAlone(); // warm the file cache
for (let i = 0; i < runs; i++) {
  // Alternate the order so that neither kubeward step always runs right after helm alone.
  const h = helmAlone();
  helmTimes.push(h.ms);
  failed = h.failed;
  if (i % 2 === 0) {
    loadTimes.push(kubeward(true).ms);
    last = kubeward(false);
    scanTimes.push(last.ms);
  } else {
    last = kubeward(false);
    scanTimes.push(last.ms);
    loadTimes.push(kubeward(true).ms);
  }
}

const h = median(helmTimes);
console.log(
  `runs (s): helm ${helmTimes.map((x) => (x / 1000).toFixed(2)).join(" ")}; load ${loadTimes
    .map((x) => (x / 1000).toFixed(2))
    .join(" ")}; scan ${scanTimes.map((x) => (x / 1000).toFixed(2)).join(" ")}`,
);
const rows: [string, number][] = [
  ["helm template alone", h],
  ["kubeward render + parse (loadResources)", median(loadTimes)],
  ["kubeward scan (render + parse + rules + mapping)", median(scanTimes)],
];
const cores = availableParallelism();
console.log(
  `${charts.length} charts, ${cores} cores, helm ${helm.source} (${helm.command.split("/").at(-1) ?? ""}), median of ${runs} runs`,
);
if (failed.length > 0) console.log(`helm alone failed on: ${failed.join(", ")}`);
console.log(
  `kubeward: ${last?.resources ?? 0} resources, ${last?.findings ?? 0} findings, ${last?.errors ?? 0} render errors\n`,
);
console.log("| step | wall time | vs helm alone |");
console.log("|---|---:|---:|");
for (const [name, ms] of rows)
  console.log(`| ${name} | ${(ms / 1000).toFixed(2)} s | ${(ms / h).toFixed(2)}× |`);
