// Any other resource (custom resources first of all): a Ready/Available-style condition that is
// False, a Degraded/Stalled-style condition that is True, or a failed status.phase.
import { type Analyzer, type Check, field, problem } from "../analyzer.js";
import { conditionsOf, rec, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";

const CHECKS = {
  "resource-condition-false": { severity: "high", title: "Resource reports a failing status condition" },
  "resource-phase-failed": { severity: "high", title: "Resource reports a failed phase" },
} as const satisfies Record<string, Check>;

/** Kinds with their own analyzer, or whose conditions are not health (Namespace Terminating, Event). */
const HANDLED = new Set([
  "Pod",
  "Deployment",
  "ReplicaSet",
  "DaemonSet",
  "StatefulSet",
  "Job",
  "CronJob",
  "Service",
  "EndpointSlice",
  "Endpoints",
  "Ingress",
  "Node",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
  "GatewayClass",
  "Gateway",
  "HTTPRoute",
  "Namespace",
  "Event",
  "Lease",
]);
const POSITIVE = new Set([
  "Ready",
  "Available",
  "Healthy",
  "Synced",
  "Reconciled",
  "Established",
  "Succeeded",
  "Programmed",
  "Accepted",
]);
const NEGATIVE = new Set(["Degraded", "Stalled", "Failed", "Failure", "Error"]);
const FAILED_PHASES = new Set(["Failed", "Error", "Degraded", "Unhealthy", "CrashLoopBackOff"]);

export const conditionsAnalyzer: Analyzer = {
  name: "conditions",
  checks: CHECKS,
  analyze(ctx) {
    const out: Problem[] = [];
    for (const o of ctx.graph.objects) {
      const kind = str(o["kind"]) ?? "";
      if (HANDLED.has(kind)) continue;
      const subject = refOf(o);
      const bad = conditionsOf(o).find(
        (c) =>
          (POSITIVE.has(c.type) && c.status === "False") || (NEGATIVE.has(c.type) && c.status === "True"),
      );
      if (bad !== undefined) {
        out.push(
          problem(
            CHECKS,
            "resource-condition-false",
            subject,
            {
              message: `${bad.type}=${bad.status}${bad.reason !== "" ? ` (${bad.reason})` : ""}${bad.message !== "" ? `: ${bad.message}` : ""}`,
              explanation: `The ${kind}'s controller reports it ${POSITIVE.has(bad.type) ? `not ${bad.type}` : bad.type}; whatever it manages is not in the state the spec asks for.`,
              remediation: `Read the condition's message and the controller's logs for ${kind}; kubectl describe ${kind.toLowerCase()} ${subject.name} shows its events.`,
            },
            [field(subject, `status.conditions[${bad.index}]`, `${bad.type}=${bad.status} (${bad.reason})`)],
          ),
        );
        continue;
      }
      const phase = str(rec(o["status"])["phase"]);
      if (phase !== undefined && FAILED_PHASES.has(phase)) {
        out.push(
          problem(
            CHECKS,
            "resource-phase-failed",
            subject,
            {
              message: `status.phase is ${phase}${str(rec(o["status"])["message"]) !== undefined ? `: ${str(rec(o["status"])["message"]) ?? ""}` : ""}`,
              explanation: `The ${kind}'s controller reports a failed phase.`,
              remediation: `kubectl describe ${kind.toLowerCase()} ${subject.name} and the controller's logs tell why.`,
            },
            [field(subject, "status.phase", phase)],
          ),
        );
      }
    }
    return out;
  },
};
