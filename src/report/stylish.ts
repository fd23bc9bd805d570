// Human output: findings grouped by file, each with its resource, a code frame and the remediation,
// then one summary. Findings on a live cluster (`scan --cluster`) are grouped by object, kubectl
// style (`deployment/web -n shop`), each with the field path instead of line:column and no frame.
// Colour (ANSI) only when asked for.
import type { ScanResult } from "../api.js";
import { compareFindings } from "../core/findings.js";
import { SEVERITIES, type Finding, type ResourceRef, type Severity } from "../core/types.js";
import { codeFrameLines, LineIndex, type CodeFrameOptions } from "./code-frame.js";
import { escapeControl } from "../core/escape.js";
import { maskLine, mentionsSecret, scrubberFor, secretLines, type SecretLines } from "./mask.js";
import { chunked, collect, type StreamFormatter } from "./types.js";

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

/** Per-report state: each file's line index is built once, whatever the number of findings in it. */
interface Frames {
  result: ScanResult;
  indexes: Map<string, LineIndex | undefined>;
  secrets: SecretLines;
  /** Replaces the scan's secret values wherever a frame line shows them (another object may repeat one). */
  scrub: ((text: string) => string) | undefined;
  /** The masking of frames in each file (`maskFor`, findings that are not input errors). */
  masks: Map<string, Pick<CodeFrameOptions, "mask" | "maskLine" | "scrub">>;
}

function indexOf(frames: Frames, file: string): LineIndex | undefined {
  if (frames.indexes.has(file)) return frames.indexes.get(file);
  const text = frames.result.texts.get(file);
  // Binary files have no lines worth showing.
  const index = text === undefined || text.includes("\0") ? undefined : new LineIndex(text);
  frames.indexes.set(file, index);
  return index;
}

const SEVERITY_WIDTH = SEVERITIES.reduce((n, s) => Math.max(n, s.length), 0);
const INDENT = "    ";

export const streamStylish: StreamFormatter = (result, options, write) => {
  const p = options.color === true ? COLOR : NO_COLOR;
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    // A NUL cannot start a file name: cluster objects never share a group with a file.
    const group = f.source === "cluster" ? `\0${f.cluster.ref}` : f.file;
    const list = byFile.get(group);
    if (list === undefined) byFile.set(group, [f]);
    else list.push(f);
  }
  const frames: Frames = {
    result,
    indexes: new Map(),
    secrets: result.secretLines ?? secretLines([], [...result.findings, ...result.suppressed]),
    scrub: scrubberFor(result.secretValues),
    masks: new Map(),
  };
  const out = chunked(write);
  const emit = out.add;
  for (const [file, findings] of byFile) {
    const heading = file.startsWith("\0") ? file.slice(1) : file === "" ? "(no file)" : file;
    emit(p.underline(escapeControl(heading)) + "\n");
    let posWidth = 0;
    for (const f of findings) posWidth = Math.max(posWidth, position(f).length);
    for (const group of identical(findings))
      emit(formatFinding(group, frames, p, posWidth).join("\n") + "\n\n");
    // A file's line index is not needed once its findings are written.
    frames.indexes.delete(file);
    frames.masks.delete(file);
  }
  emit(summary(result, p) + "\n");
  out.end();
};

export const formatStylish = collect(streamStylish);

/** `line:column`, or nothing for a cluster finding (its heading names the object, `at` the field). */
function position(f: Finding): string {
  return f.source === "cluster" ? "" : `${f.line}:${f.column}`;
}

/**
 * Findings that would print the same (rule, place, message, mapping, remediation) and differ only in
 * the object or release they are on, in first-seen order: one base built by several overlays, one
 * chart released twice. They are printed once, with one `at` line per object.
 */
