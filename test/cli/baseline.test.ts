// --baseline and `kubeward baseline create` (issue 13 item 5).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onlyRules, privilegedDeployment, runCli, tempTree } from "../e2e/helpers.js";

const json = (stdout: string) =>
  JSON.parse(stdout) as {
    findings: { resource: { name: string } }[];
    summary: { findings: number; baselined?: number };
  };

describe("baseline", () => {
  it("accepts today's findings, survives moved lines, and fails only on new ones", async () => {
    const dir = tempTree({
      "k8s/web.yaml": privilegedDeployment("web"),
      "k8s/api.yaml": privilegedDeployment("api", { container: "main" }),
    });
    const created = await runCli(["baseline", "create", "k8s", ...onlyRules()], { cwd: dir });
    expect(created).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "kubeward: wrote 2 findings to .kubeward-baseline.json\n",
    });
    const baseline = JSON.parse(readFileSync(join(dir, ".kubeward-baseline.json"), "utf8")) as {
      findings: { ruleId: string; file: string; resource: string; path: string }[];
    };
    expect(baseline.findings[0]).toEqual({
      ruleId: "privileged-container",
      file: "k8s/api.yaml",
      resource: "apps/v1/Deployment//api",
      path: "spec.template.spec.containers[0].securityContext.privileged",
    });

    // Lines move: comments on top, and the document reordered below another object.
    writeFileSync(
      join(dir, "k8s/web.yaml"),
      `# owned by team web\n# see the runbook\n\n${privilegedDeployment("web")}`,
    );
    const clean = await runCli(
      ["scan", "k8s", "--baseline", ".kubeward-baseline.json", "--format", "json", ...onlyRules()],
      { cwd: dir },
    );
    expect(clean.code).toBe(0);
    expect(json(clean.stdout).summary).toMatchObject({ findings: 0, baselined: 2 });

    // A new finding, in a file with baselined ones, fails the run and is the only one reported.
    writeFileSync(
      join(dir, "k8s/web.yaml"),
      `${privilegedDeployment("web")}---\n${privilegedDeployment("new")}`,
    );
    const fresh = await runCli(
      ["scan", "k8s", "--baseline", ".kubeward-baseline.json", "--format", "json", ...onlyRules()],
      { cwd: dir },
    );
    expect(fresh.code).toBe(1);
    expect(json(fresh.stdout).findings.map((f) => f.resource.name)).toEqual(["new"]);
    expect(json(fresh.stdout).summary).toMatchObject({ findings: 1, baselined: 2 });

    const stylish = await runCli(["scan", "k8s", "--baseline", ".kubeward-baseline.json", ...onlyRules()], {
      cwd: dir,
    });
    expect(stylish.stdout).toMatch(/2 baselined/);
  });

  it("a second identical finding is not covered by one baseline entry", async () => {
    const dir = tempTree({ "a.yaml": privilegedDeployment("web") });
    await runCli(["baseline", "create", ".", "-o", "b.json", ...onlyRules()], { cwd: dir });
    // The same object twice in one file: one is baselined, the copy is new.
    writeFileSync(join(dir, "a.yaml"), `${privilegedDeployment("web")}---\n${privilegedDeployment("web")}`);
    const r = await runCli(["scan", ".", "--baseline", "b.json", "--format", "json", ...onlyRules()], {
      cwd: dir,
    });
    expect(json(r.stdout).summary).toMatchObject({ findings: 1, baselined: 1 });
  });

  it("a file that is not a baseline is a clear input error", async () => {
    const dir = tempTree({ "a.yaml": privilegedDeployment("web"), "b.json": '{"findings": []}' });
    for (const [file, message] of [
      ["b.json", /b\.json: not a kubeward baseline/],
      ["a.yaml", /a\.yaml: not JSON/],
      ["missing.json", /cannot read baseline missing\.json/],
    ] as const) {
      const r = await runCli(["scan", ".", "--baseline", file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
