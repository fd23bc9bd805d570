// The unified diff of a fixed file: hunks, their line numbers and a missing final newline.
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/fix/diff.js";

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join("");

describe("unifiedDiff", () => {
  it("writes one hunk per distant change with the line numbers of both sides (as diff -u does)", () => {
    const before = lines(30, (i) => `line ${String(i)}\n`);
    const after = before
      .replace("line 3\n", "line 3\nadded a\nadded b\n")
      .replace("line 20\n", "")
      .replace("line 28\n", "line 28 changed\n");
    expect(unifiedDiff("f.yaml", before, after)).toBe(
      [
        "--- a/f.yaml",
        "+++ b/f.yaml",
        "@@ -1,6 +1,8 @@",
        " line 1",
        " line 2",
        " line 3",
        "+added a",
        "+added b",
        " line 4",
        " line 5",
        " line 6",
        "@@ -17,7 +19,6 @@",
        " line 17",
        " line 18",
        " line 19",
        "-line 20",
        " line 21",
        " line 22",
        " line 23",
        "@@ -25,6 +26,6 @@",
        " line 25",
        " line 26",
        " line 27",
        "-line 28",
        "+line 28 changed",
        " line 29",
        " line 30",
        "",
      ].join("\n"),
    );
  });

  it("keeps the context lines and line numbers of the lines around the change", () => {
    // The first line is empty (the context before the change reaches the start of the text).
    expect(unifiedDiff("f", "\na\nb\nc\nd\n", "\na\nb\nX\nd\n")).toBe(
      "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n \n a\n b\n-c\n+X\n d\n",
    );
    const before = lines(5000, (i) => `line ${String(i)}\n`);
    const after = before.replace("line 2500\n", "line 2500\nnew\n");
    expect(unifiedDiff("f", before, after)).toBe(
      "--- a/f\n+++ b/f\n@@ -2498,6 +2498,7 @@\n line 2498\n line 2499\n line 2500\n+new\n line 2501\n line 2502\n line 2503\n",
    );
  });

  it("marks a missing final newline and is empty for equal texts", () => {
    expect(unifiedDiff("f", "a\nb", "a\nc")).toBe(
      "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
    );
    expect(unifiedDiff("f", "a\n", "a\n")).toBe("");
  });
});
