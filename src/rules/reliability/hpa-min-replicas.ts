import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";

const OPTIONS = {
  minReplicas: option.integer("The smallest acceptable replica count.", 2, 1),
};

export default defineRule<"unset" | "tooLow", typeof OPTIONS>({
  meta: {
    id: "hpa-min-replicas",
    title: "HorizontalPodAutoscaler allows a single replica",
    category: "reliability",
    severity: "medium",
    description:
      "An autoscaler whose `minReplicas` is 1 (the default when it is unset) scales the workload down to one pod when traffic is low, so a node drain, an eviction or a crash then takes the service down.",
    remediation: "Set `spec.minReplicas` of the HorizontalPodAutoscaler to 2 or more.",
    messages: {
      unset:
        "`minReplicas` is not set, so the autoscaler may scale down to 1 replica (at least {{min}} expected).",
      tooLow: "`minReplicas` is {{value}}; at least {{min}} replicas keep the workload available.",
    },
    kinds: ["HorizontalPodAutoscaler"],
    fix: "unsafe",
    concepts: ["A-HPA-MIN"],
    equivalents: {
      "kube-linter": ["hpa-minimum-three-replicas"],
      polaris: ["hpaMinAvailability"],
      "kube-score": ["horizontalpodautoscaler-replicas"],
    },
    notes:
      "Workloads that may be unavailable for a while (batch consumers, development environments, scale-to-zero with the HPAScaleToZero feature) can keep a lower minimum; set the `minReplicas` option (default 2) to change the threshold.",
  },
  options: OPTIONS,
  create(context) {
    const min = context.options.minReplicas;
    return {
      resource(r) {
        const spec = r.object["spec"];
        if (!isRecord(spec)) return;
        const value = getIn(spec, ["minReplicas"]);
        if (value === undefined || value === null) {
          // The API server defaults minReplicas to 1.
          if (min > 1)
            context.report({
              resource: r,
              path: ["spec"],
              messageId: "unset",
              data: { min },
              fix: minFix(min),
            });
          return;
        }
        if (typeof value === "number" && value < min) {
          context.report({
            resource: r,
            path: ["spec", "minReplicas"],
            messageId: "tooLow",
            data: { value, min },
            fix: minFix(min),
          });
        }
      },
    };
  },
});

/** The rule's own minimum (its option) is the value: nothing is invented. */
function minFix(min: number) {
  return {
    description: `Set spec.minReplicas: ${String(min)} (the rule's minReplicas option).`,
    ops: [{ op: "set" as const, path: ["spec", "minReplicas"], value: min }],
  };
}
