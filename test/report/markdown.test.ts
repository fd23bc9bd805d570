// --format markdown (issue 13 item 4): a PR comment / job summary; scanned text cannot inject markup.
import { describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/api.js";
import type { FileFinding, Finding } from "../../src/core/types.js";
import { escapeCell, formatMarkdown, MARKDOWN_MAX_ROWS } from "../../src/report/markdown.js";
import { mergeParts, emptySummary } from "../../src/units/merge.js";
import { EMPTY_CONFIG } from "../../src/core/config.js";

function finding(i: number, extra: Partial<FileFinding> = {}): Finding {
  return {
    ruleId: "privileged-container",
    severity: "critical",
    category: "security",
    message: `Container "app" runs privileged (${i})`,
    messageId: "privileged",
    remediation: "Remove securityContext.privileged.",
    resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: `web-${i}` },
    path: ["spec"],
    file: "k8s/web.yaml",
    line: 10 + i,
    column: 7,
    ...extra,
  };
}

function result(findings: Finding[], suppressed = 0): ScanResult {
  const summary = {
    ...emptySummary(),
    files: 1,
    resources: findings.length,
    findings: findings.length,
    suppressed,
  };
  for (const f of findings) summary.bySeverity[f.severity]++;
  return mergeParts([{ findings, suppressed: [], summary }], {
    rules: [],
    config: EMPTY_CONFIG,
    configFile: undefined,
  });
}

describe("formatMarkdown", () => {
  it("has a headline with counts, a table row per finding (most severe first) and counts per rule", () => {
    const md = formatMarkdown(
      result([finding(1, { severity: "low", ruleId: "cpu-limit-missing" }), finding(2)], 3),
      {},
    );
    const lines = md.split("\n");
    expect(lines[0]).toBe("### kubeward: 2 findings");
    expect(lines[2]).toBe("🔴 1 critical · 🔵 1 low — 1 file, 2 resources scanned — 3 suppressed");
    const rows = lines.filter((l) => l.startsWith("| 🔴") || l.startsWith("| 🔵"));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("`privileged-container`");
    expect(rows[0]).toContain("`k8s/web.yaml:12:7`");
    expect(rows[0]).toContain("Deployment/shop/web-2");
    expect(rows[1]).toContain("`cpu-limit-missing`");
    expect(md).toContain("| `privileged-container` | 1 |");
  });

  it("says so when there is nothing to report", () => {
    expect(formatMarkdown(result([]), {})).toBe("### kubeward: no findings\n\n1 file, 0 resources scanned\n");
  });

  it(`lists at most ${MARKDOWN_MAX_ROWS} findings and counts the rest`, () => {
    const many = Array.from({ length: MARKDOWN_MAX_ROWS + 5 }, (_, i) => finding(i));
    const md = formatMarkdown(result(many), {});
    expect(md.split("\n").filter((l) => l.startsWith("| 🔴"))).toHaveLength(MARKDOWN_MAX_ROWS);
    expect(md).toContain("… and 5 more (see the full report).");
  });

  it("escapes scanned text: no HTML, no broken table, no mentions, no escaping a code span", () => {
    const evil = finding(1, {
      message: "bad <img src=x onerror=alert(1)> | cell\nnew line @org/team **bold**",
      file: "a`b|c.yaml",
      resource: { apiVersion: "v1", kind: "Pod", name: "x|<b>y</b>" },
    });
    const md = formatMarkdown(result([evil]), {});
    const row = md.split("\n").find((l) => l.startsWith("| 🔴")) ?? "";
    expect(row).not.toMatch(/<img|<b>/);
    expect(row).toContain("&lt;img src=x onerror=alert\\(1\\)&gt;");
    // Exactly the 6 pipes of a 5-column row remain unescaped.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(row).not.toContain("@org");
    expect(row).toContain("\\*\\*bold\\*\\*");
    expect(row).toContain("`aˋb\\|c.yaml:11:7`");
    expect(escapeCell("a\r\nb")).toBe("a b");
  });
});
