// The fuzz harness (issue 9): mutated and generated YAML/JSON inputs, seeded so every failure can
// be replayed, scanned through the real CLI in every output format, with the invariants every
// scan must keep. Used by test/fuzz/fuzz.test.ts (a few seconds in `npm run check`) and by
// tools/fuzz.ts (long runs).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../src/cli/main.js";
import { hasControl } from "../../src/core/escape.js";

const repo = join(import.meta.dirname, "..", "..");

/** Mulberry32: a small seeded PRNG, so a failing case is replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed texts: the rule fixtures and the bad-input fixtures (YAML), plus JSON renderings of some. */
export function seedCorpus(): string[] {
  const out: string[] = [];
  const rules = join(repo, "test", "rules");
  for (const id of readdirSync(rules)) {
    const dir = join(rules, id);
    if (!statSync(dir).isDirectory()) continue;
    for (const kind of ["valid", "invalid"]) {
      let names: string[];
      try {
        names = readdirSync(join(dir, kind)).filter((n) => n.endsWith(".yaml"));
      } catch {
        continue;
      }
      for (const n of names) out.push(readFileSync(join(dir, kind, n), "utf8"));
    }
  }
  const bad = join(repo, "test", "e2e", "fixtures", "bad-input");
  for (const n of readdirSync(bad)) out.push(readFileSync(join(bad, n), "utf8"));
  return out;
}

const TOKENS = [
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  ": ",
  "- ",
  "? ",
  "---\n",
  "...\n",
  "&a ",
  "*a",
  "<<: *a\n",
  "'",
  '"',
  "\t",
  "#",
  "|\n",
  ">-\n",
  "!!binary ",
  "!!str ",
  ".inf",
  "-.inf",
  ".nan",
  "~",
  "null",
  "0x1F",
  "0o17",
  "\u001b[2J",
  "\u001b]0;title\u0007",
  "\r",
  "\u0000",
  "\u202e",
  "\u009b31m",
  "\ufeff",
  "💥",
  "\\",
  "apiVersion: v1\n",
  "kind: Pod\n",
  "kind: Secret\n",
  "spec:\n  containers:\n",
  "  - name: c\n    image: x\n",
];

export const pick = <T>(rnd: () => number, list: readonly T[]): T =>
  list[Math.floor(rnd() * list.length)] as T;

/** One mutation of `text`: flips, inserts, deletes, duplications, deep nesting, truncation. */
export function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 9)) {
    case 0:
      return text.slice(0, at) + pick(rnd, TOKENS) + text.slice(at);
    case 1: {
      const len = Math.floor(rnd() * 40);
      return text.slice(0, at) + text.slice(at + len);
    }
    case 2: {
      const lines = text.split("\n");
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[i] ?? "");
      return lines.join("\n");
    }
    case 3: {
      const lines = text.split("\n");
      const i = Math.floor(rnd() * lines.length);
      const line = lines[i] ?? "";
      lines[i] = rnd() < 0.5 ? ` ${line}` : line.replace(/^ /, "");
      return lines.join("\n");
    }
    case 4:
      return text.slice(0, at);
    case 5: {
      const depth = 1 + Math.floor(rnd() * 400);
      return (
        text.slice(0, at) + "[".repeat(depth) + "x" + "]".repeat(rnd() < 0.8 ? depth : 0) + text.slice(at)
      );
    }
    case 6:
      return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x250)) + text.slice(at);
    case 7:
      return `${text}\n---\n${text}`;
    default: {
      const code = text.charCodeAt(at) ^ (1 << Math.floor(rnd() * 7));
      return text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
    }
  }
}

