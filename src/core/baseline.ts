// Baselines (issue 13 item 5): findings accepted when adopting kubeward on an existing repository.
// A finding matches a baseline entry by rule, file, resource and the path inside the object, never by
// line, so edits that move lines keep it baselined; each entry absorbs one finding. A finding on a
// live cluster object (`scan --cluster`) has no file: it matches by rule, resource and path. Pure.
import type { Finding } from "./types.js";

export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  /** The file, or "" for a finding on a live cluster object. */
  file: string;
  /** `apiVersion/kind/namespace/name` (namespace empty when none), or "" for findings about a file. */
  resource: string;
  /** The path inside the object, e.g. `spec.template.spec.containers[0].securityContext`. */
  path: string;
}

export interface Baseline {
  kubeward: "baseline";
  schemaVersion: number;
  findings: BaselineEntry[];
}

export function formatPath(path: Finding["path"]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

export function baselineEntry(f: Finding): BaselineEntry {
  const r = f.resource;
  return {
    ruleId: f.ruleId,
    file: f.source === "cluster" ? "" : f.file,
    resource: r === undefined ? "" : `${r.apiVersion}/${r.kind}/${r.namespace ?? ""}/${r.name}`,
    path: formatPath(f.path),
  };
}

const keyOf = (e: BaselineEntry) => JSON.stringify([e.ruleId, e.file, e.resource, e.path]);

export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings.map(baselineEntry);
  entries.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { kubeward: "baseline", schemaVersion: BASELINE_SCHEMA_VERSION, findings: entries };
}

/** Splits findings into those the baseline does not cover and those it does. */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
): { kept: Finding[]; baselined: Finding[] } {
  const left = new Map<string, number>();
  for (const e of baseline.findings) left.set(keyOf(e), (left.get(keyOf(e)) ?? 0) + 1);
  const kept: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) {
    const k = keyOf(baselineEntry(f));
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      baselined.push(f);
    } else kept.push(f);
  }
  return { kept, baselined };
}

/** Validates parsed JSON as a baseline; returns an error message when it is not one. */
export function checkBaseline(value: unknown): Baseline | string {
  if (typeof value !== "object" || value === null) return "not a JSON object";
  const v = value as Partial<Baseline>;
  if (v.kubeward !== "baseline") return 'not a kubeward baseline (no "kubeward": "baseline")';
  if (v.schemaVersion !== BASELINE_SCHEMA_VERSION)
    return `unsupported baseline schemaVersion ${String(v.schemaVersion)} (expected ${BASELINE_SCHEMA_VERSION})`;
  if (!Array.isArray(v.findings)) return '"findings" must be a list';
  for (const [i, e] of (v.findings as unknown[]).entries()) {
    const ok =
      typeof e === "object" &&
      e !== null &&
      ["ruleId", "file", "resource", "path"].every(
        (k) => typeof (e as Record<string, unknown>)[k] === "string",
      );
    if (!ok) return `findings[${i}] needs string ruleId, file, resource and path`;
  }
  return v as Baseline;
}
