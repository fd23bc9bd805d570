// Markdown for pull request comments and GitHub job summaries: a headline with counts, a table of
// findings (most severe first, capped so the comment stays under GitHub's 65,536-character limit),
// and counts per rule. Every scanned value is escaped: it is text from a repository we do not trust.
import type { Finding, Severity } from "../core/types.js";
import { clusterLabel, severityRank } from "../core/findings.js";
import { clusterScope, resourceLabel } from "./stylish.js";
import type { Formatter } from "./types.js";

/** Findings listed in the table; the rest are counted. */
export const MARKDOWN_MAX_ROWS = 200;
const ICON: Record<Severity, string> = {
  critical: "🔴",
  high: "🟠",
  medium: "🟡",
  low: "🔵",
  info: "⚪",
};
const ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Text safe inside a Markdown table cell: no HTML, no table breaks, no line breaks, no emphasis. */
export function escapeCell(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n|\r/g, " ")
    .replace(/([\\`*_{}[\]()#+!|~])/g, "\\$1")
    .replace(/@/g, "@\u200b");
}

/** A code span that its content cannot end: backticks inside become the apostrophe-like U+02CB. */
function code(s: string): string {
  return `\`${s
    .replace(/`/g, "\u02cb")
    .replace(/\r?\n|\r/g, " ")
    .replace(/\|/g, "\\|")}\``;
}

function where(f: Finding): string {
  if (f.source === "cluster") return code(clusterLabel(f.cluster));
  if (f.file === "") return "";
  return code(`${f.file}:${f.line}:${f.column}`);
}

export const formatMarkdown: Formatter = (result) => {
  const s = result.summary;
  const out: string[] = [];
  const counts = ORDER.filter((sev) => s.bySeverity[sev] > 0).map(
    (sev) => `${ICON[sev]} ${s.bySeverity[sev]} ${sev}`,
  );
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  out.push(`### kubeward: ${s.findings === 0 ? "no findings" : plural(s.findings, "finding")}`, "");
  const scanned =
    s.cluster !== undefined
      ? `${plural(s.resources, "object")} scanned (${escapeCell(clusterScope(s.cluster))})`
      : `${plural(s.files, "file")}, ${plural(s.resources, "resource")} scanned`;
  const hidden = [
    ...(s.suppressed > 0 ? [`${s.suppressed} suppressed`] : []),
    ...(s.baselined !== undefined && s.baselined > 0 ? [`${s.baselined} baselined`] : []),
  ];
  out.push([...(counts.length > 0 ? [counts.join(" · ")] : []), scanned, ...hidden].join(" — "), "");
  if (s.findings === 0) return out.join("\n");

  const sorted = [...result.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const shown = sorted.slice(0, MARKDOWN_MAX_ROWS);
  out.push("| Severity | Rule | Resource | Location | Finding |", "| --- | --- | --- | --- | --- |");
  for (const f of shown) {
    const resource = f.resource === undefined ? "" : escapeCell(resourceLabel(f.resource));
    const container = f.container === undefined ? "" : ` (container ${escapeCell(f.container)})`;
    out.push(
      `| ${ICON[f.severity]} ${f.severity} | ${code(f.ruleId)} | ${resource}${container} | ${where(f)} | ${escapeCell(f.message)} ${escapeCell(f.remediation)} |`,
    );
  }
  if (sorted.length > shown.length)
    out.push("", `… and ${sorted.length - shown.length} more (see the full report).`);

  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  out.push("", "<details><summary>Findings per rule</summary>", "", "| Rule | Findings |", "| --- | ---: |");
  for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))
    out.push(`| ${code(rule)} | ${n} |`);
  out.push("", "</details>", "");
  return out.join("\n");
};
