// The real binary: build with tsc and bundle the CLI (as `npm run build` does, into a temp dir so
// parallel work on dist/ is not disturbed), then spawn `node dist/cli/main.js` to prove the bin
// entry, stdin, worker threads and the process exit codes work outside the in-process harness.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "../../tools/bundle.js";
import { onlyRules, privilegedDeployment, tempTree } from "./helpers.js";

const repo = join(import.meta.dirname, "..", "..");
let root = "";
let main = "";

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kubeward-bin-"));
  const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(
    process.execPath,
    [tsc, "-p", join(repo, "tsconfig.build.json"), "--outDir", join(root, "dist")],
    {
      encoding: "utf8",
    },
  );
  // Type errors elsewhere in a tree under active work still emit JavaScript; a missing entry point does not.
  main = join(root, "dist", "cli", "main.js");
  if (!existsSync(main)) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  await bundleCli(join(root, "dist"));
  // The layout of the installed package: package.json next to dist/, dependencies resolvable.
  copyFileSync(join(repo, "package.json"), join(root, "package.json"));
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
}, 120_000);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
});

function kubeward(args: string[], options: { cwd: string; input?: string; entry?: string }) {
  const r = spawnSync(process.execPath, [options.entry ?? main, ...args], {
    cwd: options.cwd,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", KUBEWARD_DEBUG: undefined },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the built binary", () => {
  it("exits 1 with findings and prints the stylish report", () => {
    const cwd = tempTree({ "d.yaml": privilegedDeployment("web") });
    const r = kubeward(["scan", ...onlyRules()], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("d.yaml");
    expect(r.stdout).toContain("privileged-container");
    expect(r.stderr).toBe("");
  });

  it("exits 0 when clean, and with --fail-on above every finding", () => {
    const cwd = tempTree({ "d.yaml": privilegedDeployment("web"), "c.yaml": "a: b\n" });
    expect(kubeward(["scan", "c.yaml", ...onlyRules()], { cwd }).code).toBe(0);
    const lowered = tempTree({
      "d.yaml": privilegedDeployment("web"),
      ".kubeward.yaml": "rules:\n  privileged-container: low\n",
    });
    expect(kubeward(["scan", ...onlyRules(), "--fail-on", "medium"], { cwd: lowered }).code).toBe(0);
  });

  it("reads stdin for -", () => {
    const cwd = tempTree();
    const r = kubeward(["scan", "-", "--format", "json", ...onlyRules()], {
      cwd,
      input: privilegedDeployment("piped"),
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { file: string; resource: { name: string } }[] };
    expect(report.findings.map((f) => [f.file, f.resource.name])).toEqual([["<stdin>", "piped"]]);
  });

  it("exits 2 on an unknown flag or a missing path, with one message line and no stack trace", () => {
    const cwd = tempTree();
    for (const args of [
      ["scan", "--nope"],
      ["scan", "missing.yaml"],
    ]) {
      const r = kubeward(args, { cwd });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^kubeward: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("writes --output files and prints the version from package.json", () => {
    const cwd = tempTree({ "d.yaml": privilegedDeployment("web") });
    const r = kubeward(["scan", ...onlyRules(), "--format", "sarif", "-o", "k.sarif"], { cwd });
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(join(cwd, "k.sarif"), "utf8")) as {
      runs: { tool: { driver: { version: string } } }[];
    };
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string };
    expect(log.runs[0]?.tool.driver.version).toBe(pkg.version);
    expect(kubeward(["--version"], { cwd }).stdout.trim()).toBe(pkg.version);
  });

  it("is the bundle: one file per command chunk, not tsc's module tree", () => {
    expect(readFileSync(main, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(existsSync(join(root, "dist", "cli", "scan.js"))).toBe(false);
    expect(existsSync(join(root, "dist", "cli", "worker.js"))).toBe(true);
  });

  it("scans units on worker threads (the bundled worker) with the findings of one thread", () => {
    const cwd = tempTree({
      "a.yaml": privilegedDeployment("a"),
      "b.yaml": privilegedDeployment("b"),
      "c.yaml": privilegedDeployment("c"),
    });
    const json = (jobs: string) => {
      const r = kubeward(["scan", "--unit", "file", "--jobs", jobs, "--format", "json", ...onlyRules()], {
        cwd,
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      return JSON.parse(r.stdout) as { findings: { file: string }[] };
    };
    const one = json("1");
    expect(one.findings.map((f) => f.file)).toEqual(expect.arrayContaining(["a.yaml", "b.yaml", "c.yaml"]));
    expect(json("3").findings).toEqual(one.findings);
  });

  // The bundle holds yaml and picomatch; @kubernetes/client-node is an optional peer dependency.
  it("scans with no node_modules at all, and names the package a live cluster needs", () => {
    const bare = mkdtempSync(join(tmpdir(), "kubeward-bare-"));
    try {
      cpSync(join(root, "dist", "cli"), join(bare, "dist", "cli"), { recursive: true });
      copyFileSync(join(repo, "package.json"), join(bare, "package.json"));
      const entry = join(bare, "dist", "cli", "main.js");
      const cwd = tempTree({ "d.yaml": privilegedDeployment("web") });
      const scan = kubeward(["scan", ...onlyRules(), "--format", "json"], { cwd, entry });
      expect(scan.stderr).toBe("");
      expect(scan.code).toBe(1);
      expect(scan.stdout).toContain("privileged-container");
      writeFileSync(join(cwd, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
      for (const args of [
        ["diagnose", "--kubeconfig", "kubeconfig"],
        ["scan", "--cluster", "--kubeconfig", "kubeconfig"],
      ]) {
        const r = kubeward(args, { cwd, entry });
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr).toContain("install @kubernetes/client-node to scan a live cluster");
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      }
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it("runs through a `kubeward` symlink, as npm links the bin", () => {
    mkdirSync(join(root, "bin"), { recursive: true });
    const link = join(root, "bin", "kubeward");
    if (!existsSync(link)) symlinkSync(main, link);
    const cwd = tempTree({ "d.yaml": privilegedDeployment("web") });
    const r = kubeward(["scan", ...onlyRules(), "--format", "github"], { cwd, entry: link });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=d\.yaml,/);
  });
});
