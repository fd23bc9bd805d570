import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";
import { describeNamespace, kindIndex, namespaceOf } from "../lib/namespaces.js";

export default defineRule({
  meta: {
    id: "hpa-target-missing",
    title: "HorizontalPodAutoscaler targets a missing object",
    category: "reliability",
    severity: "medium",
    description:
      "An HPA whose scaleTargetRef names no existing object scales nothing: the workload it was meant for stays at its fixed replica count under load, and the HPA only reports FailedGetScale events.",
    remediation:
      "Set the HPA's `spec.scaleTargetRef` kind and name to those of the workload it should scale.",
    messages: {
      notFound:
        "HorizontalPodAutoscaler `{{name}}` scales {{kind}} `{{target}}`, which is not in {{namespace}} ({{kind}}s there: {{others}}).",
      kindNotInScan:
        "HorizontalPodAutoscaler `{{name}}` scales {{kind}} `{{target}}`, but the scan holds no {{kind}} in {{namespace}}; scan it together with its target.",
    },
    kinds: ["HorizontalPodAutoscaler"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-HPA-DANGLING"],
    equivalents: {
      "kube-linter": ["dangling-horizontalpodautoscaler"],
      kubescape: ["C-0300"],
      "kube-score": ["horizontalpodautoscaler-has-target"],
      kics: ["2f652c42-619d-4361-b361-9f599688f8ca"],
    },
    notes:
      "The rule sees only the objects of the scan: scanning an HPA apart from its target (another chart, a workload created by an operator) gives findings the full release would not. An object without `metadata.namespace` is assumed to go to the same namespace as the other namespace-less objects of the scan (as with `kubectl apply -n` or Helm), and, since Helm charts often set the namespace on some objects only, it may pair with objects of any named namespace too. Targets are matched by kind and name; the API group version in `scaleTargetRef.apiVersion` is not compared.",
  },
  create(context) {
    return {
      end(resources) {
        const kinds = kindIndex(resources);
        for (const hpa of resources) {
          if (hpa.ref.kind !== "HorizontalPodAutoscaler") continue;
          const ns = namespaceOf(hpa);
          const kind = getIn(hpa.object, ["spec", "scaleTargetRef", "kind"]);
          const target = getIn(hpa.object, ["spec", "scaleTargetRef", "name"]);
          if (typeof kind !== "string" || typeof target !== "string") continue;
          if (kinds.named(ns, kind, target).length > 0) continue;
          const sameKind = kinds.ofKind(ns, kind);
          context.report({
            resource: hpa,
            path: ["spec", "scaleTargetRef", "name"],
            messageId: sameKind.length === 0 ? "kindNotInScan" : "notFound",
            data: {
              name: hpa.ref.name,
              kind,
              target,
              namespace: describeNamespace(ns),
              others: sameKind.map((r) => `\`${r.ref.name}\``).join(", "),
            },
          });
        }
      },
    };
  },
});
