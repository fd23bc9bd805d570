// The shapes of `kubeward diagnose`: live or snapshot objects in, findings with evidence and cause
// chains out. Pure: no I/O.
import type { KObject, Severity } from "../core/types.js";

/** A Kubernetes object by kind, namespace and name, as kubectl names it. */
export interface ObjRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** An Event normalised from core/v1 or events.k8s.io/v1. */
export interface KEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ISO time of the last occurrence ("" when the event carries none). */
  last: string;
  regarding: ObjRef & { uid?: string; fieldPath?: string };
}

/** A field the analyzer read (JSON-path-like) and its value, or an event it used. */
export type Evidence =
  | { object: ObjRef; field: string; value: string }
  | { object: ObjRef; event: { type: string; reason: string; message: string; count: number; last: string } };

/** One step of a cause chain, from the symptom down to the root cause. */
export interface ChainStep {
  object?: ObjRef;
  text: string;
}

/** An analyzer's raw result before root causes are merged. */
export interface Problem {
  id: string;
  severity: Severity;
  subject: ObjRef;
  /** One-line statement of what is wrong. */
  message: string;
  explanation: string;
  remediation: string;
  evidence: Evidence[];
  /** Problems with the same key are one root cause (e.g. every pod of a ReplicaSet OOMKilled). */
  key: string;
  /** Steps below the subject (container state, event) that lead to the root cause. */
  steps?: ChainStep[];
  /**
   * Set on symptoms: the keys of the problems that explain them, and the path from this subject to
   * them. A symptom whose cause is found is folded into that cause instead of reported on its own.
   */
  causes?: { keys: string[]; via: ChainStep[] };
}

/** What `diagnose` reports: one root cause with the objects it affects. */
export interface DiagnoseFinding {
  id: string;
  severity: Severity;
  object: ObjRef;
  message: string;
  explanation: string;
  remediation: string;
  evidence: Evidence[];
  /** From the outermost affected object down to the root cause. */
  chain: ChainStep[];
  /** Every object this root cause affects, the subject first. */
  affected: ObjRef[];
  /** What the folded symptoms report (`service/web -n shop: no ready endpoints …`). */
  impact: string[];
}

/** A kind that could not be read (e.g. a 403 on a live cluster), reported rather than fatal. */
export interface ReadProblem {
  kind: string;
  namespace?: string;
  message: string;
}

export interface DiagnoseInput {
  objects: readonly KObject[];
  /** Kinds that could not be read; their analyzers do not conclude "missing" from absence. */
  unreadable?: readonly ReadProblem[];
  /** "snapshot" or "cluster"; for the report header. */
  source?: string;
}

export interface DiagnoseResult {
  findings: DiagnoseFinding[];
  unreadable: ReadProblem[];
  summary: { objects: number; events: number; findings: number; bySeverity: Record<Severity, number> };
}
