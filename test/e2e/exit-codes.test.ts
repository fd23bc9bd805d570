// Exit codes: 0 nothing at or above --fail-on, 1 something at or above it, 2 usage or input error
// (with a one-line message, never a stack trace).
import { chmodSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onlyRules, privilegedDeployment, runCli, tempTree } from "./helpers.js";

const STACK = /\n\s+at .+:\d+:\d+\)?/;
const CLEAN_POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n";

describe("exit codes", () => {
  it("0 when nothing is found", async () => {
    const r = await runCli(["scan", ...onlyRules()], { cwd: tempTree({ "pod.yaml": CLEAN_POD }) });
    expect(r).toMatchObject({ code: 0, stderr: "" });
  });

  it("1 when a finding is at or above --fail-on (default low), 0 when all are below it", async () => {
    const cwd = tempTree({ "d.yaml": privilegedDeployment("web") }); // one critical finding
    expect((await runCli(["scan", ...onlyRules()], { cwd })).code).toBe(1);
    expect((await runCli(["scan", ...onlyRules(), "--fail-on", "critical"], { cwd })).code).toBe(1);
    // Lower its severity in a config file: now it is below high.
    const lowered = tempTree({
      "d.yaml": privilegedDeployment("web"),
      ".kubeward.yaml": "rules:\n  privileged-container: medium\n",
    });
    expect((await runCli(["scan", ...onlyRules(), "--fail-on", "high"], { cwd: lowered })).code).toBe(0);
    expect((await runCli(["scan", ...onlyRules(), "--fail-on", "medium"], { cwd: lowered })).code).toBe(1);
    // failOn in the config file, and the flag winning over it.
    const configured = tempTree({
      "d.yaml": privilegedDeployment("web"),
      ".kubeward.yaml": "failOn: critical\nrules:\n  privileged-container: high\n",
    });
    expect((await runCli(["scan", ...onlyRules()], { cwd: configured })).code).toBe(0);
    expect((await runCli(["scan", ...onlyRules(), "--fail-on", "high"], { cwd: configured })).code).toBe(1);
  });

  it("suppressed findings do not fail the run", async () => {
    const cwd = tempTree({
      "d.yaml": privilegedDeployment("web", {
        annotations: { "kubeward.io/ignore": "privileged-container" },
      }),
    });
    expect((await runCli(["scan", ...onlyRules()], { cwd })).code).toBe(0);
  });

  it("2 for an unknown flag: message, no stack trace, nothing on stdout", async () => {
    const r = await runCli(["scan", "--frobnicate"], { cwd: tempTree() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^kubeward: .*'--frobnicate'/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it("2 for other usage errors: unknown command, format, severity, rule, missing flag value", async () => {
    const cwd = tempTree({ "pod.yaml": CLEAN_POD });
    const cases: [string[], RegExp][] = [
      [["frobnicate"], /unknown command "frobnicate"/],
      [["scan", "--format", "xml"], /unknown format "xml"/],
      [["scan", "--fail-on", "severe"], /--fail-on must be one of/],
      [["scan", "--disable", "no-such-rule"], /unknown rule "no-such-rule"/],
      [["scan", "--format"], /--format/],
      [["rules", "--format", "yaml"], /unknown format "yaml"/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it("2 for a path that does not exist, even next to good ones", async () => {
    const cwd = tempTree({ "pod.yaml": CLEAN_POD });
    const r = await runCli(["scan", "pod.yaml", "missing.yaml"], { cwd });
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toBe("kubeward: no such file or directory: missing.yaml\n");
  });

  it("2 for a dangling symlink given as a path", async () => {
    const cwd = tempTree();
    symlinkSync(join(cwd, "gone.yaml"), join(cwd, "link.yaml"));
    const r = await runCli(["scan", "link.yaml"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("link.yaml");
  });

  // Permissions do not stop root, so this case only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("2 for an unreadable directory or file given as a path", async () => {
    const cwd = tempTree({ "locked/pod.yaml": CLEAN_POD, "secret.yaml": CLEAN_POD });
    chmodSync(join(cwd, "locked"), 0o000);
    chmodSync(join(cwd, "secret.yaml"), 0o000);
    try {
      const dir = await runCli(["scan", "locked"], { cwd });
      expect(dir.code).toBe(2);
      expect(dir.stderr).toMatch(/cannot read directory locked/);
      const file = await runCli(["scan", "secret.yaml"], { cwd });
      expect(file.code).toBe(2);
      expect(file.stderr).toMatch(/secret\.yaml/);
      // Found while walking a directory, the same file is a finding and the scan goes on.
      const walked = await runCli(["scan", "--format", "json", ...onlyRules(), "--ignore", "locked", "."], {
        cwd,
      });
      expect(walked.code).toBe(1);
      const report = JSON.parse(walked.stdout) as {
        findings: { file: string; ruleId: string; messageId: string }[];
        summary: { resources: number };
      };
      expect(report.findings).toEqual([
        expect.objectContaining({ file: "secret.yaml", ruleId: "parse-error", messageId: "unreadable" }),
      ]);
    } finally {
      chmodSync(join(cwd, "locked"), 0o755);
      chmodSync(join(cwd, "secret.yaml"), 0o644);
    }
  });

  it("help and version exit 0", async () => {
    const cwd = tempTree();
    const help = await runCli(["scan", "--help"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes: 0 no findings at or above --fail-on");
    const version = await runCli(["version"], { cwd });
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
