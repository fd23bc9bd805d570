// The parallel tool runner: results in job order, reported as they finish, with timeouts.
import { describe, expect, it } from "vitest";
import { runJobs } from "../../src/inputs/run.js";

const env = { PATH: process.env["PATH"] ?? "" };
const sh = (script: string, timeoutMs = 10_000) => ({ command: "sh", args: ["-c", script], env, cwd: ".", timeoutMs });

describe.skipIf(process.platform === "win32")("runJobs", () => {
  it("runs jobs in parallel, returns them in job order and reports each as it finishes", () => {
    const seen: number[] = [];
    const t = performance.now();
    const results = runJobs([sh("sleep 0.6; echo slow"), sh("echo fast; echo e >&2; exit 3")], 2, (i) => seen.push(i));
    expect(performance.now() - t).toBeLessThan(3000);
    expect(seen).toEqual([1, 0]);
    expect(results).toEqual([
      { status: 0, stdout: "slow\n", stderr: "", timedOut: false },
      { status: 3, stdout: "fast\n", stderr: "e\n", timedOut: false },
    ]);
  });

  it("kills a job whose output goes over maxOutputBytes, alone and in parallel (issue 9 item 6)", () => {
    const big = { ...sh("yes kubeward | head -c 3000000; echo done >&2"), maxOutputBytes: 100_000 };
    const small = { ...sh("echo fine"), maxOutputBytes: 100_000 };
    const [alone] = runJobs([big], 1);
    expect(alone).toMatchObject({ status: null, stdout: "", tooLarge: true });
    const [par, ok] = runJobs([big, small], 2);
    expect(par).toMatchObject({ status: null, stdout: "", tooLarge: true });
    expect(ok).toEqual({ status: 0, stdout: "fine\n", stderr: "", timedOut: false });
  });

  it("kills a job at its timeout and reports a command that cannot start", () => {
    const [slow, missing] = runJobs(
      [sh("sleep 5", 300), { command: "kubeward-no-such-tool", args: [], env, cwd: ".", timeoutMs: 1000 }],
      2,
    );
    expect(slow).toMatchObject({ status: null, timedOut: true });
    expect(missing?.status).toBeNull();
    expect(missing?.stderr).toContain("ENOENT");
  });
});
