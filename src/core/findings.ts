// Building findings from rule metadata: one place that fills severity, category, message and remediation.
import { formatMessage, type AnyRule } from "./rule.js";
import type {
  ClusterFinding,
  ClusterLoc,
  ClusterPosition,
  FilePosition,
  FindingBase,
  Finding,
  Path,
  ResourceRef,
  SourceLoc,
} from "./types.js";

/** A file position, or a cluster reference (`{ cluster }`) for objects read from a live cluster. */
export type Located = SourceLoc | { cluster: ClusterLoc };

export function inputFinding(
  rule: AnyRule,
  messageId: string,
  data: Record<string, string | number> | undefined,
  loc: Located,
  extra: { resource?: ResourceRef; path?: Path; remediation?: string } = {},
): Finding {
  const template = rule.meta.messages[messageId] ?? messageId;
  const base: FindingBase = {
    ruleId: rule.meta.id,
    severity: rule.meta.severity,
    category: rule.meta.category,
    message: formatMessage(template, data),
    messageId,
    // A built-in rule's remediation fits its usual case; some messages need their own (e.g. an unreadable file).
    remediation: extra.remediation ?? rule.meta.remediation,
    path: extra.path ?? [],
  };
  if (extra.resource !== undefined) base.resource = extra.resource;
  return withLocation(base, loc);
}

/**
 * `f` with the location fields of `loc` added after its other fields: the object itself, not a copy (one allocation less per finding).
 */
export function withLocation(f: FindingBase, loc: Located): Finding {
  if ("cluster" in loc) {
    const out = f as FindingBase & Partial<ClusterPosition>;
    out.source = "cluster";
    out.cluster = loc.cluster;
    return out;
  }
  const out = f as FindingBase & Partial<FilePosition>;
  out.file = loc.file;
  out.line = loc.line;
  out.column = loc.column;
  if (loc.endLine !== undefined) out.endLine = loc.endLine;
  if (loc.endColumn !== undefined) out.endColumn = loc.endColumn;
  return out;
}

/** True for a finding on an object of a live cluster rather than in a file. */
export function isClusterFinding(f: Finding): f is ClusterFinding {
  return f.source === "cluster";
}

/** `deployment/web -n shop spec.template.spec.containers[0]`: a cluster finding's place, kubectl style. */
export function clusterLabel(c: ClusterLoc): string {
  return c.fieldPath === "" ? c.ref : `${c.ref} ${c.fieldPath}`;
}

/** Where a finding points, for one-line reports: `file:line:column`, or the cluster reference. */
export function locationLabel(f: Finding): string {
  if (f.source === "cluster") return clusterLabel(f.cluster);
  return `${f.file}:${f.line}:${f.column}`;
}

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
export function severityRank(s: keyof typeof SEVERITY_RANK): number {
  return SEVERITY_RANK[s];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stable order for output: file, line, column, rule; cluster findings after file ones, by object and field. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.source === "cluster" || b.source === "cluster") {
    if (a.source !== "cluster") return -1;
    if (b.source !== "cluster") return 1;
    return (
      cmp(a.cluster.ref, b.cluster.ref) ||
      cmp(a.cluster.fieldPath, b.cluster.fieldPath) ||
      cmp(a.ruleId, b.ruleId)
    );
  }
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.ruleId, b.ruleId);
}
