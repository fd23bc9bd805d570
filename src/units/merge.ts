// Merging scan results: the units of one process, or the JSON reports of several shards. Pure.
import type { ScanResult, ScanSummary } from "../api.js";
import { compareFindings } from "../core/findings.js";
import type { Finding } from "../core/types.js";
import { scrubFindings } from "../report/mask.js";

/** What one unit or one shard contributes. */
export type ResultPart = Pick<ScanResult, "findings" | "suppressed" | "summary"> &
  Partial<Pick<ScanResult, "texts" | "secretLines" | "secretValues" | "inputErrorFiles">>;

/** Source texts a unit's part keeps: `findings`, those of files with a finding (for code frames) and every other file's name with an empty text; `none`, only the names. */
export type TextsKept = "findings" | "none";

/** What crosses back from a unit's scan: no more text than the reports need, and the secret lines of those texts. */
export function partOf(r: ScanResult, texts: TextsKept): ResultPart {
  const wanted = new Set(texts === "none" ? [] : r.findings.map((f) => f.file));
  const kept = new Map<string, string>();
  for (const [name, text] of r.texts) kept.set(name, wanted.has(name) ? text : "");
  const secretLines = new Map<string, ReadonlySet<number>>();
  for (const [name, lines] of r.secretLines ?? []) if (wanted.has(name)) secretLines.set(name, lines);
  return {
    // In the merged order already (each unit's thread sorts its own): the merge's sort then only
    // joins sorted runs, which costs about one comparison per finding instead of n log n on one thread.
    findings: [...r.findings].sort(compareFindingsTotal),
    suppressed: [...r.suppressed].sort(compareFindingsTotal),
    summary: r.summary,
    texts: kept,
    secretLines,
    // All of them: a value of one unit's Secret may show in another unit's messages and frames.
    ...(r.secretValues !== undefined ? { secretValues: r.secretValues } : {}),
    ...(r.inputErrorFiles !== undefined ? { inputErrorFiles: r.inputErrorFiles } : {}),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const identity = (f: Finding) =>
  JSON.stringify([f.resource?.kind, f.resource?.namespace, f.resource?.name, f.path, f.container ?? null]);

/**
 * A total order over findings (file, position, rule, then message and object), so results merged
 * from parts arrive in the same order whatever the order of the parts.
 */
export function compareFindingsTotal(a: Finding, b: Finding): number {
  return (
    compareFindings(a, b) ||
    cmp(a.messageId, b.messageId) ||
    cmp(a.message, b.message) ||
    cmp(identity(a), identity(b))
  );
}

export function emptySummary(): ScanSummary {
  return {
    files: 0,
    resources: 0,
    checked: 0,
    skipped: 0,
    findings: 0,
    suppressed: 0,
    inputErrors: 0,
    bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    byCategory: {},
  };
}

export function addSummary(into: ScanSummary, s: ScanSummary): void {
  into.files += s.files;
  into.resources += s.resources;
  into.checked += s.checked;
  into.skipped += s.skipped;
  into.findings += s.findings;
  into.suppressed += s.suppressed;
  if (s.baselined !== undefined) into.baselined = (into.baselined ?? 0) + s.baselined;
  into.inputErrors = (into.inputErrors ?? 0) + (s.inputErrors ?? 0);
  for (const [k, n] of Object.entries(s.bySeverity))
    into.bySeverity[k as keyof ScanSummary["bySeverity"]] += n;
  for (const [k, n] of Object.entries(s.byCategory)) {
    const key = k as keyof ScanSummary["byCategory"];
    into.byCategory[key] = (into.byCategory[key] ?? 0) + n;
  }
}

/** One result from parts; `base` gives what does not add up (rules, config). */
export function mergeParts(
  parts: readonly ResultPart[],
  base: Pick<ScanResult, "rules" | "config" | "configFile">,
): ScanResult {
  const summary = emptySummary();
  const texts = new Map<string, string>();
  const secretLines = new Map<string, Set<number>>();
  const inputErrorFiles = new Set<string>();
  let knowsInputErrors = true;
  const secretValues = new Set<string>();
  for (const p of parts) {
    for (const v of p.secretValues ?? []) secretValues.add(v);
    addSummary(summary, p.summary);
    for (const [k, v] of p.texts ?? []) texts.set(k, v);
    for (const [k, lines] of p.secretLines ?? []) {
      const set = secretLines.get(k) ?? new Set();
      for (const n of lines) set.add(n);
      secretLines.set(k, set);
    }
    if (p.inputErrorFiles === undefined) knowsInputErrors &&= (p.summary.inputErrors ?? 0) === 0;
    for (const f of p.inputErrorFiles ?? []) inputErrorFiles.add(f);
  }
  // A Secret of one unit may hold a value another unit's message quotes: scrub across units too.
  return {
    findings: scrubFindings(
      parts.flatMap((p) => p.findings),
      secretValues,
    ).sort(compareFindingsTotal),
    suppressed: scrubFindings(
      parts.flatMap((p) => p.suppressed),
      secretValues,
    ).sort(compareFindingsTotal),
    summary,
    texts,
    secretLines,
    ...(knowsInputErrors ? { inputErrorFiles: [...inputErrorFiles].sort() } : {}),
    secretValues,
    rules: base.rules,
    config: base.config,
    configFile: base.configFile,
  };
}
