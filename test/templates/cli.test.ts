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
