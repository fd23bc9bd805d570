// Building findings from rule metadata: one place that fills severity, category, message and remediation.
import { formatMessage, type AnyRule } from "./rule.js";
import type { Finding, Path, ResourceRef, SourceLoc } from "./types.js";

export function inputFinding(
  rule: AnyRule,
  messageId: string,
  data: Record<string, string | number> | undefined,
  loc: SourceLoc,
  extra: { resource?: ResourceRef; path?: Path; remediation?: string } = {},
): Finding {
  const template = rule.meta.messages[messageId] ?? messageId;
  const f: Finding = {
    ruleId: rule.meta.id,
    severity: rule.meta.severity,
    category: rule.meta.category,
    message: formatMessage(template, data),
    messageId,
    // A built-in rule's remediation fits its usual case; some messages need their own (e.g. an unreadable file).
    remediation: extra.remediation ?? rule.meta.remediation,
    path: extra.path ?? [],
    file: loc.file,
    line: loc.line,
    column: loc.column,
  };
  if (extra.resource !== undefined) f.resource = extra.resource;
  if (loc.endLine !== undefined) f.endLine = loc.endLine;
  if (loc.endColumn !== undefined) f.endColumn = loc.endColumn;
  return f;
}

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
export function severityRank(s: keyof typeof SEVERITY_RANK): number {
  return SEVERITY_RANK[s];
}

/** Stable order for output: file, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
