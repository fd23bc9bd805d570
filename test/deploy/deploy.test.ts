// kubeward's own Kubernetes manifests and Helm chart (deploy/, issue 13 items 3 and 7) scan clean
// with every default rule, and the chart renders one shard report per shard into the merge Job.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../e2e/helpers.js";

const repo = join(import.meta.dirname, "..", "..");

interface Report {
  findings: { ruleId: string; file: string; line: number }[];
  summary: { resources: number; findings: number; suppressed: number };
}

async function scanDeploy(...args: string[]) {
  const r = await runCli(["scan", "deploy", "--no-config", "--no-exemptions", "--format", "json", ...args], {
    cwd: repo,
    env: process.env,
  });
  return { ...r, report: JSON.parse(r.stdout || "{}") as Report };
}

describe("deploy/", () => {
  it("has zero findings (no suppression either) over the Indexed Job manifests and the rendered chart", async () => {
    const r = await scanDeploy();
    expect(r.report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.summary).toMatchObject({ resources: 8, findings: 0, suppressed: 0 });
  });

  it("stays clean with other values", async () => {
    const r = await scanDeploy("--set", "shards=7", "--set", "unit=file", "--set", "failOn=critical");
    expect(r.report.summary).toMatchObject({ resources: 8, findings: 0 });
  });
});
