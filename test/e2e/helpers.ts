// Running the CLI in-process with a fake Io, and temp trees to run it in.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { run } from "../../src/cli/main.js";
import { RULES } from "../../src/rules/index.js";

export const FIXTURES = join(import.meta.dirname, "fixtures");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: readonly string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string | undefined>; isTTY?: boolean },
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readStdin: () => options.stdin ?? "",
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir with `files` (name → text or bytes), optionally seeded with a fixture dir. */
export function tempTree(files: Record<string, string | Buffer> = {}, fixture?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kubeward-e2e-"));
  dirs.push(dir);
  if (fixture !== undefined) cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  category: string;
  message: string;
  messageId: string;
  remediation: string;
  resource: { apiVersion: string; kind: string; namespace?: string; name: string } | null;
  path: (string | number)[];
  file: string;
  line: number;
  column: number;
  container?: string;
}
export interface JsonReport {
  schemaVersion: number;
  findings: JsonFinding[];
  summary: {
    files: number;
    resources: number;
    checked: number;
    skipped: number;
    findings: number;
    suppressed: number;
    bySeverity: Record<string, number>;
  };
  suppressed: (JsonFinding & { suppression: { kind: string; reason?: string; until?: string } })[];
}

/** Run `scan ... --format json` (with only KEPT_RULES on) and parse the report. */
export async function scanJson(
  argv: readonly string[],
  options: Parameters<typeof runCli>[1],
): Promise<CliResult & { report: JsonReport }> {
  const r = await runCli(["scan", "--format", "json", ...onlyRules(), ...argv], options);
  // Exit 2 with a report is input that could not be read or parsed: the report is still complete.
  if (r.code === 2 && !r.stdout.startsWith("{")) throw new Error(`scan failed (exit 2): ${r.stderr}`);
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** A privileged Deployment: privileged-container (critical) fires on it. */
export function privilegedDeployment(
  name: string,
  extra: {
    namespace?: string;
    annotations?: Record<string, string>;
    podAnnotations?: Record<string, string>;
    container?: string;
  } = {},
): string {
  const ann = (a: Record<string, string> | undefined, indent: string) =>
    a === undefined
      ? ""
      : `${indent}annotations:\n` +
        Object.entries(a)
          .map(([k, v]) => `${indent}  ${k}: ${JSON.stringify(v)}\n`)
          .join("");
  return (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n" +
    `  name: ${name}\n` +
    (extra.namespace !== undefined ? `  namespace: ${extra.namespace}\n` : "") +
    ann(extra.annotations, "  ") +
    "spec:\n  template:\n" +
    (extra.podAnnotations !== undefined ? "    metadata:\n" + ann(extra.podAnnotations, "      ") : "") +
    "    spec:\n      containers:\n" +
    `        - name: ${extra.container ?? "app"}\n` +
    "          image: nginx:1.25\n          securityContext:\n            privileged: true\n"
  );
}

/** Rules these tests rely on; every other registered rule is switched off with --disable. */
export const KEPT_RULES = ["privileged-container"];

/** `--disable` flags for every object rule except `keep`, so tests do not depend on rules still being written. */
export function onlyRules(keep: readonly string[] = KEPT_RULES): string[] {
  return RULES.filter((r) => !keep.includes(r.meta.id)).flatMap((r) => ["--disable", r.meta.id]);
}
