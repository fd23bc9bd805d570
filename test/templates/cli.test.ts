// Custom rules end to end through the CLI: found at file:line:column, switched by flag, and a bad
// template config is a usage error (exit 2) naming the config file, line and column.
import { describe, expect, it } from "vitest";
import { positionOf, runCli, scanJson, tempTree } from "../e2e/helpers.js";

const CONFIG = `customRules:
  - id: no-host-port
    template: field
    severity: high
    options: { target: container, path: "ports[*].hostPort", condition: exists }
`;
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
      ports:
        - containerPort: 8080
          hostPort: 8080
`;

describe("custom rules in the CLI", () => {
  it("report at file:line:column and obey --disable", async () => {
    const root = tempTree({ ".kubeward.yaml": CONFIG, "pod.yaml": POD });
    const r = await scanJson(["."], { cwd: root });
    const mine = r.report.findings.filter((f) => f.ruleId === "no-host-port");
    const at = positionOf(POD, "hostPort");
    expect(mine.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity}`)).toEqual([
      `pod.yaml:${at.line}:${at.column} high`,
    ]);
    expect(r.code).toBe(1);
    const off = await scanJson([".", "--disable", "no-host-port"], { cwd: root });
    expect(off.report.findings.filter((f) => f.ruleId === "no-host-port")).toEqual([]);
  });

  it("exit 2 on a misspelt template or option, naming file:line:column", async () => {
    const text = CONFIG.replace("template: field", "template: feild").replace("path:", "pth:");
    const root = tempTree({ ".kubeward.yaml": text, "pod.yaml": POD });
    const r = await runCli(["scan", "."], { cwd: root });
    expect(r.code).toBe(2);
    const at = positionOf(text, "feild");
    expect(r.stderr).toContain(
      `.kubeward.yaml:${at.line}:${at.column}: customRules[0]: unknown template \`feild\` (did you mean \`field\`?)`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const opt = CONFIG.replace("path:", "pth:");
    const r2 = await runCli(["scan", "."], { cwd: tempTree({ ".kubeward.yaml": opt, "pod.yaml": POD }) });
    expect(r2.code).toBe(2);
    const p = positionOf(opt, "pth");
    expect(r2.stderr).toContain(
      `.kubeward.yaml:${p.line}:${p.column}: customRules[0]: unknown option \`pth\``,
    );
  });
});

describe("custom rules in kubeward fix", () => {
  it("apply a field rule's fixValue (unsafe) and leave the field fixed", async () => {
    const config = `customRules:
  - id: run-as-non-root
    template: field
    options:
      target: container
      path: securityContext.runAsNonRoot
      condition: equals
      value: true
      mode: required
      fixValue: true
`;
    const root = tempTree({ ".kubeward.yaml": config, "pod.yaml": POD });
    const { fix } = await import("../../src/api.js");
    const safeOnly = fix({ paths: ["."], cwd: root });
    expect(safeOnly.applied.filter((a) => a.ruleId === "run-as-non-root")).toEqual([]);
    const result = fix({ paths: ["."], cwd: root, unsafe: true });
    expect(result.applied.filter((a) => a.ruleId === "run-as-non-root").map((a) => a.description)).toEqual([
      "Set securityContext.runAsNonRoot: true on container web.",
    ]);
    const after = result.files.find((f) => f.file === "pod.yaml")?.after ?? "";
    expect(POD).not.toContain("runAsNonRoot");
    expect(after).toMatch(/^\s+runAsNonRoot: true$/m);
    expect(result.unfixed.filter((u) => u.ruleId === "run-as-non-root")).toEqual([]);
  });
});

describe("custom rules with units and suppressions", () => {
  it("run in worker threads (--unit file --jobs 2) and obey kubeward.io/ignore", async () => {
    const ignored = POD.replace(
      "  name: web\n",
      "  name: web\n  annotations:\n    kubeward.io/ignore: no-host-port\n",
    );
    const files: Record<string, string> = { ".kubeward.yaml": CONFIG, "ignored.yaml": ignored };
    for (let i = 0; i < 3; i++) files[`pod-${String(i)}.yaml`] = POD;
    const root = tempTree(files);
    const r = await scanJson([".", "--unit", "file", "--jobs", "2"], { cwd: root });
    expect(
      r.report.findings
        .filter((f) => f.ruleId === "no-host-port")
        .map((f) => f.file)
        .sort(),
    ).toEqual(["pod-0.yaml", "pod-1.yaml", "pod-2.yaml"]);
    expect(r.report.suppressed.filter((f) => f.ruleId === "no-host-port").map((f) => f.file)).toEqual([
      "ignored.yaml",
    ]);
  });
});

describe("kubeward rules", () => {
  it("lists the config's custom rules after the built-in ones, unless --no-config", async () => {
    const root = tempTree({ ".kubeward.yaml": CONFIG });
    const r = await runCli(["rules", "--format", "json"], { cwd: root });
    expect(r.code).toBe(0);
    const { rules } = JSON.parse(r.stdout) as { rules: { id: string; severity: string }[] };
    const ids = rules.map((x) => `${x.id} ${x.severity}`);
    expect(ids.at(-1)).toBe("no-host-port high");
    expect(ids.filter((x) => x.startsWith("no-host-port"))).toHaveLength(1);
    const plain = await runCli(["rules", "--no-config"], { cwd: root });
    expect(plain.stdout).not.toContain("no-host-port");
    expect(plain.stdout).toContain("host-pid");
    const bad = tempTree({ ".kubeward.yaml": CONFIG.replace("template: field", "template: feild") });
    expect((await runCli(["rules"], { cwd: bad })).code).toBe(2);
  });
});
