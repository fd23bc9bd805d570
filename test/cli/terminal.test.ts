// The terminal (issue 13 item 6): help with examples for every command, `help COMMAND`, shell
// completion for bash/zsh/fish, and progress on stderr only where a person watches.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flagsOf } from "../../src/cli/completion.js";
import { SCAN_HELP } from "../../src/cli/scan.js";
import { progressReporter } from "../../src/cli/progress.js";
import { runCli } from "../e2e/helpers.js";

const COMMANDS = ["scan", "merge", "baseline", "rules", "diagnose", "netpol", "completion"];

describe("help", () => {
  for (const c of COMMANDS) {
    it(`kubeward ${c} --help and kubeward help ${c} print the same help, with examples`, async () => {
      const a = await runCli([c, "--help"], { cwd: tmpdir() });
      const b = await runCli(["help", c], { cwd: tmpdir() });
      expect(a.code).toBe(0);
      expect(b).toEqual(a);
      expect(a.stdout).toMatch(/^Usage: kubeward /);
      expect(a.stdout).toMatch(/\nExamples:\n {2}\S/);
    });
  }
  it("kubeward --help lists every command and shows examples", async () => {
    const r = await runCli(["--help"], { cwd: tmpdir() });
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`\\n  kubeward ${c}\\b`));
    expect(r.stdout).toMatch(/\nExamples:\n/);
  });
  it("help for an unknown command is a usage error", async () => {
    expect((await runCli(["help", "nope"], { cwd: tmpdir() })).code).toBe(2);
  });
});

describe("completion", () => {
  it("reads flags, short names and value placeholders from the help text", () => {
    const flags = flagsOf(SCAN_HELP);
    expect(flags.find((f) => f.long === "output")).toMatchObject({ short: "o", value: "FILE" });
    expect(flags.find((f) => f.long === "unit")).toMatchObject({ value: "UNIT" });
    expect(flags.find((f) => f.long === "no-color")).toMatchObject({ long: "no-color" });
    expect(flags.find((f) => f.long === "no-color")?.short).toBeUndefined();
  });

  const script = async (shell: string) => (await runCli(["completion", shell], { cwd: tmpdir() })).stdout;

  it("bash: completes commands, flags and flag values", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kubeward-completion-")), "kubeward.bash");
    writeFileSync(file, await script("bash"));
    const complete = (words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(" ");
      const r = spawnSync(
        "bash",
        [
          "-c",
          `source '${file}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _kubeward; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8", cwd: tmpdir() },
      );
      expect(r.stderr).toBe("");
      return r.stdout.trim().split("\n");
    };
    expect(complete(["kubeward", "sc"])).toEqual(["scan"]);
    expect(complete(["kubeward", "scan", "--un"])).toEqual(["--unit"]);
    expect(complete(["kubeward", "scan", "--unit", ""])).toEqual(["file", "dir", "chart", "all"]);
    expect(complete(["kubeward", "scan", "--format", "ma"])).toEqual(["markdown"]);
    expect(complete(["kubeward", "merge", "--fail-on", "h"])).toEqual(["high"]);
    expect(complete(["kubeward", "completion", "z"])).toEqual(["zsh"]);
  });

  it("zsh and fish scripts name every command and the scan flags", async () => {
    const zsh = await script("zsh");
    expect(zsh.startsWith("#compdef kubeward\n")).toBe(true);
    const fish = await script("fish");
    for (const c of COMMANDS) {
      expect(zsh).toContain(`'${c}:`);
      expect(fish).toContain(`-a ${c} -d`);
    }
    expect(zsh).toContain("--unit'[file|dir|chart|all");
    expect(fish).toContain("-l unit -x -a 'file dir chart all'");
    // The shells check the scripts' syntax from a file: fish 3.6 refuses a script on a piped stdin.
    const dir = mkdtempSync(join(tmpdir(), "kubeward-completion-"));
    writeFileSync(join(dir, "kubeward.zsh"), zsh);
    writeFileSync(join(dir, "kubeward.fish"), fish);
    const zshOk = spawnSync("zsh", ["-n", join(dir, "kubeward.zsh")], { encoding: "utf8" });
    if (zshOk.error === undefined) expect(zshOk.stderr + String(zshOk.status)).toBe("0");
    const fishOk = spawnSync("fish", ["--no-execute", join(dir, "kubeward.fish")], { encoding: "utf8" });
    if (fishOk.error === undefined) expect(fishOk.stderr + String(fishOk.status)).toBe("0");
  });

  it("an unknown shell is a usage error", async () => {
    expect((await runCli(["completion", "tcsh"], { cwd: tmpdir() })).code).toBe(2);
  });
});

describe("progress", () => {
  const run = (env: Record<string, string | undefined>, opts: { tty: boolean; quiet?: boolean }) => {
    let out = "";
    let now = 0;
    const p = progressReporter({
      write: (s) => (out += s),
      isTTY: opts.tty,
      env,
      quiet: opts.quiet === true,
      now: () => now,
    });
    p.update(1, 10);
    now = 1500;
    p.update(5, 10);
    now = 1600;
    p.update(6, 10);
    p.done();
    return out;
  };
  it("appears on a TTY after a second, and is cleared at the end", () => {
    const out = run({}, { tty: true });
    expect(out).toContain("kubeward: 5/10 units");
    expect(out).not.toContain("1/10");
    expect(out.endsWith("\r\u001b[K")).toBe(true);
  });
  it("stays off when stderr is not a TTY, with --quiet, and in CI", () => {
    expect(run({}, { tty: false })).toBe("");
    expect(run({}, { tty: true, quiet: true })).toBe("");
    expect(run({ CI: "true" }, { tty: true })).toBe("");
  });
});
