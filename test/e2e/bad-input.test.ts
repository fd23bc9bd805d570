// Issue item 3: bad input gets a clear finding with file:line:column, never a stack trace, and
// the other files in the same directory are still scanned.
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, positionOf, runCli, scanJson, tempTree, type JsonReport } from "./helpers.js";

const fixture = (name: string) => readFileSync(join(FIXTURES, "bad-input", name), "utf8");
const MB = 1024 * 1024;

describe("bad input, all in one directory next to a good file", () => {
  let report: JsonReport;
  let code: number;
  let stderr: string;
  let hugeMs = 0;

  beforeAll(async () => {
    const dir = tempTree(
      { "binary.yaml": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) },
      "bad-input",
    );
    // A real 100 MB file, written at test time (a few hundred ms; not a sparse file).
    const started = performance.now();
    const fd = openSync(join(dir, "huge.yaml"), "w");
    const chunk = Buffer.alloc(MB, "a: b\n");
    for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    closeSync(fd);
    hugeMs = performance.now() - started;
    const r = await scanJson(["."], { cwd: dir });
    report = r.report;
    code = r.code;
    stderr = r.stderr;
  });

  const findingsIn = (file: string) => report.findings.filter((f) => f.file === file);
  const one = (file: string) => {
    const list = findingsIn(file);
    expect(list.map((f) => `${f.ruleId}/${f.messageId}`)).toHaveLength(1);
    return list[0];
  };

  it("still scans the good file, then exits 2 naming the files that could not be read or parsed", () => {
    expect(findingsIn("good.yaml").map((f) => f.ruleId)).toEqual(["privileged-container"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "kubeward: 6 inputs could not be read, parsed or rendered (alias-bomb.yaml, binary.yaml, huge.yaml, invalid-yaml.yaml, second-doc-broken.yaml, tab-indented.yaml); exit 2\n",
    );
    // Creating the 100 MB file is quick enough to keep in the suite.
    expect(hugeMs).toBeLessThan(20_000);
  });

  it("invalid YAML → parse-error where the parser stopped", () => {
    const f = one("invalid-yaml.yaml");
    expect(f).toMatchObject({
      ruleId: "parse-error",
      messageId: "syntax",
      ...positionOf(fixture("invalid-yaml.yaml"), "x: y"),
    });
    expect(f?.message).toMatch(/mapping/i);
  });

  it("duplicate keys → duplicate-key at the second key; the object is still read, last value kept", () => {
    const text = fixture("duplicate-keys.yaml");
    expect(one("duplicate-keys.yaml")).toMatchObject({
      ruleId: "duplicate-key",
      messageId: "repeated",
      resource: null,
      ...positionOf(text, "name: dup2"),
    });
    expect(one("duplicate-keys.yaml")?.message).toBe(
      "Key `name` is repeated (first at line 4); Kubernetes keeps this last value and drops the earlier one.",
    );
  });

  it("tab-indented file → parse-error at the tab", () => {
    expect(one("tab-indented.yaml")).toMatchObject({
      ruleId: "parse-error",
      ...positionOf(fixture("tab-indented.yaml"), "\tname"),
    });
    expect(one("tab-indented.yaml")?.message).toMatch(/tab/i);
  });

  it("binary data → parse-error naming the NUL byte", () => {
    expect(one("binary.yaml")).toMatchObject({
      ruleId: "parse-error",
      messageId: "binary",
      line: 1,
      column: 1,
    });
    expect(one("binary.yaml")?.message).toContain("offset 8");
  });

  it("a 100 MB file → parse-error (too large), not read", () => {
    const f = one("huge.yaml");
    expect(f).toMatchObject({ ruleId: "parse-error", messageId: "tooLarge", line: 1, column: 1 });
    expect(f?.message).toContain(String(100 * MB));
  });

  it("a billion-laughs alias bomb → parse-error, without expanding it", () => {
    expect(one("alias-bomb.yaml")).toMatchObject({ ruleId: "parse-error", messageId: "aliasBomb" });
    expect(one("alias-bomb.yaml")?.line).toBeGreaterThanOrEqual(1);
  });

  it('replicas: "three" → invalid-object at the field, naming the types', () => {
    const f = one("replicas-string.yaml");
    expect(f).toMatchObject({
      ruleId: "invalid-object",
      messageId: "wrongType",
      path: ["spec", "replicas"],
      resource: { kind: "Deployment", name: "three" },
      ...positionOf(fixture("replicas-string.yaml"), 'replicas: "three"'),
    });
    expect(f?.message).toBe('`spec.replicas` must be an integer, not the string "three".');
  });

  it("containers: {} → invalid-object at the field", () => {
    expect(one("containers-map.yaml")).toMatchObject({
      ruleId: "invalid-object",
      path: ["spec", "containers"],
      ...positionOf(fixture("containers-map.yaml"), "containers: {}"),
    });
  });

  it("a broken second document does not hide the first", () => {
    const list = findingsIn("second-doc-broken.yaml");
    const text = fixture("second-doc-broken.yaml");
    expect(list.map((f) => [f.ruleId, f.line])).toEqual([
      ["privileged-container", positionOf(text, "privileged: true").line],
      ["parse-error", positionOf(text, "foo: [").line],
    ]);
  });

  it("counts every file, and reports one finding per bad file", () => {
    expect(report.summary.findings).toBe(report.findings.length);
    const files = new Set(report.findings.map((f) => f.file));
    expect([...files].sort()).toEqual(
      [
        "alias-bomb.yaml",
        "binary.yaml",
        "containers-map.yaml",
        "duplicate-keys.yaml",
        "good.yaml",
        "huge.yaml",
        "invalid-yaml.yaml",
        "replicas-string.yaml",
        "second-doc-broken.yaml",
        "tab-indented.yaml",
      ].sort(),
    );
  });
});

describe("--max-file-size", () => {
  it("turns a file above the limit into a finding and scans the rest", async () => {
    const dir = tempTree({}, "bad-input");
    const { report } = await scanJson([".", "--max-file-size", "200"], { cwd: dir });
    const large = report.findings.filter((f) => f.messageId === "tooLarge").map((f) => f.file);
    // good.yaml (about 250 bytes) is over 200; the small ConfigMaps are under it.
    expect(large).toContain("good.yaml");
    expect(large).not.toContain("duplicate-keys.yaml");
    expect(
      report.findings.some((f) => f.file === "duplicate-keys.yaml" && f.ruleId === "duplicate-key"),
    ).toBe(true);
  });

  it("rejects a limit that is not a positive integer (exit 2)", async () => {
    const r = await runCli(["scan", ".", "--max-file-size", "lots"], { cwd: tempTree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-file-size");
  });
});

describe("no stack traces", () => {
  it("in any output format, for any bad input", async () => {
    const dir = tempTree({}, "bad-input");
    writeFileSync(join(dir, "empty.yaml"), "");
    writeFileSync(join(dir, "only-comments.yaml"), "# nothing here\n");
    for (const format of ["stylish", "json", "sarif", "junit", "github"]) {
      const r = await runCli(["scan", ".", "--format", format], { cwd: dir });
      // Files that could not be parsed: exit 2 after the full report (issue 9 item 9).
      expect(r.code, format).toBe(2);
      expect(r.stdout + r.stderr, format).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    }
  });
});
