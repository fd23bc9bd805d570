// The stylish formatter: grouping, per-finding line, resource, code frame, remediation, summary, colour.
import { describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/api.js";
import type { FileFinding } from "../../src/core/types.js";
import { codeFrame } from "../../src/report/code-frame.js";
import { formatStylish } from "../../src/report/stylish.js";
import { DEPLOYMENT, POD, positionOf, scanFiles } from "./helpers.js";

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe("stylish", () => {
  const result = scanFiles({
    "b/deploy.yaml": DEPLOYMENT,
    "a/pod.yaml": POD,
    "c/notes.yaml": "title: not a Kubernetes object\n",
  });
  const out = formatStylish(result, {});
  const lines = out.split("\n");

  it("prints each file once, as a header, in order", () => {
    expect(lines.filter((l) => l === "a/pod.yaml")).toHaveLength(1);
    expect(lines.filter((l) => l === "b/deploy.yaml")).toHaveLength(1);
    expect(lines.indexOf("a/pod.yaml")).toBeLessThan(lines.indexOf("b/deploy.yaml"));
    // A file without findings gets no header.
    expect(out).not.toContain("c/notes.yaml");
  });

  it("prints line:column, severity, message and rule ID for each finding, under its file", () => {
    const at = positionOf(DEPLOYMENT, "privileged: true");
    const row = lines.find((l) => l.includes("runs privileged"));
    expect(row).toBeDefined();
    expect(row?.trim().split(/\s{2,}/)).toEqual([
      `${at.line}:${at.column}`,
      "critical",
      "Container `app` runs privileged.",
      "demo-privileged",
    ]);
    expect(lines.indexOf(row ?? "")).toBeGreaterThan(lines.indexOf("b/deploy.yaml"));
    const tag = positionOf(DEPLOYMENT, "image: busybox:latest");
    expect(out).toContain(`${tag.line}:${tag.column}`);
  });

  it("names the resource and container and gives the remediation", () => {
    const i = lines.findIndex((l) => l.includes("runs privileged"));
    const block = lines.slice(i, lines.indexOf("", i)).join("\n");
    expect(block).toContain("Deployment/prod/web, container app");
    expect(block).toContain("fix: Remove `privileged: true`.");
    const pod = lines.slice(lines.indexOf("a/pod.yaml")).join("\n");
    expect(pod).toContain("Pod/tool, container tool"); // no namespace: Kind/name
  });

  it("shows a code frame: two lines before and after, the marked line, a caret under the column", () => {
    const at = positionOf(DEPLOYMENT, "privileged: true");
    const src = DEPLOYMENT.split("\n");
    const i = lines.findIndex((l) => l.includes("runs privileged"));
    const block = lines.slice(i, lines.indexOf("", i));
    const marked = block.findIndex((l) => l.trimStart().startsWith(">"));
    expect(block[marked]).toMatch(new RegExp(`^\\s*> ${at.line} \\| ${escape(src[at.line - 1] ?? "")}$`));
    for (const d of [-2, -1, 1, 2]) {
      expect(block[marked + d + (d > 0 ? 1 : 0)]).toContain(`${at.line + d} | ${src[at.line - 1 + d] ?? ""}`);
    }
    // The caret line: the "^" sits exactly under the column of the marked line's source text.
    const caretLine = block[marked + 1] ?? "";
    const textStart = (block[marked] ?? "").indexOf("| ") + 2;
    expect(caretLine.indexOf("^") - textStart).toBe(at.column - 1);
    expect(caretLine.slice(caretLine.indexOf("^"))).toBe("^".repeat("privileged: true".length));
  });

  it("ends with a summary of counts by severity, files, resources, suppressed and skipped documents", () => {
    const last = lines.filter((l) => l !== "").at(-1);
    // deploy: privileged (critical) + sidecar :latest (medium); pod: alpine untagged (medium) + no limits (low).
    expect(last).toBe(
      "✖ 4 findings: 1 critical, 2 medium, 1 low (3 files, 2 resources, 0 suppressed, 1 non-Kubernetes document skipped)",
    );
  });

  it("uses ANSI colours only when asked", () => {
    expect(out).not.toMatch(ANSI);
    const coloured = formatStylish(result, { color: true });
    expect(coloured).toMatch(ANSI);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(out);
  });

  it("says so when there is nothing to report", () => {
    const clean = scanFiles({
      "ok.yaml": POD.replace("image: alpine", "image: alpine:3.20\n      resources: { limits: { cpu: 1 } }"),
    });
    expect(clean.findings).toEqual([]);
    expect(formatStylish(clean, {})).toBe(
      "✔ no findings (1 file, 1 resource, 0 suppressed, 0 non-Kubernetes documents skipped)\n",
    );
  });

  it("counts suppressed findings in the summary and does not print them", () => {
    const suppressed = scanFiles({
      "p.yaml": POD.replace(
        "name: tool\n",
        'name: tool\n  annotations:\n    kubeward.io/ignore: "demo-latest-tag"\n',
      ),
    });
    const text = formatStylish(suppressed, {});
    expect(text).not.toContain("demo-latest-tag");
    expect(text).toContain("1 suppressed");
  });

  it("shows Helm template and values locations, with the frame from the template text", () => {
    const template = [
      "apiVersion: v1",
      "kind: Pod",
      "spec:",
      "  containers:",
      "    - name: {{ .Chart.Name }}",
      "      image: {{ .Values.image }}",
      "",
    ].join("\n");
    const f: FileFinding = {
      ...(result.findings[0] as FileFinding),
      file: "rendered/pod.yaml",
      line: 1,
      column: 1,
      template: { file: "chart/templates/pod.yaml", line: 6, column: 7 },
      values: { path: "image", file: "chart/values.yaml", line: 3 },
    };
    const helm: ScanResult = {
      ...result,
      findings: [f],
      texts: new Map([["chart/templates/pod.yaml", template]]),
    };
    const text = formatStylish(helm, {});
    expect(text).toContain("template chart/templates/pod.yaml:6:7");
    expect(text).toContain("values image (chart/values.yaml:3)");
    expect(text).toMatch(/> 6 \| {7}image: \{\{ \.Values\.image \}\}/);
    // When the finding already points at the template, the template line would only repeat it.
    const onTemplate = formatStylish(
      { ...helm, findings: [{ ...f, file: "chart/templates/pod.yaml", line: 6, column: 7 }] },
      {},
    );
    expect(onTemplate).not.toContain("template chart/templates/pod.yaml");
    expect(onTemplate).toContain("values image (chart/values.yaml:3)");
  });
});

// Findings that print alike are grouped whether or not they come in the scan's order (a library
// caller or a merged report may give any order); in order, neighbours are grouped without a map.
describe("stylish groups identical findings in any order", () => {
  const at = (ruleId: string, line: number, release: string, message = "m"): FileFinding => ({
    ruleId,
    severity: "high",
    category: "security",
    message,
    messageId: "m",
    remediation: "r.",
    resource: { apiVersion: "v1", kind: "Pod", name: "p" },
    path: [],
    release,
    file: "f.yaml",
    line,
    column: 1,
  });
  const base: ScanResult = {
    findings: [],
    suppressed: [],
    summary: {
      files: 1,
      resources: 1,
      checked: 1,
      skipped: 0,
      findings: 0,
      suppressed: 0,
      bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
      byCategory: {},
    },
    texts: new Map(),
    rules: [],
    configFile: undefined,
    config: { rules: {}, exemptions: [], ignorePaths: [] },
  };
  const headings = (findings: FileFinding[]) =>
    formatStylish({ ...base, findings }, {})
      .split("\n")
      .filter((l) => /^ {2}\S/.test(l) || l.includes(" at "))
      .map((l) => l.trim().replace(/\s+/g, " "));

  it("in order: one group per rule, place and message, with an `at` line per release", () => {
    expect(
      headings([
        at("a", 1, "one"),
        at("a", 1, "two"),
        at("a", 1, "three", "other"),
        at("b", 1, "one"),
        at("a", 2, "one"),
      ]),
    ).toEqual([
      "1:1 high m a",
      "at Pod/p, from one",
      "at Pod/p, from two",
      "1:1 high other a",
      "at Pod/p, from three",
      "1:1 high m b",
      "at Pod/p, from one",
      "2:1 high m a",
      "at Pod/p, from one",
    ]);
  });

  it("out of order: the same groups, in first-seen order", () => {
    expect(headings([at("a", 2, "one"), at("a", 1, "one"), at("b", 1, "one"), at("a", 1, "two")])).toEqual([
      "2:1 high m a",
      "at Pod/p, from one",
      "1:1 high m a",
      "at Pod/p, from one",
      "at Pod/p, from two",
      "1:1 high m b",
      "at Pod/p, from one",
    ]);
  });
});

describe("codeFrame", () => {
  const text = "one\ntwo\nthree\nfour\nfive\nsix\n";
  it("clips context at the start and end of the text, and ignores the final newline", () => {
    expect(codeFrame(text, 1, 2)).toBe(["> 1 | one", "    |  ^", "  2 | two", "  3 | three"].join("\n"));
    expect(codeFrame(text, 6, 1)).toBe(["  4 | four", "  5 | five", "> 6 | six", "    | ^"].join("\n"));
  });
  it("is empty for a line outside the text", () => {
    expect(codeFrame(text, 0, 1)).toBe("");
    expect(codeFrame(text, 99, 1)).toBe("");
  });
  it("underlines up to the end column on one line and keeps tabs so the caret lines up", () => {
    expect(codeFrame("\tkey: value", 1, 2, { endLine: 1, endColumn: 5, context: 0 })).toBe(
      ["> 1 | \tkey: value", "    | \t^^^"].join("\n"),
    );
  });
  it("widens the gutter for two-digit line numbers", () => {
    const long = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join("\n");
    expect(codeFrame(long, 10, 1, { context: 1 })).toBe(
      ["   9 | l9", "> 10 | l10", "     | ^", "  11 | l11"].join("\n"),
    );
  });
  it("replaces control characters so they cannot drive the terminal", () => {
    expect(codeFrame("a\u001b[2Jb", 1, 1, { context: 0 })).toBe("> 1 | a\uFFFD[2Jb\n    | ^");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
