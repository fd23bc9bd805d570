import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "pdb-unhealthy-eviction-policy",
    title: "PodDisruptionBudget does not set unhealthyPodEvictionPolicy",
    category: "reliability",
    severity: "low",
    description:
      "With the default policy (`IfHealthyBudget`), pods that are running but not Ready can be evicted only while the budget is met, so a workload stuck in a crash loop can block node drains. `AlwaysAllow` lets them be evicted, which is what a drain needs.",
    remediation: "Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` (or `IfHealthyBudget` on purpose).",
    messages: {
      unset: "PodDisruptionBudget `{{name}}` does not set `unhealthyPodEvictionPolicy`.",
    },
    kinds: ["PodDisruptionBudget"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-PDB-UNHEALTHY"],
    equivalents: { "kube-linter": ["pdb-unhealthy-pod-eviction-policy"] },
    notes:
      "Off by default: the field exists since Kubernetes 1.26 (GA in 1.31), and the default is a reasonable choice for workloads whose unready pods still serve (some databases during recovery).",
  },
  create(context) {
    return {
      resource(pdb) {
        const v = getIn(pdb.object, ["spec", "unhealthyPodEvictionPolicy"]);
        if (typeof v === "string" && v !== "") return;
        context.report({
          resource: pdb,
          path: ["spec", "unhealthyPodEvictionPolicy"],
          messageId: "unset",
          data: { name: pdb.ref.name },
        });
      },
    };
  },
});
