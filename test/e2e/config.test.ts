// Issue item 6 end to end: .kubeward.yaml discovery and --config, rule switches and severities,
// exemptions, ignorePaths, config errors with their line, suppression annotations with reasons and
// expiry dates, and --no-exemptions.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { positionOf, privilegedDeployment, runCli, scanJson, tempTree } from "./helpers.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { scan } from "../../src/api.js";
import { PEER_TOOLS } from "../../src/core/types.js";

const FUTURE = "2999-12-31";
const PAST = "2020-01-01";

describe("config file", () => {
  it("is discovered upward from the working directory", async () => {
    const root = tempTree({
      ".kubeward.yaml": "rules:\n  privileged-container: off\n",
      "team/app/d.yaml": privilegedDeployment("web"),
    });
    const fromSub = await scanJson(["."], { cwd: join(root, "team/app") });
    expect(fromSub.report.findings).toEqual([]);
    expect(fromSub.code).toBe(0);
    // --no-config ignores it.
    const ignored = await scanJson([".", "--no-config"], { cwd: join(root, "team/app") });
    expect(ignored.report.findings.map((f) => f.ruleId)).toEqual(["privileged-container"]);
  });

  it("--config names a file instead (relative to the working directory)", async () => {
    const root = tempTree({
      "d.yaml": privilegedDeployment("web"),
      "conf/strict.yaml": "rules:\n  privileged-container:\n    severity: low\n",
      ".kubeward.yaml": "rules:\n  privileged-container: off\n",
    });
    const r = await scanJson([".", "--config", "conf/strict.yaml"], { cwd: root });
    expect(r.report.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["privileged-container low"]);
    const missing = await runCli(["scan", ".", "--config", "nope.yaml"], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config .*nope\.yaml/);
  });

  it("severity override changes the reported severity; --enable/--disable win over the file", async () => {
    const root = tempTree({
      "d.yaml": privilegedDeployment("web"),
      ".kubeward.yaml": "rules:\n  privileged-container: medium\n",
    });
    const r = await scanJson(["."], { cwd: root });
    expect(r.report.findings.map((f) => f.severity)).toEqual(["medium"]);
    expect(r.report.summary.bySeverity).toMatchObject({ medium: 1, critical: 0 });
    const off = await scanJson([".", "--disable", "privileged-container"], { cwd: root });
    expect(off.report.findings).toEqual([]);
  });

  it("unknown keys are usage errors naming file, line and column", async () => {
    const text =
      "rules:\n  privileged-container: high\nexemptions:\n  - namespaces: [kube-system]\n    reasn: typo\nfrobs: 1\n";
    const root = tempTree({ "d.yaml": privilegedDeployment("web"), ".kubeward.yaml": text });
    const r = await runCli(["scan", "."], { cwd: root });
    expect(r.code).toBe(2);
    const reasn = positionOf(text, "reasn");
    const frobs = positionOf(text, "frobs");
    expect(r.stderr).toMatch(
      new RegExp(`\\.kubeward\\.yaml:${reasn.line}:${reasn.column}: .*unknown key \`reasn\``),
    );
    expect(r.stderr).toMatch(
      new RegExp(`\\.kubeward\\.yaml:${frobs.line}:${frobs.column}: .*unknown key \`frobs\``),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknownRule = tempTree({ ".kubeward.yaml": "rules:\n  no-such-rule: off\n" });
    const u = await runCli(["scan", "."], { cwd: unknownRule });
    expect(u.code).toBe(2);
    expect(u.stderr).toContain(".kubeward.yaml:2:3: unknown rule `no-such-rule`");
  });

  it("a misspelt or mistyped rule option is a usage error naming file, line and column", async () => {
    const text =
      "rules:\n  too-few-replicas:\n    options:\n      minReplica: 3\n  hpa-min-replicas:\n    options:\n      minReplicas: two\n";
    const root = tempTree({ "d.yaml": privilegedDeployment("web"), ".kubeward.yaml": text });
    const r = await runCli(["scan", "."], { cwd: root });
    expect(r.code).toBe(2);
    const typo = positionOf(text, "minReplica:");
    const two = positionOf(text, "two");
    expect(r.stderr).toContain(
      `.kubeward.yaml:${typo.line}:${typo.column}: rules.too-few-replicas: unknown option \`minReplica\` (did you mean \`minReplicas\`?)`,
    );
    expect(r.stderr).toContain(
      `.kubeward.yaml:${two.line}:${two.column}: rules.hpa-min-replicas: option \`minReplicas\` must be an integer, not string`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exemptions by namespace, by object name (with *) and by container, with their reason", async () => {
    const root = tempTree({
      "a.yaml": privilegedDeployment("agent", { namespace: "kube-system" }),
      "b.yaml": privilegedDeployment("debug-tools", { namespace: "prod" }),
      "c.yaml": privilegedDeployment("web", { namespace: "prod", container: "istio-init" }),
      "d.yaml": privilegedDeployment("api", { namespace: "prod" }),
      ".kubeward.yaml": [
        "exemptions:",
        "  - namespaces: [kube-system]",
        "    reason: system agents",
        "  - names: [debug-*]",
        "    rules: [privileged-container]",
        "    reason: break-glass tools",
        "  - containers: [istio-init]",
        "    reason: mesh init needs NET_ADMIN",
        "",
      ].join("\n"),
    });
    const r = await scanJson(["."], { cwd: root });
    expect(r.report.findings.map((f) => f.resource?.name)).toEqual(["api"]);
    expect(
      r.report.suppressed.map((f) => [f.resource?.name, f.suppression.kind, f.suppression.reason]).sort(),
    ).toEqual([
      ["agent", "config", "system agents"],
      ["debug-tools", "config", "break-glass tools"],
      ["web", "config", "mesh init needs NET_ADMIN"],
    ]);
    expect(r.report.summary.suppressed).toBe(3);
    // --no-exemptions reports them all (audit).
    const audit = await scanJson([".", "--no-exemptions"], { cwd: root });
    expect(audit.report.findings.map((f) => f.resource?.name).sort()).toEqual([
      "agent",
      "api",
      "debug-tools",
      "web",
    ]);
    expect(audit.report.suppressed).toEqual([]);
  });

  it("ignorePaths skips files, relative to the working directory", async () => {
    const root = tempTree({
      "vendor/x/d.yaml": privilegedDeployment("vendored"),
      "apps/d.yaml": privilegedDeployment("ours"),
      ".kubeward.yaml": "ignorePaths:\n  - vendor/**\n",
    });
    const r = await scanJson(["."], { cwd: root });
    expect(r.report.findings.map((f) => f.resource?.name)).toEqual(["ours"]);
    // The vendored file is not read at all, and the config file is not read as a manifest.
    expect(r.report.summary).toMatchObject({ resources: 1, files: 1, skipped: 0 });
  });
});

describe("suppression annotations", () => {
  it("kubeward.io/ignore with a reason suppresses the rule, on the object or on its pod template", async () => {
    const root = tempTree({
      "object.yaml": privilegedDeployment("on-object", {
        annotations: {
          "kubeward.io/ignore": "privileged-container",
          "kubeward.io/ignore-reason": "CNI plugin",
        },
      }),
      "template.yaml": privilegedDeployment("on-template", {
        podAnnotations: { "kubeward.io/ignore": "some-other-rule, privileged-container" },
      }),
      "other.yaml": privilegedDeployment("other-rule", {
        annotations: { "kubeward.io/ignore": "host-network" },
      }),
    });
    const r = await scanJson(["."], { cwd: root });
    expect(
      r.report.findings.filter((f) => f.ruleId === "privileged-container").map((f) => f.resource?.name),
    ).toEqual(["other-rule"]);
    expect(r.report.suppressed.map((f) => [f.resource?.name, f.suppression]).sort()).toEqual([
      ["on-object", { kind: "annotation", reason: "CNI plugin" }],
      ["on-template", { kind: "annotation" }],
    ]);
  });

  it("ignore-until in the future suppresses; in the past it is reported again with an expired-suppression finding", async () => {
    const future = privilegedDeployment("future", {
      annotations: { "kubeward.io/ignore": "privileged-container", "kubeward.io/ignore-until": FUTURE },
    });
    const past = privilegedDeployment("past", {
      annotations: {
        "kubeward.io/ignore": "privileged-container",
        "kubeward.io/ignore-reason": "waiting for vendor fix",
        "kubeward.io/ignore-until": PAST,
      },
    });
    const root = tempTree({ "future.yaml": future, "past.yaml": past });
    const r = await scanJson(["."], { cwd: root });
    expect(r.report.suppressed.map((f) => [f.file, f.suppression])).toEqual([
      ["future.yaml", { kind: "annotation", until: FUTURE }],
    ]);
    expect(r.report.findings.map((f) => [f.file, f.ruleId, f.line])).toEqual([
      ["past.yaml", "expired-suppression", positionOf(past, "kubeward.io/ignore-until").line],
      ["past.yaml", "privileged-container", positionOf(past, "privileged: true").line],
    ]);
    const expired = r.report.findings[0];
    expect(expired?.message).toBe(
      `The suppression of privileged-container expired on ${PAST}; its findings are reported again.`,
    );
    expect(r.code).toBe(1);
  });

  it("--no-exemptions ignores annotations too", async () => {
    const root = tempTree({
      "d.yaml": privilegedDeployment("web", {
        annotations: { "kubeward.io/ignore": "privileged-container" },
      }),
    });
    const r = await scanJson([".", "--no-exemptions"], { cwd: root });
    expect(r.report.findings.map((f) => f.ruleId)).toEqual(["privileged-container"]);
    expect(r.report.summary.suppressed).toBe(0);
  });
});

describe("kubeward rules", () => {
  it("--format json lists every rule with equivalents as {tool: [ids]}", async () => {
    const r = await runCli(["rules", "--format", "json"], { cwd: tempTree() });
    expect(r.code).toBe(0);
    const { rules } = JSON.parse(r.stdout) as {
      rules: { id: string; equivalents: Record<string, unknown>; concepts: string[] }[];
    };
    const ids = rules.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(["privileged-container", "parse-error", "invalid-object"]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      for (const [tool, list] of Object.entries(rule.equivalents)) {
        expect(PEER_TOOLS).toContain(tool);
        expect(
          Array.isArray(list) && list.length > 0 && list.every((x) => typeof x === "string" && x !== ""),
          `${rule.id}.${tool}`,
        ).toBe(true);
      }
    }
    // The concepts the rule covers (issue 10: `rules --format json` printed none).
    expect(rules.find((x) => x.id === "privileged-container")?.concepts).toEqual(["W-PRIV"]);
    expect(rules.find((x) => x.id === "parse-error")?.concepts).toEqual([]);
    expect(rules.find((x) => x.id === "privileged-container")?.equivalents).toMatchObject({
      trivy: ["KSV-0017"],
      kubescape: ["C-0057"],
      checkov: ["CKV_K8S_16"],
    });
  });

  it("--format markdown prints a table", async () => {
    const r = await runCli(["rules", "--format", "markdown"], { cwd: tempTree() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\| ID \| Title \|/);
    expect(r.stdout).toContain("[privileged-container](privileged-container.md)");
  });
});

describe("config applies to input findings", () => {
  it("switches parse-error off or changes its severity", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-cfg-"));
    writeFileSync(join(dir, "bad.yaml"), "apiVersion: v1\nkind: [\n");
    const base = { paths: ["."], cwd: dir, configFile: false as const };
    expect(scan(base).findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["parse-error high"]);
    const low = scan({
      ...base,
      config: { rules: { "parse-error": { severity: "low" } }, exemptions: [], ignorePaths: [] },
    });
    expect(low.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["parse-error low"]);
    const off = scan({
      ...base,
      config: { rules: { "parse-error": { enabled: false } }, exemptions: [], ignorePaths: [] },
    });
    expect(off.findings).toEqual([]);
  });
});
