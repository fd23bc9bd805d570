// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Finding, Severity } from "../core/types.js";
import { clusterLabel } from "../core/findings.js";
import { clusterScope, resourceLabel } from "./stylish.js";
import { escapeControl } from "../core/escape.js";
import { chunked, collect, type StreamFormatter } from "./types.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
  info: "notice",
};

/** Escaping for the message (the part after `::`). */
export function escapeData(s: string): string {
  if (!/[%\r\n]/.test(s)) return s;
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping for a property value (`file=...,title=...`): also `:` and `,`, which end a property. */
export function escapeProperty(s: string): string {
  if (!/[%\r\n:,]/.test(s)) return s;
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export const streamGithub: StreamFormatter = (result, _options, write) => {
  const out = chunked(write);
  for (const f of result.findings) out.add(annotation(f) + "\n");
  const s = result.summary;
  const scanned =
    s.cluster !== undefined ? clusterScope(s.cluster) : `${s.files} file${s.files === 1 ? "" : "s"}`;
  out.add(
    `kubeward: ${s.findings} finding${s.findings === 1 ? "" : "s"} in ${scanned} (${s.resources} resources, ${s.suppressed} suppressed)\n`,
  );
  out.end();
};

export const formatGithub = collect(streamGithub);

/** One workflow command. Scanned text is escaped first: a control character could forge log lines. */
function annotation(f: Finding): string {
  const props: [string, string | number][] = [];
  if (f.source === "cluster") {
    // An object of a live cluster is no file of the repository: the annotation has no file or line
    // (GitHub shows it on the run), and the message names the object and field kubectl-style.
  } else {
    if (f.file !== "" && f.file !== "<stdin>") props.push(["file", f.file]);
    props.push(["line", f.line]);
    // GitHub ignores col/endColumn when an annotation spans several lines.
    const oneLine = f.endLine === undefined || f.endLine === f.line;
    props.push(["col", f.column]);
    if (f.endLine !== undefined) props.push(["endLine", f.endLine]);
    if (oneLine && f.endColumn !== undefined && f.endColumn > f.column)
      props.push(["endColumn", f.endColumn]);
  }
  props.push(["title", `${f.ruleId} (${f.severity})`]);
  const where = [
    ...(f.source === "cluster"
      ? [clusterLabel(f.cluster)]
      : f.resource !== undefined
        ? [resourceLabel(f.resource)]
        : []),
    ...(f.container !== undefined ? [`container ${f.container}`] : []),
  ];
  const message = [
    escapeControl(f.message + (where.length > 0 ? ` [${where.join(", ")}]` : ""), true),
    `Fix: ${escapeControl(f.remediation, true)}`,
  ].join("\n");
  const p = props.map(([k, v]) => `${k}=${escapeProperty(escapeControl(String(v), true))}`).join(",");
  return `::${COMMAND[f.severity]} ${p}::${escapeData(message)}`;
}
