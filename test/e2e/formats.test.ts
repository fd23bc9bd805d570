// Issue item 7 end to end: every --format, repeated --format each with its own --output, and the
// JSON report's contract field names.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onlyRules, positionOf, privilegedDeployment, runCli, tempTree, type JsonReport } from "./helpers.js";

const DEPLOY = privilegedDeployment("web", { namespace: "prod" });
const TREE = { "deploy.yaml": DEPLOY, "values.yaml": "replicaCount: 1\n" };
const AT = positionOf(DEPLOY, "privileged: true");

describe("formats", () => {
  it("stylish is the default: file header, finding, frame, fix, summary; no colour off a TTY", async () => {
    const r = await runCli(["scan", ...onlyRules()], { cwd: tempTree(TREE) });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("deploy.yaml");
    expect(r.stdout).toContain(
      `\n  ${AT.line}:${AT.column}  critical  Container \`app\` runs privileged.  privileged-container\n`,
    );
    expect(r.stdout).toContain("at Deployment/prod/web, container app");
    expect(r.stdout).toMatch(new RegExp(`^ {4}> ${AT.line} \\| {13}privileged: true$`, "m"));
    expect(r.stdout).toContain("fix: Remove `securityContext.privileged: true`");
    expect(r.stdout).toContain(
      "✖ 1 finding: 1 critical (2 files, 1 resource, 0 suppressed, 1 non-Kubernetes document skipped)",
    );
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it("colours stylish on a TTY unless NO_COLOR or --no-color, and with --color anywhere", async () => {
    const cwd = tempTree(TREE);
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect((await runCli(["scan", ...onlyRules()], { cwd, isTTY: true })).stdout).toMatch(ansi);
    expect(
      (await runCli(["scan", ...onlyRules()], { cwd, isTTY: true, env: { NO_COLOR: "1" } })).stdout,
    ).not.toMatch(ansi);
    expect((await runCli(["scan", "--no-color", ...onlyRules()], { cwd, isTTY: true })).stdout).not.toMatch(
      ansi,
    );
    expect((await runCli(["scan", "--color", ...onlyRules()], { cwd })).stdout).toMatch(ansi);
  });

  it("json keeps the contract field names", async () => {
    const r = await runCli(["scan", "--format", "json", ...onlyRules()], { cwd: tempTree(TREE) });
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "privileged-container",
      severity: "critical",
      category: "security",
      message: "Container `app` runs privileged.",
      remediation: expect.stringMatching(/\.$/) as unknown,
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "web" },
      path: ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"],
      file: "deploy.yaml",
      line: AT.line,
      column: AT.column,
    });
    expect(report.summary).toMatchObject({ files: 2, resources: 1, skipped: 1, findings: 1, suppressed: 0 });
    expect(report.summary.bySeverity).toEqual({ info: 0, low: 0, medium: 0, high: 0, critical: 1 });
  });

  it("sarif, junit and github print their own formats", async () => {
    const cwd = tempTree(TREE);
    const sarif = await runCli(["scan", "--format", "sarif", ...onlyRules()], { cwd });
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toEqual(["privileged-container"]);
    const junit = await runCli(["scan", "--format", "junit", ...onlyRules()], { cwd });
    expect(junit.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(junit.stdout).toContain('<failure message="Container `app` runs privileged." type="critical">');
    const gh = await runCli(["scan", "--format", "github", ...onlyRules()], { cwd });
    expect(gh.stdout.split("\n")[0]).toMatch(
      new RegExp(
        `^::error file=deploy\\.yaml,line=${AT.line},col=${AT.column},endLine=${AT.line},endColumn=${AT.column + 16},` +
          "title=privileged-container \\(critical\\)::Container `app` runs privileged\\.",
      ),
    );
    for (const r of [sarif, junit, gh]) expect(r.code).toBe(1);
  });

  it("repeated --format, each with its own --output; a --format without --output goes to stdout", async () => {
    const cwd = tempTree(TREE);
    const r = await runCli(
      [
        "scan",
        ...onlyRules(),
        "--format",
        "sarif",
        "--output",
        "out/report.sarif",
        "--format",
        "json",
        "-o",
        "report.json",
        "--format",
        "junit",
        "--output",
        "junit.xml",
        "--format",
        "github",
      ],
      { cwd: join(cwd) },
    );
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith("::error file=deploy.yaml,")).toBe(true);
    expect(r.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(cwd, "report.json"), "utf8"))).toMatchObject({ schemaVersion: 1 });
    expect(readFileSync(join(cwd, "junit.xml"), "utf8")).toContain("<testsuites ");
    // A missing output directory is created.
    expect(JSON.parse(readFileSync(join(cwd, "out/report.sarif"), "utf8"))).toMatchObject({
      version: "2.1.0",
    });
  });

  it("--output takes absolute paths too, and an unwritable one is a usage error (exit 2)", async () => {
    const cwd = tempTree(TREE);
    const elsewhere = tempTree();
    const ok = await runCli(["scan", ...onlyRules(), "--format", "json", "-o", join(elsewhere, "r.json")], {
      cwd,
    });
    expect(ok.code).toBe(1);
    expect(existsSync(join(elsewhere, "r.json"))).toBe(true);
    // A directory in the way of the file.
    const bad = await runCli(["scan", ...onlyRules(), "--format", "json", "-o", "deploy.yaml/r.json"], {
      cwd,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kubeward: cannot write .*r\.json/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("a lone --output writes the default stylish format to the file; stdout stays empty", async () => {
    const cwd = tempTree(TREE);
    const r = await runCli(["scan", ...onlyRules(), "--output", "report.txt"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const text = readFileSync(join(cwd, "report.txt"), "utf8");
    expect(text.split("\n")[0]).toBe("deploy.yaml");
    // Files never get colour, even with --color.
    const c = await runCli(["scan", ...onlyRules(), "--color", "--output", "c.txt"], { cwd });
    expect(c.code).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(readFileSync(join(cwd, "c.txt"), "utf8")).not.toMatch(/\u001b\[/);
    expect(readdirSync(cwd).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
