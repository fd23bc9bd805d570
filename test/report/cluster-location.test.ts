// Findings on live cluster objects (`scan --cluster`) carry a kubectl reference and a field path
// instead of file:line, and every format says so sensibly: no made-up file, no "undefined", no 0:0.
import { describe, expect, it } from "vitest";
import { applyBaseline, createBaseline } from "../../src/core/baseline.js";
import { EMPTY_CONFIG } from "../../src/core/config.js";
import { resultOf, type ScanResult } from "../../src/api.js";
import { readReport } from "../../src/cli/merge.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import { formatGithub } from "../../src/report/github.js";
import { formatJson } from "../../src/report/json.js";
import { formatJunit } from "../../src/report/junit.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { formatSarif } from "../../src/report/sarif.js";
import { formatStylish } from "../../src/report/stylish.js";
import { mergeParts } from "../../src/units/merge.js";
import { DEMO_RULES, DEPLOYMENT, TODAY, sarifValidator, scanFiles } from "./helpers.js";

/** The demo Deployment as if read from a live cluster (context prod). */
function clusterResult(): ScanResult {
  const parsed = parseYaml(DEPLOYMENT, "ignored.yaml");
  const resources = parsed.resources.map((r) => ({
    ...r,
    cluster: { ref: "deployment/web -n prod", context: "prod" },
  }));
  return resultOf(
    { resources, findings: [], skipped: 0, texts: new Map(), files: 0 },
    { paths: [], rules: DEMO_RULES, today: TODAY },
    EMPTY_CONFIG,
    undefined,
  );
}

const PRIVILEGED = "spec.template.spec.containers[0].securityContext.privileged";

describe("findings on cluster objects", () => {
  const result = clusterResult();

  it("the engine gives them the object's kubectl reference and the field path, and no file position", () => {
    const f = result.findings.find((x) => x.ruleId === "demo-privileged");
    expect(f).toMatchObject({
      source: "cluster",
      cluster: { ref: "deployment/web -n prod", fieldPath: PRIVILEGED, context: "prod" },
    });
    expect(f?.file).toBeUndefined();
    expect(f?.line).toBeUndefined();
    expect(result.findings.map((x) => x.ruleId).sort()).toEqual(["demo-latest-tag", "demo-privileged"]);
  });

  it("stylish: grouped under the object, the field path instead of line:column, no code frame", () => {
    const text = formatStylish(result, {});
    const lines = text.split("\n");
    expect(lines[0]).toBe("deployment/web -n prod");
    expect(text).toContain(`    at ${PRIVILEGED}, container app\n`);
    expect(text).toMatch(/^ {2}critical {2}Container `app` runs privileged\. {2}demo-privileged$/m);
    expect(text).not.toMatch(/undefined|ignored\.yaml|\b0:0\b|\|/);
  });

  it("JSON: source cluster and the reference, no file, line or column", () => {
    const doc = JSON.parse(formatJson(result, {})) as { findings: Record<string, unknown>[] };
    const f = doc.findings.find((x) => x["ruleId"] === "demo-privileged");
    expect(f).toMatchObject({
      source: "cluster",
      cluster: { ref: "deployment/web -n prod", fieldPath: PRIVILEGED, context: "prod" },
      resource: { kind: "Deployment", namespace: "prod", name: "web" },
    });
    expect(Object.keys(f ?? {})).not.toEqual(expect.arrayContaining(["file"]));
    expect(f).not.toHaveProperty("line");
  });

  it("SARIF: valid, logical locations only (object, then field), no artifact", () => {
    const log = JSON.parse(formatSarif(result, { version: "1.0.0" })) as {
      runs: { results: { ruleId: string; locations: Record<string, unknown>[] }[] }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const r = log.runs[0]?.results.find((x) => x.ruleId === "demo-privileged");
    expect(r?.locations).toEqual([
      {
        logicalLocations: [
          { name: "web", fullyQualifiedName: "deployment/web -n prod", kind: "resource" },
          {
            name: PRIVILEGED,
            fullyQualifiedName: `deployment/web -n prod ${PRIVILEGED}`,
            kind: "member",
            parentIndex: 0,
          },
        ],
      },
    ]);
    expect(JSON.stringify(log)).not.toContain("artifactLocation");
  });

  it("JUnit: one suite per object, the field path in the test name, no file attribute", () => {
    const xml = formatJunit(result, {});
    expect(xml).toContain('<testsuite name="deployment/web -n prod" tests="2" failures="2"');
    expect(xml).toContain(`name="demo-privileged: Deployment/prod/web container app (${PRIVILEGED})"`);
    expect(xml).not.toMatch(/ file=| line=|undefined/);
  });

  it("GitHub: annotations without file or line, the object and field in the message", () => {
    const lines = formatGithub(result, {}).trimEnd().split("\n");
    const privileged = lines.find((l) => l.includes("demo-privileged")) ?? "";
    expect(privileged).toMatch(/^::error title=demo-privileged \(critical\)::/);
    expect(privileged).toContain(`[deployment/web -n prod ${PRIVILEGED}, container app]`);
    expect(lines.join("\n")).not.toMatch(/file=|line=|col=/);
  });

  it("markdown: the kubectl reference in the location column", () => {
    const md = formatMarkdown(result, {});
    expect(md).toContain(`\`deployment/web -n prod ${PRIVILEGED}\``);
    expect(md).not.toContain("undefined");
  });

  it("baseline: entries match by rule, resource and path (no file), and absorb the findings", () => {
    const baseline = createBaseline(result.findings);
    expect(baseline.findings.find((e) => e.ruleId === "demo-privileged")).toEqual({
      ruleId: "demo-privileged",
      file: "",
      resource: "apps/v1/Deployment/prod/web",
      path: PRIVILEGED,
    });
    expect(applyBaseline(clusterResult().findings, baseline).kept).toEqual([]);
    // The same object in a file is another finding: a repository baseline does not hide the cluster's.
    const fromFiles = createBaseline(scanFiles({ "web.yaml": DEPLOYMENT }).findings);
    expect(applyBaseline(result.findings, fromFiles).kept).toHaveLength(2);
  });

  it("merge: a JSON report read back gives the same findings, sorted after file findings", () => {
    const back = readReport("cluster.json", formatJson(result, {}));
    expect(back.findings).toEqual(result.findings);
    const files = scanFiles({ "web.yaml": DEPLOYMENT });
    const merged = mergeParts([back, files], {
      rules: DEMO_RULES,
      config: EMPTY_CONFIG,
      configFile: undefined,
    });
    expect(merged.findings.map((f) => f.source ?? "file")).toEqual(["file", "file", "cluster", "cluster"]);
    expect(formatStylish(merged, {})).toContain("deployment/web -n prod\n");
  });
});