function identical(findings: readonly Finding[]): Finding[][] {
  if (isSorted(findings)) return identicalInRuns(findings);
  // Bucketed by rule and place, then compared field by field: a JSON key per finding cost seconds
  // for a file with 240,000 findings.
  const buckets = new Map<string, Finding[][]>();
  const groups: Finding[][] = [];
  for (const f of findings) {
    const place = f.source === "cluster" ? `\0${f.cluster.ref}` : position(f);
    const bucketKey = `${f.ruleId} ${place}`;
    let bucket = buckets.get(bucketKey);
    if (bucket === undefined) buckets.set(bucketKey, (bucket = []));
    joinAlike(bucket, groups, f);
  }
  return groups;
}

/** Put `f` in the group of `bucket` it prints alike with, or open a new group (also listed in `groups`). */
function joinAlike(bucket: Finding[][], groups: Finding[][], f: Finding): void {
  const g = bucket.find((group) => printsAlike(group[0] as Finding, f));
  if (g !== undefined) g.push(f);
  else {
    const group = [f];
    bucket.push(group);
    groups.push(group);
  }
}

function isSorted(findings: readonly Finding[]): boolean {
  for (let i = 1; i < findings.length; i++)
    if (compareFindings(findings[i - 1] as Finding, findings[i] as Finding) > 0) return false;
  return true;
}

/**
 * `identical` for findings in the scan's order (by place, then rule): a bucket of `identical` (one
 * rule at one place) is a run of neighbours, so no key or map is needed. A cluster object's findings
 * are ordered by field, then rule: one rule's findings on two fields are apart, but never alike.
 */
function identicalInRuns(findings: readonly Finding[]): Finding[][] {
  const groups: Finding[][] = [];
  let bucket: Finding[][] = [];
  let prev: Finding | undefined;
  for (const f of findings) {
    if (prev === undefined || !samePlaceAndRule(prev, f)) bucket = [];
    prev = f;
    joinAlike(bucket, groups, f);
  }
  return groups;
}

function samePlaceAndRule(a: Finding, b: Finding): boolean {
  if (a.ruleId !== b.ruleId) return false;
  if (a.source === "cluster" || b.source === "cluster")
    return a.source === "cluster" && b.source === "cluster" && a.cluster.ref === b.cluster.ref;
  return a.line === b.line && a.column === b.column;
}

/** Same rule and place (the bucket), and the same severity, message, remediation, mapping and state. */
function printsAlike(a: Finding, b: Finding): boolean {
  const json = (v: unknown) => JSON.stringify(v);
  return (
    a.severity === b.severity &&
    a.message === b.message &&
    a.remediation === b.remediation &&
    (a.suppressed === undefined) === (b.suppressed === undefined) &&
    (a.source === "cluster" && b.source === "cluster"
      ? json(a.cluster) === json(b.cluster)
      : a.source === b.source) &&
    (a.template === b.template || json(a.template) === json(b.template)) &&
    (a.values === b.values || json(a.values) === json(b.values))
  );
}

function formatFinding(group: readonly Finding[], frames: Frames, p: Palette, posWidth: number): string[] {
  const f = group[0] as Finding;
  const pos = position(f).padEnd(posWidth);
  // Names and messages carry text from the scanned files: escaped, so they cannot drive the terminal.
  const lines = [
    `  ${pos === "" ? "" : `${p.dim(pos)}  `}${p.severity[f.severity](f.severity.padEnd(SEVERITY_WIDTH))}  ${escapeControl(f.message)}  ${p.dim(f.ruleId)}`,
  ];
  for (const g of group) {
    const where: string[] = [];
    if (g.source === "cluster") {
      if (g.cluster.fieldPath !== "") where.push(g.cluster.fieldPath);
    } else if (g.resource !== undefined) where.push(resourceLabel(g.resource));
    if (g.container !== undefined) where.push(`container ${g.container}`);
    if (g.release !== undefined) where.push(`from ${g.release}`);
    if (where.length > 0) lines.push(`${INDENT}${p.dim("at")} ${escapeControl(where.join(", "))}`);
  }
  // The template line only adds something when the finding's own location is elsewhere (rendered output).
  const t = f.template;
  if (
    t !== undefined &&
    (f.source === "cluster" || t.file !== f.file || t.line !== f.line || t.column !== f.column)
  )
    lines.push(`${INDENT}${p.dim("template")} ${escapeControl(t.file)}:${t.line}:${t.column}`);
  if (f.values !== undefined) {
    const at =
      f.values.setBy !== undefined
        ? ` (command line: ${f.values.setBy})`
        : f.values.file !== undefined
          ? ` (${f.values.file}${f.values.line !== undefined ? `:${f.values.line}` : ""})`
          : "";
    lines.push(`${INDENT}${p.dim("values")} ${escapeControl(f.values.path + at)}`);
  } else if (t?.valuesUnknown !== undefined) {
    lines.push(`${INDENT}${p.dim("values")} not known: ${escapeControl(t.valuesUnknown)}`);
  }

  // The frame shows where the user edits: the template when we have its text, else the file.
  const templateIndex = f.template !== undefined ? indexOf(frames, f.template.file) : undefined;
  const frame =
    f.template !== undefined && templateIndex !== undefined
      ? codeFrameLines(templateIndex, f.template.line, f.template.column, {
          highlight: p.severity[f.severity],
          dim: p.dim,
          ...maskFor(frames, f.template.file, false),
        })
      : frameOf(f, frames, p);
  for (const l of frame) lines.push(INDENT + l);
  lines.push(`${INDENT}${p.green("fix:")} ${escapeControl(f.remediation)}`);
  return lines;
}

