// NetworkPolicies whose pod selector matches no pod of their namespace (likely a label typo).
import { type Analyzer, type Check, field, problem } from "../analyzer.js";
import { rec, refOf } from "../graph.js";
import { isEmptySelector } from "../../netpol/labels.js";

const CHECKS = {
  "networkpolicy-selects-nothing": { severity: "low", title: "NetworkPolicy selects no pod" },
} as const satisfies Record<string, Check>;

export const networkPolicyAnalyzer: Analyzer = {
  name: "networkpolicy",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    return g.all("NetworkPolicy").flatMap((np) => {
      const subject = refOf(np);
      const selector = rec(np["spec"])["podSelector"];
      // Only judge namespaces whose pods we have: an empty namespace says nothing about labels.
      if (isEmptySelector(selector) || g.pods(subject.namespace).length === 0) return [];
      if (g.podsSelected(subject.namespace, selector).length > 0) return [];
      return [
        problem(
          CHECKS,
          "networkpolicy-selects-nothing",
          subject,
          {
            message: "podSelector matches no pod in the namespace",
            explanation: `The policy applies to no pod, so it neither isolates nor allows anything; usually its labels do not match the workload's.`,
            remediation: `Make spec.podSelector match the pod labels it is meant for (kubectl get pods --show-labels).`,
          },
          [field(subject, "spec.podSelector", selector)],
        ),
      ];
    });
  },
};
