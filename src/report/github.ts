// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Severity } from "../core/types.js";
import { resourceLabel } from "./stylish.js";
import type { Formatter } from "./types.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
  info: "notice",
};

/** Escaping for the message (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping for a property value (`file=...,title=...`): also `:` and `,`, which end a property. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export const formatGithub: Formatter = (result) => {
  const lines = result.findings.map((f) => {
    const props: [string, string | number][] = [];
    if (f.file !== "" && f.file !== "<stdin>") props.push(["file", f.file]);
    props.push(["line", f.line]);
    // GitHub ignores col/endColumn when an annotation spans several lines.
    const oneLine = f.endLine === undefined || f.endLine === f.line;
    props.push(["col", f.column]);
    if (f.endLine !== undefined) props.push(["endLine", f.endLine]);
    if (oneLine && f.endColumn !== undefined && f.endColumn > f.column)
      props.push(["endColumn", f.endColumn]);
    props.push(["title", `${f.ruleId} (${f.severity})`]);
    const where = [
      ...(f.resource !== undefined ? [resourceLabel(f.resource)] : []),
      ...(f.container !== undefined ? [`container ${f.container}`] : []),
    ];
    const message = [
      f.message + (where.length > 0 ? ` [${where.join(", ")}]` : ""),
      `Fix: ${f.remediation}`,
    ].join("\n");
    const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
    return `::${COMMAND[f.severity]} ${p}::${escapeData(message)}`;
  });
  const s = result.summary;
  lines.push(
    `kubeward: ${s.findings} finding${s.findings === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"} (${s.resources} resources, ${s.suppressed} suppressed)`,
  );
  return lines.join("\n") + "\n";
};