/** Masking for a frame in `file`: its secret lines, or every line for an input error in a file with a Secret. */
function maskFor(
  frames: Frames,
  file: string,
  inputError: boolean,
): Pick<CodeFrameOptions, "mask" | "maskLine" | "scrub"> {
  const scrub = frames.scrub === undefined ? {} : { scrub: frames.scrub };
  if (inputError) {
    const text = frames.result.texts.get(file);
    if (text !== undefined && mentionsSecret(text)) return { mask: () => true, maskLine, ...scrub };
  }
  const lines = frames.secrets.get(file);
  return lines === undefined || lines.size === 0 ? scrub : { mask: (n) => lines.has(n), maskLine, ...scrub };
}

function frameOf(f: Finding, frames: Frames, p: Palette): string[] {
  // A live object has no text to frame: the heading and the field path say where it is.
  if (f.source === "cluster") return [];
  const index = indexOf(frames, f.file);
  if (index === undefined) return [];
  const inputError = f.category === "input" && f.resource === undefined;
  // The masking of a file is the same for all its findings (but input errors): worked out once.
  let mask = inputError ? undefined : frames.masks.get(f.file);
  if (mask === undefined) {
    mask = maskFor(frames, f.file, inputError);
    if (!inputError) frames.masks.set(f.file, mask);
  }
  const options: CodeFrameOptions = { highlight: p.severity[f.severity], dim: p.dim };
  if (f.endLine !== undefined) options.endLine = f.endLine;
  if (f.endColumn !== undefined) options.endColumn = f.endColumn;
  if (mask.mask !== undefined) options.mask = mask.mask;
  if (mask.maskLine !== undefined) options.maskLine = mask.maskLine;
  if (mask.scrub !== undefined) options.scrub = mask.scrub;
  return codeFrameLines(index, f.line, f.column, options);
}

/** `cluster context prod, namespace shop` (or `all namespaces`), for summaries. */
export function clusterScope(c: NonNullable<ScanResult["summary"]["cluster"]>): string {
  return [
    `cluster${c.context !== undefined ? ` context ${escapeControl(c.context)}` : ""}`,
    c.namespace !== undefined ? `namespace ${escapeControl(c.namespace)}` : "all namespaces",
  ].join(", ");
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
    ...(s.cluster !== undefined
      ? [clusterScope(s.cluster), plural(s.resources, "object")]
      : [plural(s.files, "file"), plural(s.resources, "resource")]),
    `${s.suppressed} suppressed`,
    ...(s.baselined !== undefined ? [`${s.baselined} baselined`] : []),
    ...(s.cluster === undefined ? [`${plural(s.skipped, "non-Kubernetes document")} skipped`] : []),
  ];
  return `${head} ${p.dim(`(${scope.join(", ")})`)}`;
}
