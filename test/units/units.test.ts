// Units of scan (issue 13 item 2): each unit has its own cross-object scope, all units run in one
// process on worker threads, and the findings are exactly those of scanning each unit alone.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type ScanOptions, type ScanResult } from "../../src/api.js";
import { formatJson } from "../../src/report/json.js";
import { emptySummary, mergeParts } from "../../src/units/merge.js";
import { EMPTY_CONFIG } from "../../src/core/config.js";
import { FORMATTERS } from "../../src/report/index.js";
import { BYTES_PER_THREAD, defaultJobs, runUnits, scanUnits, unitsOf } from "../../src/units/pool.js";
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
      // All units on the workers, none on the main thread: the same again.
      const workersOnly = await scanUnits(options, { unit, jobs: 2, mainThread: false });
      expect(json(workersOnly)).toEqual(json(together));
    });
  }

  it("hands units to the workers when the main thread does not scan", async () => {
    const { units } = unitsOf(options, "file");
    const run = await runUnits(units, { ...options, config: EMPTY_CONFIG }, { jobs: 2, mainThread: false });
    expect(run.byWorker).toBe(units.length);
    expect(run.parts.map((p) => p.summary.files)).toEqual([1, 1, 1, 1]);
    const inline = await runUnits(units, { ...options, config: EMPTY_CONFIG }, { jobs: 1 });
    expect(inline.byWorker).toBe(0);
  });

  it("keeps the texts of files with findings for code frames, only the names of the others", async () => {
    const withFrames = await scanUnits(options, { unit: "file", jobs: 2, mainThread: false });
    expect([...withFrames.texts.keys()].sort()).toEqual([
      "api/both.yaml",
      "api/lonely.yaml",
      "web/deployment.yaml",
      "web/service.yaml",
    ]);
    expect(withFrames.texts.get("web/deployment.yaml")).toContain("kind: Deployment");
    const none = await scanUnits(options, { unit: "file", jobs: 2, texts: "none" });
    expect([...none.texts.keys()].sort()).toEqual([...withFrames.texts.keys()].sort());
    expect([...none.texts.values()].every((t) => t === "")).toBe(true);
  });

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
    // It scans the 63 charts twice (together, then one by one): about 40 s alone, more than the
    // default 60 s limit when the machine is loaded, so it gets a larger limit (not a timing assertion).
  }, 240_000);
});
if (!existsSync(join(corpus, "rendered"))) console.log(`skipped: no corpus at ${corpus}`);

describe("defaultJobs", () => {
  const unit = (size: number, rendered = false) => ({ key: "k", paths: [], size, rendered });
  it("uses the cores only when there is enough work for each thread", () => {
    expect(defaultJobs([unit(1024)], 8)).toBe(1);
    expect(defaultJobs([unit(BYTES_PER_THREAD * 2 - 1)], 2)).toBe(1);
    expect(defaultJobs([unit(5_450_000)], 2)).toBe(2);
    expect(defaultJobs([unit(BYTES_PER_THREAD * 3)], 8)).toBe(3);
    expect(defaultJobs([unit(BYTES_PER_THREAD * 30)], 8)).toBe(8);
    // Charts and kustomizations are rendered by helm/kustomize: they weigh more than their files.
    expect(
      defaultJobs(
        Array.from({ length: 8 }, () => unit(1000, true)),
        2,
      ),
    ).toBe(2);
  });
});

describe("--unit with Secrets", () => {
  const SECRET = "hunter2-very-secret";
  const B64 = Buffer.from(SECRET).toString("base64");
  const dir = tempTree({
    "a/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: default\ndata:\n  password: ${B64}\nstringData:\n  token: ${SECRET}\n`,
    "b/other.yaml": service("web", "web"),
  });
  const options: ScanOptions = { paths: ["."], cwd: dir, configFile: false };

  // The units' secret lines used to be dropped on the way back, so the code frame of a finding next
  // to a Secret's data printed the value.
  it.each([1, 2])("stylish frames mask Secret data with --jobs %i", async (jobs) => {
    const r = await scanUnits(options, { unit: "file", jobs, mainThread: jobs === 1 });
    expect(r.findings.some((f) => f.file === "a/secret.yaml" && f.line >= 4)).toBe(true);
    const out = FORMATTERS["stylish"]?.(r, { color: false }) ?? "";
    expect(out).toContain("****");
    expect(out).not.toContain(B64);
    expect(out).not.toContain(SECRET);
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
