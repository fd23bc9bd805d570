// --kube-version reaches the rules (removed APIs), --pss / --pss-version run the Pod Security checks,
// and malformed values are usage errors (exit 2).
import { describe, expect, it } from "vitest";
import { runCli, tempTree } from "./helpers.js";

const CRONJOB = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: job
              image: registry.example/job:1.0.0
`;
const ROOT_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example/web:1.0.0
      securityContext:
        runAsUser: 0
`;
const only = (id: string) => ["--config", "none.yaml", "--format", "json", "--enable", id];

describe("target release and Pod Security flags", () => {
  it("--kube-version decides whether an API is removed or only deprecated", async () => {
    const cwd = tempTree({ "c.yaml": CRONJOB, "none.yaml": "" });
    const now = await runCli(["scan", ...only("deprecated-api-version")], { cwd });
    const ids = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string; messageId: string }[] }).findings
        .filter((f) => f.ruleId === "deprecated-api-version")
        .map((f) => f.messageId);
    expect(ids(now.stdout)).toEqual(["removed"]);
    const old = await runCli(["scan", ...only("deprecated-api-version"), "--kube-version", "v1.24"], { cwd });
    expect(ids(old.stdout)).toEqual(["deprecated"]);
  });

  it("--kube-version decides which fields the schema knows (a sidecar restartPolicy is 1.28's)", async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
    - name: proxy
      image: registry.example/proxy:1.0.0
      restartPolicy: Always
  containers:
    - name: web
      image: registry.example/web:1.0.0
`;
    const cwd = tempTree({ "p.yaml": pod, "none.yaml": "" });
    const ids = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string; messageId: string; line: number }[] }).findings
        .filter((f) => f.ruleId === "schema")
        .map((f) => `${f.messageId} ${String(f.line)}`);
    const now = await runCli(["scan", ...only("schema"), "p.yaml"], { cwd });
    expect(ids(now.stdout)).toEqual([]);
    const old = await runCli(["scan", ...only("schema"), "--kube-version", "v1.27", "p.yaml"], { cwd });
    expect(ids(old.stdout)).toEqual(["fieldNotInRelease 9"]);
  });

  it("--pss restricted reports the controller's violations; baseline allows runAsUser 0", async () => {
    const cwd = tempTree({ "p.yaml": ROOT_POD, "none.yaml": "" });
    const checks = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string; message: string }[] }).findings
        .filter((f) => f.ruleId === "pod-security-standards")
        .map((f) => /check (\w+)/.exec(f.message)?.[1])
        .sort();
    const restricted = await runCli(["scan", ...only("pod-security-standards"), "--pss", "restricted"], {
      cwd,
    });
    expect(checks(restricted.stdout)).toEqual([
      "allowPrivilegeEscalation",
      "capabilities_restricted",
      "runAsNonRoot",
      "runAsUser",
      "seccompProfile_restricted",
    ]);
    // runAsUser: 0 is allowed before 1.23
    const v122 = await runCli(
      ["scan", ...only("pod-security-standards"), "--pss", "restricted", "--pss-version", "v1.22"],
      { cwd },
    );
    expect(checks(v122.stdout)).not.toContain("runAsUser");
    const baseline = await runCli(["scan", ...only("pod-security-standards"), "--pss", "baseline"], { cwd });
    expect(checks(baseline.stdout)).toEqual([]);
  });

  it.each([
    [["--kube-version", "2.0"], "--kube-version"],
    [["--pss", "strict"], "--pss must be one of"],
    [["--pss", "baseline", "--pss-version", "1.30"], "--pss-version must be"],
    [["--pss-version", "v1.30"], "--pss-version needs --pss"],
  ])("%j is a usage error", async (flags, text) => {
    const cwd = tempTree({ "p.yaml": ROOT_POD });
    const r = await runCli(["scan", ...flags], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
  });
});
