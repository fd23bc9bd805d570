import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { hpaTargets, pdbSelector, replicaRange } from "../lib/disruption.js";
import { kindIndex, namespaceOf } from "../lib/namespaces.js";
import { SelectorIndex } from "../lib/selectors.js";
import { workloadPods } from "../lib/workload-pods.js";

const KINDS = ["Deployment", "StatefulSet"];

export default defineRule({
  meta: {
    id: "pdb-missing",
    title: "Replicated workload has no PodDisruptionBudget",
    category: "reliability",
    severity: "low",
    description:
      "Without a PodDisruptionBudget, a node drain (cluster upgrade, autoscaler scale-down) may evict every replica of a workload at once, taking it down even though it runs several pods.",
    remediation:
      "Add a PodDisruptionBudget whose selector matches the workload's pods, with `maxUnavailable: 1` or a `minAvailable` below its replica count.",
    messages: {
      missing:
        "{{kind}} `{{name}}` runs up to {{replicas}} replicas but no PodDisruptionBudget selects its pods.",
    },
    kinds: KINDS,
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    concepts: ["X-PDB-MISSING"],
    equivalents: {
      polaris: ["missingPodDisruptionBudget"],
      "kube-score": ["statefulset-has-poddisruptionbudget", "deployment-has-poddisruptionbudget"],
      kics: ["b23e9b98-0cb6-4fc9-b257-1f3270442678", "1db3a5a5-bf75-44e5-9e44-c56cfc8b1ac5"],
    },
    notes:
      "Off by default: budgets are often kept apart from the workloads (a platform repository, a policy engine that generates them), which the scan does not see. Workloads that run a single replica are not reported: a budget cannot keep one pod up through a drain without blocking it.",
  },
  create(context) {
    return {
      end(resources) {
        const kinds = kindIndex(resources);
        const hpas = hpaTargets(resources);
        // Per namespace, the PDBs that may apply there, indexed by selector (computed once).
        const pdbsByNamespace = new Map<string, SelectorIndex<Resource>>();
        for (const w of resources) {
          if (!KINDS.includes(w.ref.kind)) continue;
          const range = replicaRange(w, hpas);
          if (range === undefined || range.max < 2) continue;
          const ns = namespaceOf(w);
          let pdbs = pdbsByNamespace.get(ns);
          if (pdbs === undefined) {
            pdbs = new SelectorIndex(kinds.ofKind(ns, "PodDisruptionBudget"), pdbSelector);
            pdbsByNamespace.set(ns, pdbs);
          }
          const pods = workloadPods(w);
          if (pods !== undefined && pdbs.selecting(pods.labels).length > 0) continue;
          context.report({
            resource: w,
            path: ["spec", "selector"],
            messageId: "missing",
            data: { kind: w.ref.kind, name: w.ref.name, replicas: range.max },
          });
        }
      },
    };
  },
});
