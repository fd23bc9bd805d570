// What an analyzer is, and the helpers they share to build problems. Pure: no I/O.
import type { Severity } from "../core/types.js";
import type { Graph } from "./graph.js";
import { refKey, refText } from "./graph.js";
import type { ChainStep, Evidence, KEvent, ObjRef, Problem } from "./types.js";

/** A check's stable ID and default severity, listed so docs and tests can enumerate them. */
export interface Check {
  severity: Severity;
  title: string;
}

export interface Analyzer {
  /** File name of the analyzer, e.g. "pod". */
  name: string;
  checks: Readonly<Record<string, Check>>;
  analyze(ctx: Context): Problem[];
}

/**
 * Shared state of one run: the graph plus memoised answers that several analyzers need (the
 * problems of a pod, the health of a Service), so cause chains link to the very same problem keys.
 */
export class Context {
  private readonly memo = new Map<string, unknown>();
  constructor(readonly graph: Graph) {}
  memoise<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

export function eventEvidence(object: ObjRef, e: KEvent): Evidence {
  return {
    object,
    event: { type: e.type, reason: e.reason, message: e.message, count: e.count, last: e.last },
  };
}
export function eventStep(e: KEvent): ChainStep {
  return { text: `${e.type} event ${e.reason}${e.count > 1 ? ` (x${e.count})` : ""}: ${e.message}` };
}
export function objStep(object: ObjRef, text: string): ChainStep {
  return { object, text: `${refText(object)}: ${text}` };
}
export function field(object: ObjRef, path: string, value: unknown): Evidence {
  return { object, field: path, value: typeof value === "string" ? value : JSON.stringify(value) };
}

/** Build a problem whose key is the check ID plus the parts that make it one root cause. */
export function problem(
  checks: Readonly<Record<string, Check>>,
  id: string,
  subject: ObjRef,
  text: Pick<Problem, "message" | "explanation" | "remediation">,
  evidence: Evidence[],
  extra: {
    keyParts?: readonly string[];
    steps?: ChainStep[];
    causes?: Problem["causes"];
    severity?: Severity;
  } = {},
): Problem {
  const check = checks[id];
  if (check === undefined) throw new Error(`unknown diagnose check ${id}`);
  return {
    id,
    severity: extra.severity ?? check.severity,
    subject,
    ...text,
    evidence,
    key: [id, ...(extra.keyParts ?? [refKey(subject)])].join("|"),
    ...(extra.steps !== undefined ? { steps: extra.steps } : {}),
    ...(extra.causes !== undefined ? { causes: extra.causes } : {}),
  };
}
