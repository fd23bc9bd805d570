import { defineRule } from "../../core/rule.js";
import { describeNamespace, namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { isNetworkPolicy, podSelectorOf } from "../lib/network-policies.js";
import { isEmptySelector } from "../lib/selectors.js";
import { podsByNamespace } from "../lib/workload-pods.js";

export default defineRule({
  meta: {
    id: "network-policy-dangling",
    title: "NetworkPolicy selects no pods",
    category: "network",
    severity: "low",
    description:
      "A NetworkPolicy whose podSelector matches no pod protects nothing: the pods it was written for (often after a label typo or rename) keep accepting all traffic.",
    remediation:
      "Make the NetworkPolicy's `spec.podSelector` match the labels of the pods it should protect.",
    messages: {
      noMatch: "NetworkPolicy `{{name}}` selects no pod of any workload in {{namespace}}.",
      noWorkloads:
        "NetworkPolicy `{{name}}` selects pods, but the scan holds no workload in {{namespace}}; scan it together with the workloads it protects.",
    },
    kinds: ["NetworkPolicy"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-NP-DANGLING"],
    equivalents: {
      "kube-linter": ["dangling-networkpolicy"],
      kubescape: ["C-0299"],
      "kube-score": ["networkpolicy-targets-pod"],
      kics: ["85ab1c5b-014e-4352-b5f8-d7dea3bb4fd3"],
    },
    notes:
      "The rule sees only the objects of the scan: scanning the policies apart from their workloads, or pods created by operators, gives findings the full release would not; a policy is not reported when a `matchLabels` value is the name of a custom resource in the scan, since operators label the pods they create with it. An object without `metadata.namespace` is assumed to go to the same namespace as the other namespace-less objects of the scan (as with `kubectl apply -n` or Helm), and, since Helm charts often set the namespace on some objects only, it may pair with objects of any named namespace too. An empty `podSelector: {}` is never reported: it selects every pod of the namespace, present and future (the usual default-deny policy). Only `networking.k8s.io` NetworkPolicies are checked, not Calico's or Cilium's own kinds.",
  },
  create(context) {
    return {
      end(resources) {
        const scope = namespaceScope(resources);
        // Per namespace, computed once: a scan of many objects stays linear.
        const podsIn = podsByNamespace(scope);
        for (const policy of resources) {
          if (!isNetworkPolicy(policy)) continue;
          const ns = namespaceOf(policy);
          const { pods, crNames } = podsIn(ns);
          const selector = podSelectorOf(policy);
          if (selector === undefined || isEmptySelector(selector)) continue;
          if (pods.some(selector)) continue;
          // Pods an operator makes for a custom resource of the scan carry its name as a label.
          if (Object.values(selector.matchLabels ?? {}).some((v) => crNames.has(v))) continue;
          context.report({
            resource: policy,
            path: ["spec", "podSelector"],
            messageId: pods.size === 0 ? "noWorkloads" : "noMatch",
            data: { name: policy.ref.name, namespace: describeNamespace(ns) },
          });
        }
      },
    };
  },
});
