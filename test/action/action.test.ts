// The GitHub Action (issue 13 item 4), run under a simulated GitHub environment: its script scans
// GITHUB_WORKSPACE, prints annotations, writes SARIF, appends Markdown to GITHUB_STEP_SUMMARY and sets
// step outputs; action.yml wires it to the SARIF upload. Also the pre-commit hook definitions.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { privilegedDeployment, tempTree } from "../e2e/helpers.js";

const repo = join(import.meta.dirname, "..", "..");

function runAction(workspace: string, inputs: Record<string, string> = {}) {
  const runner = mkdtempSync(join(tmpdir(), "kubeward-runner-"));
  const summary = join(runner, "step-summary.md");
  const output = join(runner, "output.txt");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const r = spawnSync("bash", [join(repo, "action", "run.sh")], {
    encoding: "utf8",
    timeout: 120_000,
    env: {
      PATH: process.env["PATH"],
      HOME: process.env["HOME"],
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: runner,
      // The action installs kubeward from npm; here the sources stand in for it.
      KUBEWARD_BIN: `${process.execPath} --import ${createRequire(import.meta.url).resolve("tsx")} ${join(repo, "src", "cli", "main.ts")}`,
      NODE_PATH: join(repo, "node_modules"),
      ...inputs,
    },
    cwd: repo,
  });
  const outputs = Object.fromEntries(
    readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  ) as Record<string, string>;
  return { ...r, summary: readFileSync(summary, "utf8"), outputs };
}

describe("action/run.sh in a simulated GitHub Actions job", () => {
  it("annotates, writes SARIF and the job summary, and reports exit code 1 as an output", () => {
    const ws = tempTree({
      "k8s/web.yaml": privilegedDeployment("web"),
      "k8s/ok.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
    });
    const r = runAction(ws, { INPUT_PATH: "k8s", INPUT_ARGS: "--disable cpu-limit-missing" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^::error file=k8s\/web\.yaml,line=\d+,col=\d+.*title=privileged-container \(critical\)::/m,
    );
    expect(r.outputs["exit-code"]).toBe("1");
    expect(Number(r.outputs["findings"])).toBeGreaterThan(1);
    expect(r.outputs["sarif"]).toBe("kubeward.sarif");
    const sarif = JSON.parse(readFileSync(join(ws, "kubeward.sarif"), "utf8")) as {
      runs: { results: unknown[] }[];
    };
    expect(sarif.runs[0]?.results).toHaveLength(Number(r.outputs["findings"]));
    expect(r.summary).toMatch(/^### kubeward: \d+ findings\n/);
    expect(r.summary).toContain("`privileged-container`");
    expect(r.summary).not.toContain("`cpu-limit-missing`");
  });

  it("reports 0 for a clean workspace and honours fail-on", () => {
    const ws = tempTree({ "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n" });
    const r = runAction(ws);
    expect(r.outputs).toMatchObject({ "exit-code": "0", findings: "0" });
    expect(r.summary).toContain("### kubeward: no findings");
    const ws2 = tempTree({
      "web.yaml": privilegedDeployment("web").replace("privileged: true", "privileged: false"),
    });
    expect(runAction(ws2, { INPUT_FAIL_ON: "critical" }).outputs["exit-code"]).toBe("0");
  });

  it("exit code 2 and a summary that says so when kubeward cannot run", () => {
    const ws = tempTree({});
    const r = runAction(ws, { INPUT_PATH: "does-not-exist" });
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ "exit-code": "2", sarif: "" });
    expect(r.summary).toContain("kubeward did not finish (exit code 2)");
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(join(repo, "action.yml"), "utf8")) as {
    inputs: Record<string, unknown>;
    runs: {
      using: string;
      steps: {
        id?: string;
        uses?: string;
        run?: string;
        env?: Record<string, string>;
        with?: Record<string, string>;
      }[];
    };
  };
  it("is a composite action that installs from npm, runs the script, uploads SARIF, then fails", () => {
    expect(action.runs.using).toBe("composite");
    const steps = action.runs.steps;
    expect(
      steps.some((s) => s.run?.includes('npm install --global --no-audit --no-fund "kubeward@${VERSION}"')),
    ).toBe(true);
    const scan = steps.find((s) => s.id === "scan");
    expect(scan?.run).toBe('bash "$GITHUB_ACTION_PATH/action/run.sh"');
    const upload = steps.findIndex((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@") === true);
    const fail = steps.findIndex((s) => s.run?.includes('exit "${CODE:-2}"') === true);
    expect(upload).toBeGreaterThan(steps.findIndex((s) => s.id === "scan"));
    expect(scan).toBeDefined();
    expect(fail).toBeGreaterThan(upload);
  });
  it("passes every input the script reads", () => {
    const script = readFileSync(join(repo, "action", "run.sh"), "utf8");
    const read = [...new Set([...script.matchAll(/\bINPUT_[A-Z_]+/g)].map((m) => m[0]))].sort();
    const scan = action.runs.steps.find((s) => s.id === "scan");
    expect(Object.keys(scan?.env ?? {}).sort()).toEqual(read);
    for (const value of Object.values(scan?.env ?? {})) {
      const input = /inputs\.([a-z-]+)/.exec(value)?.[1] ?? "";
      expect(Object.keys(action.inputs)).toContain(input);
    }
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(join(repo, ".pre-commit-hooks.yaml"), "utf8")) as {
    id: string;
    entry: string;
    language: string;
    files?: string;
  }[];
  it("runs the package's kubeward bin on YAML and JSON files", () => {
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(Object.keys(pkg.bin)).toContain("kubeward");
    const hook = hooks.find((h) => h.id === "kubeward");
    expect(hook).toMatchObject({ language: "node" });
    expect(hook?.entry.startsWith("kubeward scan")).toBe(true);
    const files = new RegExp(hook?.files ?? "^$");
    expect(["k8s/a.yaml", "b.yml", "c.json"].every((f) => files.test(f))).toBe(true);
    expect(["README.md", "x.yaml.txt"].some((f) => files.test(f))).toBe(false);
    expect(existsSync(join(repo, "action", "run.sh"))).toBe(true);
  });
});
