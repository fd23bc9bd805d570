import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";
import { scaleTargetOf } from "../lib/disruption.js";
import { kindIndex, namespaceOf } from "../lib/namespaces.js";

const SCALED_KINDS = ["Deployment", "StatefulSet", "ReplicaSet"];

export default defineRule({
  meta: {
    id: "hpa-target-sets-replicas",
    title: "Workload scaled by an HPA also sets a fixed replica count",
    category: "reliability",
    severity: "medium",
    description:
      "When a HorizontalPodAutoscaler scales a workload, a fixed `spec.replicas` in its manifest resets the replica count on every apply or sync (kubectl, Helm, Argo CD, Flux), scaling a busy workload down until the HPA reacts again.",
    remediation:
      "Remove `spec.replicas` from the workload's manifest and let the HPA's `minReplicas` set the floor.",
    messages: {
      fixed:
        "{{kind}} `{{name}}` sets `replicas: {{replicas}}` but HorizontalPodAutoscaler `{{hpa}}` scales it; every apply resets its replica count.",
    },
    kinds: SCALED_KINDS,
    scope: "cluster",
    fix: "none",
    concepts: ["X-HPA-REPLICAS"],
    equivalents: {
      "kube-score": ["deployment-targeted-by-hpa-does-not-have-replicas-configured"],
      kics: ["5744cbb8-5946-4b75-a196-ade44449525b"],
    },
    notes:
      "Server-side apply with a field manager that does not own `spec.replicas` avoids the reset; so do Argo CD's `ignoreDifferences` on `/spec/replicas` and Helm charts that omit `replicas` when autoscaling is on. The rule pairs the HPA and its target by kind and name in the same namespace (namespace-less objects pair with any).",
  },
  create(context) {
    return {
      end(resources) {
        const kinds = kindIndex(resources);
        for (const hpa of resources) {
          const ref = scaleTargetOf(hpa);
          if (ref === undefined || !SCALED_KINDS.includes(ref.kind)) continue;
          const { kind, name } = ref;
          for (const target of kinds.named(namespaceOf(hpa), kind, name)) {
            const replicas = getIn(target.object, ["spec", "replicas"]);
            if (typeof replicas !== "number") continue;
            context.report({
              resource: target,
              path: ["spec", "replicas"],
              messageId: "fixed",
              data: { kind, name, replicas, hpa: hpa.ref.name },
            });
          }
        }
      },
    };
  },
});
