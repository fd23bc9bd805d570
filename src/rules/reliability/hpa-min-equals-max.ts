import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "hpa-min-equals-max",
    title: "HorizontalPodAutoscaler cannot scale: minReplicas equals maxReplicas",
    category: "reliability",
    severity: "low",
    description:
      "An autoscaler whose `minReplicas` equals its `maxReplicas` never changes the replica count: the workload cannot grow under load, and the HPA only hides the fixed count from whoever reads the workload's manifest.",
    remediation:
      "Raise `spec.maxReplicas` above `minReplicas`, or remove the HPA and set the workload's `replicas`.",
    messages: {
      fixed:
        "HorizontalPodAutoscaler `{{name}}` has `minReplicas` and `maxReplicas` both {{replicas}}, so it never scales.",
    },
    kinds: ["HorizontalPodAutoscaler"],
    fix: "none",
    concepts: ["A-HPA-MAXMIN"],
    equivalents: { polaris: ["hpaMaxAvailability"] },
    notes: "`minReplicas` defaults to 1, so `maxReplicas: 1` alone is reported too.",
  },
  create(context) {
    return {
      resource(hpa) {
        const min = getIn(hpa.object, ["spec", "minReplicas"]);
        const max = getIn(hpa.object, ["spec", "maxReplicas"]);
        const floor = typeof min === "number" ? min : 1;
        if (typeof max !== "number" || max !== floor) return;
        context.report({
          resource: hpa,
          path: ["spec", "maxReplicas"],
          messageId: "fixed",
          data: { name: hpa.ref.name, replicas: max },
        });
      },
    };
  },
});
