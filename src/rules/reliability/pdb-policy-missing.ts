import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "pdb-policy-missing",
    title: "PodDisruptionBudget sets neither or both of minAvailable and maxUnavailable",
    category: "reliability",
    severity: "medium",
    description:
      "A policy/v1 PodDisruptionBudget without `minAvailable` or `maxUnavailable` protects nothing: every eviction is allowed. One that sets both is rejected by the API server.",
    remediation: "Set exactly one of `spec.minAvailable` and `spec.maxUnavailable`.",
    messages: {
      neither:
        "PodDisruptionBudget `{{name}}` sets neither `minAvailable` nor `maxUnavailable`, so it allows every eviction.",
      both: "PodDisruptionBudget `{{name}}` sets both `minAvailable` and `maxUnavailable`; the API server rejects it.",
    },
    kinds: ["PodDisruptionBudget"],
    fix: "none",
    concepts: ["A-PDB-POLICY"],
    equivalents: { "kube-score": ["poddisruptionbudget-has-policy"] },
    notes:
      "policy/v1beta1 budgets without either field are not reported: that version defaulted `minAvailable` to 1.",
  },
  create(context) {
    return {
      resource(pdb) {
        const spec = getIn(pdb.object, ["spec"]);
        const has = (k: string) => isRecord(spec) && spec[k] !== undefined && spec[k] !== null;
        const data = { name: pdb.ref.name };
        if (has("minAvailable") && has("maxUnavailable"))
          context.report({ resource: pdb, path: ["spec", "maxUnavailable"], messageId: "both", data });
        // policy/v1beta1 defaulted minAvailable to 1.
        else if (!has("minAvailable") && !has("maxUnavailable") && pdb.ref.apiVersion !== "policy/v1beta1")
          context.report({ resource: pdb, path: ["spec", "minAvailable"], messageId: "neither", data });
      },
    };
  },
});
