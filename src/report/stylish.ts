// Human output: findings grouped by file, each with its resource, a code frame and the remediation,
// then one summary. Colour (ANSI) only when asked for.
import type { ScanResult } from "../api.js";
import { SEVERITIES, type Finding, type ResourceRef, type Severity } from "../core/types.js";
import { codeFrame } from "./code-frame.js";
import type { Formatter } from "./types.js";

type Paint = (s: string) => string;
interface Palette {
  severity: Record<Severity, Paint>;
  bold: Paint;
  dim: Paint;
  underline: Paint;
  green: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const plain: Paint = (s) => s;

const COLOR: Palette = {
  severity: {
    critical: (s) => sgr(1, 22)(sgr(35, 39)(s)),
    high: sgr(31, 39),
    medium: sgr(33, 39),
    low: sgr(36, 39),
    info: sgr(90, 39),
  },
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  underline: sgr(4, 24),
  green: sgr(32, 39),
};
const NO_COLOR: Palette = {
  severity: { critical: plain, high: plain, medium: plain, low: plain, info: plain },
  bold: plain,
  dim: plain,
  underline: plain,
  green: plain,
};

/** `Kind/namespace/name`, or `Kind/name` without a namespace. */
export function resourceLabel(ref: ResourceRef): string {
  return [ref.kind, ref.namespace, ref.name === "" ? "(unnamed)" : ref.name]
    .filter((s) => s !== undefined)
    .join("/");
}

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
const INDENT = "    ";

export const formatStylish: Formatter = (result, options) => {
  const p = options.color === true ? COLOR : NO_COLOR;
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.file);
    if (list === undefined) byFile.set(f.file, [f]);
    else list.push(f);
  }
  const out: string[] = [];
  for (const [file, findings] of byFile) {
    out.push(p.underline(file === "" ? "(no file)" : file));
    const posWidth = Math.max(...findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of findings) out.push(...formatFinding(f, result, p, posWidth), "");
  }
  out.push(summary(result, p));
  return out.join("\n") + "\n";
};

function formatFinding(f: Finding, result: ScanResult, p: Palette, posWidth: number): string[] {
  const pos = `${f.line}:${f.column}`.padEnd(posWidth);
  const lines = [
    `  ${p.dim(pos)}  ${p.severity[f.severity](f.severity.padEnd(SEVERITY_WIDTH))}  ${f.message}  ${p.dim(f.ruleId)}`,
  ];
  const where: string[] = [];
  if (f.resource !== undefined) where.push(resourceLabel(f.resource));
  if (f.container !== undefined) where.push(`container ${f.container}`);
  if (where.length > 0) lines.push(`${INDENT}${p.dim("at")} ${where.join(", ")}`);
  // The template line only adds something when the finding's own location is elsewhere (rendered output).
  const t = f.template;
  if (t !== undefined && (t.file !== f.file || t.line !== f.line || t.column !== f.column))
    lines.push(`${INDENT}${p.dim("template")} ${t.file}:${t.line}:${t.column}`);
  if (f.values !== undefined) {
    const at =
      f.values.file !== undefined
        ? ` (${f.values.file}${f.values.line !== undefined ? `:${f.values.line}` : ""})`
        : "";
    lines.push(`${INDENT}${p.dim("values")} ${f.values.path}${at}`);
  } else if (t?.valuesUnknown !== undefined) {
    lines.push(`${INDENT}${p.dim("values")} not known: ${t.valuesUnknown}`);
  }

  // The frame shows where the user edits: the template when we have its text, else the file.
  const templateText = f.template !== undefined ? result.texts.get(f.template.file) : undefined;
  const frame =
    f.template !== undefined && templateText !== undefined
      ? codeFrame(templateText, f.template.line, f.template.column, {
          highlight: p.severity[f.severity],
          dim: p.dim,
        })
      : frameOf(f, result, p);
  if (frame !== "") lines.push(...frame.split("\n").map((l) => INDENT + l));
  lines.push(`${INDENT}${p.green("fix:")} ${f.remediation}`);
  return lines;
}

function frameOf(f: Finding, result: ScanResult, p: Palette): string {
  const text = result.texts.get(f.file);
  // Binary files have no lines worth showing.
  if (text === undefined || text.includes("\0")) return "";
  return codeFrame(text, f.line, f.column, {
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
    highlight: p.severity[f.severity],
    dim: p.dim,
  });
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

function summary(result: ScanResult, p: Palette): string {
  const s = result.summary;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => p.severity[sev](`${s.bySeverity[sev]} ${sev}`));
  const head =
    s.findings === 0
      ? p.green("✔ no findings")
      : p.bold(`✖ ${plural(s.findings, "finding")}`) + `: ${counts.join(", ")}`;
  const scope = [
    plural(s.files, "file"),
    plural(s.resources, "resource"),
    `${s.suppressed} suppressed`,
    ...(s.baselined !== undefined ? [`${s.baselined} baselined`] : []),
    `${plural(s.skipped, "non-Kubernetes document")} skipped`,
  ];
  return `${head} ${p.dim(`(${scope.join(", ")})`)}`;
}
