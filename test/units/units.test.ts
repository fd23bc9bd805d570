// Units of scan (issue 13 item 2): each unit has its own cross-object scope, all units run in one
// process on worker threads, and the findings are exactly those of scanning each unit alone.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type ScanOptions, type ScanResult } from "../../src/api.js";
import { formatJson } from "../../src/report/json.js";
import { emptySummary, mergeParts } from "../../src/units/merge.js";
import { EMPTY_CONFIG } from "../../src/core/config.js";
import { BYTES_PER_WORKER, defaultJobs, scanUnits, unitsOf } from "../../src/units/pool.js";
import { privilegedDeployment, tempTree } from "../e2e/helpers.js";

const service = (name: string, app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80}]\n`;
const deployment = (name: string) =>
  privilegedDeployment(name, { namespace: "shop" }).replace(
    "spec:\n  template:\n",
    `spec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n`,
  );

/** The JSON report: what a user compares (every finding field, the summary, suppressed ones). */
const json = (r: ScanResult) => JSON.parse(formatJson(r, {})) as unknown;

/** Scan every unit alone, as separate `kubeward scan UNIT` runs would, and put the reports together. */
function eachAlone(options: ScanOptions, unit: "file" | "dir" | "chart"): ScanResult {
  const { units, problems } = unitsOf({ ...options, configFile: false }, unit);
  const parts = units.map((u) => scan({ ...options, configFile: false, paths: u.paths }));
  return mergeParts([problems, ...parts], problems);
}

describe("--unit", () => {
  const dir = tempTree({
    "web/service.yaml": service("web", "web"),
    "web/deployment.yaml": deployment("web"),
    "api/both.yaml": `${service("api", "api")}---\n${deployment("api")}`,
    "api/lonely.yaml": service("lonely", "nobody"),
  });
  const options: ScanOptions = { paths: ["."], cwd: dir, configFile: false };

  it("lists units by file, by directory, and as one unit for all", () => {
    expect(unitsOf(options, "file").units.map((u) => u.key)).toEqual([
      "api/both.yaml",
      "api/lonely.yaml",
      "web/deployment.yaml",
      "web/service.yaml",
    ]);
    expect(unitsOf(options, "dir").units.map((u) => u.key)).toEqual(["api/*", "web/*"]);
    expect(unitsOf(options, "chart").units.map((u) => u.key)).toEqual(["(files)"]);
    expect(unitsOf(options, "all").units.map((u) => u.key)).toEqual(["."]);
  });

  it("gives every unit its own cross-object scope", async () => {
    const dangling = (r: ScanResult) =>
      r.findings.filter((f) => f.ruleId === "service-selector-dangling").map((f) => f.resource?.name);
    expect(dangling(scan(options))).toEqual(["lonely"]);
    // web/service.yaml alone does not see the Deployment in web/deployment.yaml.
    expect(dangling(await scanUnits(options, { unit: "file", jobs: 2 }))).toEqual(["lonely", "web"]);
    expect(dangling(await scanUnits(options, { unit: "dir", jobs: 2 }))).toEqual(["lonely"]);
  });

  for (const unit of ["file", "dir", "chart"] as const) {
    it(`--unit ${unit} on worker threads equals scanning each unit alone`, async () => {
      const together = await scanUnits(options, { unit, jobs: 2 });
      expect(json(together)).toEqual(json(eachAlone(options, unit)));
      expect(json(await scanUnits(options, { unit, jobs: 1 }))).toEqual(json(together));
    });
  }

  it("reports progress once per unit", async () => {
    const seen: string[] = [];
    await scanUnits(options, { unit: "file", jobs: 2, onProgress: (d, t) => seen.push(`${d}/${t}`) });
    expect(seen).toEqual(["1/4", "2/4", "3/4", "4/4"]);
  });
});

const corpus = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "mycharts");
describe.skipIf(!existsSync(join(corpus, "rendered")))("--unit file on the rendered corpus", () => {
  it("equals one scan per file, on 2 worker threads", async () => {
    const options: ScanOptions = { paths: ["rendered"], cwd: corpus, configFile: false };
    const together = await scanUnits(options, { unit: "file", jobs: 2 });
    expect(together.summary.files).toBeGreaterThan(50);
    expect(together.findings.length).toBeGreaterThan(1000);
    expect(json(together)).toEqual(json(eachAlone(options, "file")));
  });
});
if (!existsSync(join(corpus, "rendered"))) console.log(`skipped: no corpus at ${corpus}`);

describe("defaultJobs", () => {
  const unit = (size: number, rendered = false) => ({ key: "k", paths: [], size, rendered });
  it("uses the cores only when there is enough work for each worker", () => {
    expect(defaultJobs([unit(1024)], 8)).toBe(1);
    expect(defaultJobs([unit(5_450_000)], 2)).toBe(1);
    expect(defaultJobs([unit(BYTES_PER_WORKER * 3)], 2)).toBe(2);
    expect(defaultJobs([unit(BYTES_PER_WORKER * 3)], 8)).toBe(3);
    // Charts and kustomizations are rendered by helm/kustomize: they weigh more than their files.
    expect(
      defaultJobs(
        Array.from({ length: 8 }, () => unit(1000, true)),
        2,
      ),
    ).toBe(2);
  });
});

describe("mergeParts", () => {
  it("adds up the baselined counts of shards that used a baseline, and has none otherwise", () => {
    const part = (baselined?: number) => ({
      findings: [],
      suppressed: [],
      summary: { ...emptySummary(), ...(baselined !== undefined ? { baselined } : {}) },
    });
    const base = { rules: [], config: EMPTY_CONFIG, configFile: undefined };
    expect(mergeParts([part(1), part(2)], base).summary.baselined).toBe(3);
    expect(mergeParts([part(), part()], base).summary.baselined).toBeUndefined();
  });
});
