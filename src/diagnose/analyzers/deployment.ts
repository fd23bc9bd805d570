// Deployments: fewer ready replicas than wanted, traced to their ReplicaSets (FailedCreate, e.g. a
// quota) or pods; a rollout past its progress deadline.
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { conditionOf, num, rec, refOf } from "../graph.js";
import { podCauseKeys, podsOwnedBy } from "./pods-of.js";
import { replicaSetProblems } from "./replicaset.js";

const CHECKS = {
  "deployment-unavailable": { severity: "high", title: "Deployment has fewer ready replicas than desired" },
  "deployment-progress-deadline": {
    severity: "high",
    title: "Deployment rollout exceeded its progress deadline",
  },
} as const satisfies Record<string, Check>;

export const deploymentAnalyzer: Analyzer = {
  name: "deployment",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("Deployment").flatMap((d) => {
      const subject = refOf(d);
      const spec = rec(d["spec"]);
      const status = rec(d["status"]);
      if (spec["paused"] === true) return [];
      const desired = num(spec["replicas"]) ?? 1;
      const ready = num(status["readyReplicas"]) ?? 0;
      const progress = conditionOf(d, "Progressing");
      const deadline = progress?.status === "False" && progress.reason === "ProgressDeadlineExceeded";
      if (ready >= desired && !deadline) return [];
      const evidence = [
        field(subject, "spec.replicas", desired),
        field(subject, "status.readyReplicas", ready),
      ];
      const replicaSets = ctx.graph.children(d, "ReplicaSet");
      const rsKeys = replicaSets.flatMap((rs) => replicaSetProblems(ctx, rs).map((p) => p.key));
      const podKeys = podCauseKeys(ctx, podsOwnedBy(ctx, d));
      const keys = [...new Set([...rsKeys, ...podKeys])].sort();
      const message = `${ready}/${desired} replicas ready`;
      const causes = keys.length > 0 ? { keys, via: [objStep(subject, message)] } : undefined;
      if (deadline) {
        evidence.push(field(subject, `status.conditions[${progress.index}].reason`, progress.reason));
        return [
          problem(
            CHECKS,
            "deployment-progress-deadline",
            subject,
            {
              message: `rollout exceeded its progress deadline (${message}): ${progress.message}`,
              explanation: `The new ReplicaSet did not become available within spec.progressDeadlineSeconds; the rollout is stuck and the old pods keep serving if any remain.`,
              remediation: `Fix what keeps the new pods from becoming ready (see their status and events), or roll back with kubectl rollout undo deployment/${subject.name}.`,
            },
            evidence,
            causes !== undefined ? { causes } : {},
          ),
        ];
      }
      return [
        problem(
          CHECKS,
          "deployment-unavailable",
          subject,
          {
            message,
            explanation: `The Deployment wants ${desired} replicas but only ${ready} are ready, so it serves at reduced capacity${ready === 0 ? " (not at all)" : ""}.`,
            remediation: `Look at the Deployment's ReplicaSets and pods (kubectl describe) to see why pods are missing or not ready.`,
          },
          evidence,
          causes !== undefined ? { causes } : {},
        ),
      ];
    });
  },
};
