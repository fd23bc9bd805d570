// The terminal (issue 13 item 6): help with examples for every command, `help COMMAND`, shell
// completion for bash/zsh/fish, and progress on stderr only where a person watches.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flagsOf } from "../../src/cli/completion.js";
import { run } from "../../src/cli/main.js";
import { NETPOL_SUB_HELP } from "../../src/cli/netpol.js";
import { SCAN_HELP } from "../../src/cli/scan.js";
import { progressReporter } from "../../src/cli/progress.js";
import { runCli, tempTree } from "../e2e/helpers.js";

const COMMANDS = [
  "scan",
  "fix",
  "merge",
  "baseline",
  "rules",
  "diagnose",
  "netpol",
  "completion",
  "version",
  "help",
];
const NETPOL_COMMANDS = ["can", "matrix", "explain", "who-can-reach", "diff", "lint"];

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
  for (const sub of NETPOL_COMMANDS) {
    it(`kubeward netpol ${sub} --help and kubeward help netpol ${sub} print its own help, with examples`, async () => {
      const a = await runCli(["netpol", sub, "--help"], { cwd: tmpdir() });
      const b = await runCli(["help", "netpol", sub], { cwd: tmpdir() });
      expect(a.code).toBe(0);
      expect(b).toEqual(a);
      expect(a.stdout).toMatch(new RegExp(`^Usage: kubeward netpol ${sub} `));
      expect(a.stdout).toMatch(/\nExamples:\n {2}kubeward netpol /);
    });
  }
  it("every netpol command has its own help", () => {
    expect(Object.keys(NETPOL_SUB_HELP).sort()).toEqual([...NETPOL_COMMANDS].sort());
  });
  it("help for an unknown command is a usage error", async () => {
    expect((await runCli(["help", "netpol", "nope"], { cwd: tmpdir() })).code).toBe(2);
    expect((await runCli(["help", "scan", "extra"], { cwd: tmpdir() })).code).toBe(2);
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
    expect(complete(["kubeward", "f"])).toEqual(["fix"]);
    expect(complete(["kubeward", "netpol", "can", "--fr"])).toEqual(["--from"]);
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

/**
 * Asks a real zsh for completions: an interactive zsh on a pseudo-terminal (zsh/zpty) loads compinit
 * and the script, records every match that reaches compadd, and gets each LINE followed by a Tab
 * (then Ctrl-U to clear it); a `<done>` line ends each completion's matches. `compinit -D` writes
 * no dump file: `-D -d /dev/null` turned the dump back on, and compdump's `mv -f` of its temporary
 * file over the dump file replaced /dev/null with a regular file when the tests ran as root.
 */
const ZSH_HARNESS = String.raw`zmodload zsh/zpty
script=$1 out=$2
shift 2
: > $out
zpty z zsh -f -i
zpty -w z "PS1='' PROMPT_EOL_MARK=''"
zpty -w z "autoload -Uz compinit && compinit -u -D"
zpty -w z "source ${"$"}{(q)script}"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -A hits \"\$@\"; (( \$#hits )) && print -rl -- \$hits >> ${"$"}{(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "_kw_done() { print -r -- '<done>' >> ${"$"}{(q)out}; }"
n=0
for line in "$@"; do
  (( n++ ))
  # compinit empties comppostfuncs after each completion: set it again for this one.
  zpty -w z "comppostfuncs=( _kw_done )"
  zpty -w -n z "$line"$'\t'
  for i in {1..300}; do
    (( $(grep -c '^<done>$' $out) >= n )) && break
    sleep 0.1
  done
  zpty -w -n z $'\x15'
done
zpty -d z
`;

const hasShell = (shell: string) => spawnSync(shell, ["--version"], { encoding: "utf8" }).error === undefined;

describe.skipIf(!hasShell("zsh"))("completion in a real zsh", () => {
  it("completes commands, flags and flag values", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-zsh-"));
    writeFileSync(join(dir, "_kubeward"), (await runCli(["completion", "zsh"], { cwd: tmpdir() })).stdout);
    writeFileSync(join(dir, "harness.zsh"), ZSH_HARNESS);
    const lines = [
      "kubeward sc",
      "kubeward scan --fo",
      "kubeward scan --format ma",
      "kubeward scan --unit ",
      "kubeward netpol w",
      "kubeward fix --wr",
      "kubeward completion f",
    ];
    const out = join(dir, "out.txt");
    const r = spawnSync("zsh", ["-f", join(dir, "harness.zsh"), join(dir, "_kubeward"), out, ...lines], {
      cwd: dir,
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(r.status).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    const answers = readFileSync(out, "utf8")
      .split("<done>\n")
      .slice(0, -1)
      .map((a) => a.split("\n").filter((l) => l !== ""));
    expect(answers).toEqual([
      ["scan"],
      ["--format"],
      ["markdown"],
      ["file", "dir", "chart", "all"],
      ["who-can-reach"],
      ["--write"],
      ["fish"],
    ]);
  }, 120_000);
});
if (!hasShell("zsh")) console.log("skipped: no zsh (.ci/run installs it)");

describe.skipIf(!hasShell("fish"))("completion in a real fish", () => {
  it("completes commands, flags and flag values", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kubeward-fish-")), "kubeward.fish");
    writeFileSync(file, (await runCli(["completion", "fish"], { cwd: tmpdir() })).stdout);
    const complete = (line: string) => {
      const r = spawnSync("fish", ["--no-config", "-c", `source '${file}'; complete -C '${line}'`], {
        encoding: "utf8",
        cwd: tmpdir(),
        timeout: 60_000,
      });
      expect(r.stderr).toBe("");
      // Each candidate, without the description fish prints after a tab.
      return r.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[0]);
    };
    expect(complete("kubeward sc")).toEqual(["scan"]);
    expect(complete("kubeward scan --fo")).toEqual(["--format"]);
    expect(complete("kubeward scan --format ma")).toEqual(["markdown"]);
    expect(complete("kubeward scan --unit ").sort()).toEqual(["all", "chart", "dir", "file"]);
    expect(complete("kubeward netpol w")).toEqual(["who-can-reach"]);
    expect(complete("kubeward fix --wr")).toEqual(["--write"]);
  }, 120_000);
});
if (!hasShell("fish")) console.log("skipped: no fish (.ci/run installs it)");

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

describe("progress of any scan", () => {
  const many = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [
      `m/cm-${String(i).padStart(3, "0")}.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: shop}\ndata: {a: b}\n`,
    ]),
  );

  it("names the phase: files read, charts rendered, objects checked", () => {
    let out = "";
    let now = 0;
    const p = progressReporter({
      write: (s) => (out += s),
      isTTY: true,
      env: {},
      quiet: false,
      now: () => now,
    });
    p.scan({ phase: "read", done: 1, total: 3 });
    now = 1200;
    p.scan({ phase: "read", done: 2, total: 3 });
    now = 1250;
    p.scan({ phase: "read", done: 3, total: 3 });
    now = 1260;
    p.scan({ phase: "render", done: 0, total: 2 });
    now = 1270;
    p.scan({ phase: "check", done: 256, total: 1500 });
    now = 1280;
    p.scan({ phase: "check", done: 512, total: 1500 });
    p.done();
    expect(out).not.toContain("1/3 files read");
    expect(out).toContain("2/3 files read");
    // The last file of a phase and a new phase are shown even within 100 ms of the previous line.
    expect(out).toContain("3/3 files read");
    expect(out).toContain("rendering 2 charts and kustomizations");
    expect(out).toContain("256/1,500 objects checked");
    expect(out).not.toContain("512/1,500");
    expect(out.endsWith("\r\u001b[K")).toBe(true);
  });

  const scanWith = async (env: Record<string, string>, errIsTTY: boolean, extra: string[] = []) => {
    const dir = tempTree(many);
    let stderr = "";
    const code = await run(["scan", ".", "--format", "json", "-o", "out.json", ...extra], {
      stdout: () => undefined,
      stderr: (s) => {
        stderr += s;
      },
      readStdin: () => "",
      cwd: dir,
      isTTY: false,
      errIsTTY,
      env: { KUBEWARD_PROGRESS_AFTER_MS: "0", ...env },
    });
    return { code, stderr };
  };

  it("a plain scan (one scope) shows it on a terminal, and clears it", async () => {
    const { code, stderr } = await scanWith({}, true);
    expect(code).toBe(0);
    expect(stderr).toContain("kubeward: 300/300 files read");
    expect(stderr).toContain("objects checked");
    expect(stderr.endsWith("\r\u001b[K")).toBe(true);
  });

  it("stays off without a terminal, with --quiet and with CI=true", async () => {
    expect((await scanWith({}, false)).stderr).toBe("");
    expect((await scanWith({}, true, ["--quiet"])).stderr).toBe("");
    expect((await scanWith({ CI: "true" }, true)).stderr).toBe("");
  });

  const script = spawnSync("script", ["--version"], { encoding: "utf8" });
  const tsx = createRequire(import.meta.url).resolve("tsx");
  const main = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
  // A real pseudo-terminal (util-linux `script`): stderr is a TTY exactly as in a user's shell.
  it.skipIf(script.error !== undefined)(
    "shows on a real pseudo-terminal, not when stderr is redirected",
    () => {
      const dir = tempTree(many);
      const cmd = (redirect: string) =>
        spawnSync(
          "script",
          [
            "-qec",
            `'${process.execPath}' --import '${tsx}' '${main}' scan . --format json -o out.json ${redirect}`,
            "/dev/null",
          ],
          { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "", KUBEWARD_PROGRESS_AFTER_MS: "0" } },
        );
      const tty = cmd("");
      expect(tty.status).toBe(0);
      expect(tty.stdout).toContain("files read");
      const redirected = cmd("2>err.txt");
      expect(redirected.status).toBe(0);
      expect(redirected.stdout).not.toContain("files read");
      const quiet = cmd("--quiet");
      expect(quiet.stdout).not.toContain("files read");
    },
  );
  if (script.error !== undefined)
    console.log("skipped: no `script` (util-linux) for the pseudo-terminal test");
});
