// Issue 9: hostile input cannot crash, hang or exhaust a scan. Each case here failed before its fix.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { colorFromEnv } from "../../src/cli/scan.js";
import { privilegedDeployment, runCli, scanJson, tempTree } from "./helpers.js";

const canMkfifo = (() => {
  try {
    execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
    return process.platform !== "win32";
  } catch {
    return false;
  }
})();

describe("only regular files are read (item 1)", () => {
  it.skipIf(process.platform === "win32")(
    "a symlink to /dev/zero in a scanned directory is skipped with a notice, not read",
    async () => {
      const dir = tempTree({ "good.yaml": privilegedDeployment("web") });
      symlinkSync("/dev/zero", join(dir, "z.yaml"));
      const { report, code } = await scanJson(["."], { cwd: dir });
      expect(code).toBe(1);
      expect(report.findings.map((f) => `${f.file} ${f.ruleId}/${f.messageId}`)).toEqual([
        "good.yaml privileged-container/privileged",
        "z.yaml not-scanned/special",
      ]);
      const z = report.findings.find((f) => f.file === "z.yaml");
      expect(z?.message).toBe("Not read: this is a character device, not a regular file.");
      expect(z?.severity).toBe("info");
    },
  );

  it.skipIf(!canMkfifo)("a FIFO given as an argument is skipped at once, not waited on", async () => {
    const dir = tempTree({ "good.yaml": privilegedDeployment("web") });
    execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    const { report } = await scanJson(["good.yaml", "pipe.yaml"], { cwd: dir });
    expect(report.findings.find((f) => f.file === "pipe.yaml")).toMatchObject({
      ruleId: "not-scanned",
      messageId: "special",
      message: "Not read: this is a FIFO, not a regular file.",
    });
    expect(report.summary.resources).toBe(1);
  });

  it("a file above the limit is refused however it was listed", async () => {
    const dir = tempTree({ "big.yaml": `# ${"x".repeat(5000)}\n`, "small.yaml": privilegedDeployment("a") });
    const { report } = await scanJson([".", "--max-file-size", "4096"], { cwd: dir });
    const big = report.findings.find((f) => f.file === "big.yaml");
    expect(big).toMatchObject({ ruleId: "parse-error", messageId: "tooLarge" });
    expect(big?.remediation).toContain("--max-file-size");
  });

  it.skipIf(process.platform === "win32")(
    "a symlink loop is named as such, not as a missing file",
    async () => {
      const dir = tempTree({ "good.yaml": privilegedDeployment("web") });
      symlinkSync("loop-b.yaml", join(dir, "loop-a.yaml"));
      symlinkSync("loop-a.yaml", join(dir, "loop-b.yaml"));
      const { report } = await scanJson(["."], { cwd: dir });
      const loop = report.findings.filter((f) => f.file.startsWith("loop-"));
      expect(loop.map((f) => f.messageId)).toEqual(["unreadable", "unreadable"]);
      expect(loop[0]?.message).toContain("symlink loop");
      // The remedy for an unreadable file is not "correct the syntax".
      expect(loop[0]?.remediation).not.toMatch(/syntax/i);
      expect(loop[0]?.remediation).toContain("symlink");
    },
  );
});

describe("deep nesting is contained per document (item 3)", () => {
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}\n`;

  it("two files nested 10,000 deep: each one parse-error, every other file still scanned", async () => {
    const dir = tempTree({
      "a-deep.yaml": `${deep(10_000)}---\n${privilegedDeployment("after-a")}`,
      "b-deep.yaml": `- ${"- ".repeat(10_000)}x\n`,
      "good.yaml": privilegedDeployment("web"),
    });
    mkdirSync(join(dir, "sub"));
    const { report, code } = await scanJson(["."], { cwd: dir });
    expect(code).toBe(2);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}/${f.messageId}`)).toEqual([
      "a-deep.yaml parse-error/tooDeep",
      "a-deep.yaml privileged-container/privileged",
      "b-deep.yaml parse-error/tooDeep",
      "good.yaml privileged-container/privileged",
    ]);
    expect(report.findings[0]).toMatchObject({ line: 1 });
  }, 60_000);
});

describe("small ones (item 10)", () => {
  it("`kubeward scan | head -1` exits quietly: no EPIPE stack trace", () => {
    const repo = join(import.meta.dirname, "..", "..");
    const loader = join(repo, "node_modules", "tsx", "dist", "esm", "index.mjs");
    const main = join(repo, "src", "cli", "main.ts");
    // Far more output than a pipe buffer holds, so the writer meets the closed pipe.
    const dir = tempTree({
      "many.yaml": Array.from({ length: 300 }, (_, i) => privilegedDeployment(`web-${i}`)).join("---\n"),
    });
    const r = spawnSync(
      "sh",
      [
        "-c",
        `"${process.execPath}" --import "${loader}" "${main}" scan --no-config many.yaml | head -1 > /dev/null`,
      ],
      { encoding: "utf8", cwd: dir },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);

  it("`kubeward rules | head -1` exits quietly too (the JSON listing is larger than a pipe buffer)", () => {
    const repo = join(import.meta.dirname, "..", "..");
    const loader = join(repo, "node_modules", "tsx", "dist", "esm", "index.mjs");
    const main = join(repo, "src", "cli", "main.ts");
    for (const format of ["text", "json"]) {
      const r = spawnSync(
        "sh",
        [
          "-c",
          `"${process.execPath}" --import "${loader}" "${main}" rules --format ${format} | head -1 > /dev/null`,
        ],
        { encoding: "utf8", cwd: tempTree({}) },
      );
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
  }, 60_000);

  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "" }, true, true],
    [{ NO_COLOR: "1" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ FORCE_COLOR: "" }, false, false],
    [{ NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
  ])("colour with env %j on a TTY=%s: %s (no-color.org, FORCE_COLOR)", (env, isTTY, expected) => {
    expect(colorFromEnv(env, isTTY)).toBe(expected);
  });
});

describe("exit codes never hide broken input (item 9)", () => {
  const files = { "good.yaml": privilegedDeployment("web"), "broken.yaml": "apiVersion: v1\nkind: [\n" };

  it.each([
    [["--fail-on", "critical"]],
    [["--disable", "parse-error"]],
    [["--disable", "parse-error", "--disable", "privileged-container"]],
    [["--fail-on", "critical", "--format", "sarif"]],
  ])("a file that cannot be parsed exits 2 with %j, after the full report", async (flags) => {
    const dir = tempTree(files);
    const r = await runCli(["scan", "--no-config", ".", ...flags], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kubeward: 1 input could not be read, parsed or rendered (broken.yaml); exit 2\n");
    // The rest was still scanned and reported.
    if (!flags.includes("privileged-container")) expect(r.stdout).toContain("web");
  });

  it("--fail-if-no-objects exits 2 when nothing was scanned, and 0 without it", async () => {
    const dir = tempTree({ "notes.yaml": "just: data\n" });
    const without = await runCli(["scan", "--no-config", "."], { cwd: dir });
    expect(without.code).toBe(0);
    const r = await runCli(["scan", "--no-config", ".", "--fail-if-no-objects"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no Kubernetes objects");
    const some = await runCli(["scan", "--no-config", "good.yaml", "--fail-if-no-objects"], {
      cwd: tempTree(files),
    });
    expect(some.code).toBe(1);
  });
});
