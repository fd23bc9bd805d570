import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn } from "../../core/workloads.js";
import {
  hpaTargets,
  parseBudget,
  protectedWorkloadsIn,
  replicaRange,
  type Budget,
} from "../lib/disruption.js";
import { namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { podsByNamespace } from "../lib/workload-pods.js";

/** Pods that must stay up out of `pods` (the disruption controller rounds a percentage up). */
function required(budget: Budget, pods: number): number {
  return "count" in budget ? budget.count : Math.ceil((budget.percent * pods) / 100);
}

export default defineRule({
  meta: {
    id: "pdb-blocks-eviction",
    title: "PodDisruptionBudget allows no voluntary eviction",
    category: "reliability",
    severity: "medium",
    description:
      "A PodDisruptionBudget that never allows an eviction blocks every node drain: cluster upgrades, node autoscaler scale-downs and maintenance hang on its pods until someone deletes the budget by hand.",
    remediation:
      "Let the budget allow at least one disruption: lower `minAvailable` below the workload's replica count (and its HPA's `minReplicas`), or set `maxUnavailable` to 1 or more.",
    messages: {
      zeroMaxUnavailable:
        "PodDisruptionBudget `{{name}}` sets `maxUnavailable: {{value}}`, so no pod it covers can ever be evicted.",
      fullMinAvailable:
        "PodDisruptionBudget `{{name}}` sets `minAvailable: {{value}}`, so no pod it covers can ever be evicted.",
      minAvailableReplicas:
        "PodDisruptionBudget `{{name}}` keeps {{required}} pods available, but {{workloads}} run {{replicas}}, so no pod can be evicted.",
      atHpaMinimum:
        "PodDisruptionBudget `{{name}}` keeps {{required}} pods available, but HorizontalPodAutoscaler `{{hpa}}` may scale {{workloads}} down to {{replicas}}, and then no pod can be evicted.",
    },
    kinds: ["PodDisruptionBudget"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-PDB-BLOCKS", "A-PDB-ZERO", "X-PDB-HPA"],
    equivalents: {
      "kube-linter": ["pdb-max-unavailable", "pdb-min-available"],
      polaris: ["pdbDisruptionsIsZero", "pdbMinAvailableGreaterThanHPAMinReplicas"],
    },
    notes:
      "A budget that blocks evictions on purpose (a singleton that must be moved by hand) is better expressed by suppressing this finding with a reason. Replica counts come from the workloads the budget selects in the scan (a workload without `replicas` runs 1; one scaled by an HPA runs between its `minReplicas` and `maxReplicas`); DaemonSets and workloads outside the scan are not counted, and a budget whose pods the scan does not show is judged on its own settings only.",
  },
  create(context) {
    return {
      end(resources) {
        const scope = namespaceScope(resources);
        const hpas = hpaTargets(resources);
        const podsIn = podsByNamespace(scope);
        for (const pdb of resources) {
          if (pdb.ref.kind !== "PodDisruptionBudget") continue;
          const name = pdb.ref.name;
          const maxRaw = getIn(pdb.object, ["spec", "maxUnavailable"]);
          const max = parseBudget(maxRaw);
          if (max !== undefined && ("count" in max ? max.count : max.percent) === 0) {
            context.report({
              resource: pdb,
              path: ["spec", "maxUnavailable"],
              messageId: "zeroMaxUnavailable",
              data: { name, value: String(maxRaw) },
            });
            continue;
          }
          const minRaw = getIn(pdb.object, ["spec", "minAvailable"]);
          const min = parseBudget(minRaw);
          if (min === undefined || max !== undefined) continue;
          if ("percent" in min && min.percent >= 100) {
            context.report({
              resource: pdb,
              path: ["spec", "minAvailable"],
              messageId: "fullMinAvailable",
              data: { name, value: String(minRaw) },
            });
            continue;
          }
          const workloads = protectedWorkloadsIn(pdb, podsIn(namespaceOf(pdb)).pods);
          const ranges = workloads.map((w) => replicaRange(w, hpas));
          if (workloads.length === 0 || ranges.some((r) => r === undefined)) continue;
          const known = ranges.filter((r) => r !== undefined);
          const most = known.reduce((n, r) => n + r.max, 0);
          const least = known.reduce((n, r) => n + r.min, 0);
          const list = workloads.map((w: Resource) => `${w.ref.kind} \`${w.ref.name}\``).join(", ");
          if (required(min, most) >= most) {
            context.report({
              resource: pdb,
              path: ["spec", "minAvailable"],
              messageId: "minAvailableReplicas",
              data: { name, required: required(min, most), workloads: list, replicas: most },
            });
            continue;
          }
          const hpa = known.find((r) => r.hpa !== undefined)?.hpa;
          if (hpa !== undefined && required(min, least) >= least) {
            context.report({
              resource: pdb,
              path: ["spec", "minAvailable"],
              messageId: "atHpaMinimum",
              data: {
                name,
                required: required(min, least),
                hpa: hpa.ref.name,
                workloads: list,
                replicas: least,
              },
            });
          }
        }
      },
    };
  },
});
