// PodDisruptionBudgets that allow no disruption (node drains hang on them), traced to unhealthy
// pods when that is why; and budgets that select no pod.
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { num, rec, refOf, refText, str } from "../graph.js";
import type { Problem } from "../types.js";
import { podCauseKeys } from "./pods-of.js";

const CHECKS = {
  "pdb-blocks-eviction": {
    severity: "medium",
    title: "PodDisruptionBudget allows no disruption: drains block",
  },
  "pdb-selects-nothing": { severity: "low", title: "PodDisruptionBudget selects no pod" },
} as const satisfies Record<string, Check>;

export const pdbAnalyzer: Analyzer = {
  name: "pdb",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    return g.all("PodDisruptionBudget").flatMap((pdb) => {
      const subject = refOf(pdb);
      const spec = rec(pdb["spec"]);
      const status = rec(pdb["status"]);
      const pods = g.podsSelected(subject.namespace, spec["selector"]);
      const out: Problem[] = [];
      const expected = num(status["expectedPods"]) ?? (g.knows("Pod") ? pods.length : undefined);
      if (expected === 0 && (pods.length === 0 || !g.knows("Pod"))) {
        out.push(
          problem(
            CHECKS,
            "pdb-selects-nothing",
            subject,
            {
              message: "selects no pod",
              explanation: `The budget protects nothing: its selector matches no pod in namespace ${subject.namespace ?? "default"}.`,
              remediation: `Fix spec.selector to match the workload's pod labels, or delete the budget.`,
            },
            [field(subject, "spec.selector", spec["selector"])],
          ),
        );
        return out;
      }
      const allowed = num(status["disruptionsAllowed"]);
      if (allowed !== 0 || expected === undefined || expected === 0) return out;
      const healthy = num(status["currentHealthy"]) ?? 0;
      const desired = num(status["desiredHealthy"]) ?? 0;
      const budget =
        spec["minAvailable"] !== undefined
          ? `minAvailable ${JSON.stringify(spec["minAvailable"])}`
          : `maxUnavailable ${JSON.stringify(spec["maxUnavailable"] ?? null)}`;
      const evidence = [
        field(
          subject,
          spec["minAvailable"] !== undefined ? "spec.minAvailable" : "spec.maxUnavailable",
          spec["minAvailable"] ?? spec["maxUnavailable"],
        ),
        field(subject, "status.disruptionsAllowed", 0),
        field(subject, "status.currentHealthy", healthy),
        field(subject, "status.desiredHealthy", desired),
      ];
      // Pods on cordoned nodes are the drains this budget is blocking right now.
      const blocked = pods.filter((p) => {
        const node = str(rec(p["spec"])["nodeName"]);
        return node !== undefined && rec(g.get("Node", undefined, node)?.["spec"])["unschedulable"] === true;
      });
      const drainText =
        blocked.length > 0
          ? ` It is blocking the drain of ${blocked.map((p) => `node ${str(rec(p["spec"])["nodeName"]) ?? ""} (${refText(refOf(p))})`).join(", ")}.`
          : "";
      const unhealthy = healthy < desired;
      const keys = unhealthy ? podCauseKeys(ctx, pods) : [];
      const message = `allows 0 disruptions (${budget}, ${healthy}/${expected} pods healthy)`;
      out.push(
        problem(
          CHECKS,
          "pdb-blocks-eviction",
          subject,
          {
            message,
            explanation: unhealthy
              ? `Too few selected pods are healthy to lose one more, so every eviction is refused and kubectl drain waits forever.${drainText}`
              : `The budget requires every selected pod to stay up (${budget} with ${expected} pods), so no pod can ever be evicted and node drains and upgrades hang.${drainText}`,
            remediation: unhealthy
              ? `Make the unhealthy pods healthy first (see below); the budget then allows evictions again.`
              : `Allow at least one disruption: lower minAvailable below the replica count (or use a percentage), set maxUnavailable to 1, or run more replicas.`,
          },
          evidence,
          keys.length > 0 ? { causes: { keys, via: [objStep(subject, message)] } } : {},
        ),
      );
      return out;
    });
  },
};