/** A Secret whose value must never appear in any output. */
export function secretDoc(value: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: fuzz-secret\ndata:\n  token: ${Buffer.from(value).toString("base64")}\nstringData:\n  password: ${value}\n`;
}

export interface FuzzCase {
  seed: number;
  /** Files of the scanned tree (paths may have folders). */
  files: Record<string, string>;
  secret: string;
  /** Files beside the scanned tree, which no output may show (kustomizations point at them). */
  outside?: Record<string, string>;
  /** A value of the outside files that must never appear in the output. */
  outsideSecret?: string;
}

export function makeCase(seed: number, corpus: readonly string[]): FuzzCase {
  const rnd = prng(seed);
  const secret = `fz${Math.floor(rnd() * 1e12).toString(36)}Q7`;
  const files: Record<string, string> = {};
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    let text = pick(rnd, corpus);
    const rounds = Math.floor(rnd() * 6);
    for (let r = 0; r < rounds; r++) text = mutate(text, rnd);
    // Sometimes as JSON (when the seed is one document that still parses as JSON would).
    files[`f${i}${rnd() < 0.15 ? ".json" : ".yaml"}`] = text;
  }
  // The Secret sits next to mutated text, sometimes in the same (possibly broken) file.
  if (rnd() < 0.5) files["secret.yaml"] = secretDoc(secret);
  else files["f0.yaml"] = `${secretDoc(secret)}---\n${files["f0.yaml"] ?? ""}`;
  return { seed, files, secret };
}

export interface Violation {
  seed: number;
  format: string;
  problem: string;
}

const FORMATS = ["stylish", "json", "sarif", "junit", "github"] as const;

/** Scan the case in every format and check the invariants; returns what broke (nothing, ideally). */
export async function checkCase(c: FuzzCase, maxMs: number): Promise<Violation[]> {
  const root = mkdtempSync(join(tmpdir(), "kubeward-fuzz-"));
  const dir = join(root, "tree");
  const out: Violation[] = [];
  const write = (base: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, name)), { recursive: true });
      writeFileSync(join(base, name), text);
    }
  };
  try {
    mkdirSync(dir);
    write(root, c.outside ?? {});
    write(dir, c.files);
    for (const format of FORMATS) {
      const bad = (problem: string) => out.push({ seed: c.seed, format, problem });
      let stdout = "";
      let stderr = "";
      const started = performance.now();
      let code: number;
      try {
        code = await run(["scan", "--no-config", ".", "--format", format], {
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
          readStdin: () => "",
          cwd: dir,
          isTTY: false,
          env: {},
        });
      } catch (err) {
        bad(`uncaught exception: ${String(err)}`);
        continue;
      }
      const ms = performance.now() - started;
      if (ms > maxMs) bad(`took ${ms.toFixed(0)} ms`);
      if (![0, 1, 2].includes(code)) bad(`exit code ${code}`);
      if (/internal error/.test(stderr)) bad(`internal error: ${stderr}`);
      if (code === 2 && !/could not be read, parsed or rendered/.test(stderr))
        bad(`exit 2 without a reason: ${stderr}`);
      const all = stdout + stderr;
      if (all.includes(c.secret)) bad("the Secret's value is in the output");
      if (all.includes(Buffer.from(c.secret).toString("base64"))) bad("the Secret's data is in the output");
      if (c.outsideSecret !== undefined && all.includes(c.outsideSecret))
        bad("a file outside the scanned tree is in the output");
      if (format === "stylish" || format === "github") {
        const line = all.split("\n").find((l) => hasControl(l.replace(/\t/g, "")));
        if (line !== undefined) bad(`raw control character in: ${JSON.stringify(line.slice(0, 120))}`);
      }
      if (format === "json") {
        try {
          const report = JSON.parse(stdout) as {
            findings: { file: string; line: number; column: number; ruleId: string }[];
          };
          for (const f of report.findings) {
            if (!(f.line >= 1 && f.column >= 1 && f.file !== ""))
              bad(`unlocated finding ${JSON.stringify(f)}`);
            if (f.ruleId === "internal-error") bad(`internal-error finding ${JSON.stringify(f)}`);
          }
        } catch (err) {
          bad(`JSON output does not parse: ${String(err)}`);
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** Run `count` cases from `firstSeed`; memory is checked against a bound per input size. */
export async function fuzz(firstSeed: number, count: number, maxMs: number): Promise<Violation[]> {
  const corpus = seedCorpus();
  const violations: Violation[] = [];
  for (let i = 0; i < count; i++)
    violations.push(...(await checkCase(makeCase(firstSeed + i, corpus), maxMs)));
  return violations;
}
