import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { describeNamespace, namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { isNetworkPolicy, otherPolicyScope, podSelectorOf } from "../lib/network-policies.js";
import { SelectorIndex } from "../lib/selectors.js";
import { workloadPodsIn } from "../lib/workload-pods.js";

export default defineRule({
  meta: {
    id: "workload-without-network-policy",
    title: "Workload not selected by any NetworkPolicy",
    category: "network",
    severity: "medium",
    description:
      "Pods that no NetworkPolicy selects accept traffic from, and send it to, every pod in the cluster, so one compromised pod anywhere can reach them directly.",
    remediation:
      "Add a NetworkPolicy that selects the workload's pods (or a default-deny policy with `podSelector: {}` for the namespace) and allows only the traffic it needs.",
    messages: {
      notSelected:
        "{{kind}} `{{name}}`: no NetworkPolicy in {{namespace}} selects its pods, so all traffic to and from them is allowed.",
      noPolicies:
        "{{kind}} `{{name}}`: the scan holds no NetworkPolicy for {{namespace}}, so all traffic to and from its pods is allowed.",
    },
    scope: "cluster",
    fix: "none",
    standards: { cis: ["5.3.2"], nsa: ["Network separation and hardening"] },
    concepts: ["X-POD-NO-NP"],
    equivalents: {
      "kube-linter": ["non-isolated-pod"],
      kubescape: ["C-0030", "C-0260"],
      checkov: ["CKV2_K8S_6"],
      polaris: ["missingNetworkPolicy"],
      "kube-score": ["pod-networkpolicy"],
      kics: ["0401f71b-9c1e-4821-ab15-a955caa621be"],
    },
    notes:
      "The rule sees only the objects of the scan: policies applied separately (a platform team's default-deny, a policy chart) are unknown to it, so scanning part of a release can report workloads the full set would cover; suppress it by namespace in `.kubeward.yaml` then. An object without `metadata.namespace` is assumed to go to the same namespace as the other namespace-less objects of the scan (as with `kubectl apply -n` or Helm), and, since Helm charts often set the namespace on some objects only, it may pair with objects of any named namespace too. Pods with `hostNetwork: true` are not reported (NetworkPolicies do not apply to them), and a namespace with CNI-specific policies (CiliumNetworkPolicy, Calico NetworkPolicy) is skipped, as is the whole scan when it holds cluster-wide ones (CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy, AdminNetworkPolicy): their selectors are not evaluated. Which directions a policy restricts (Ingress, Egress) is not checked.",
  },
  create(context) {
    return {
      end(resources) {
        // Pods that CNI-specific or cluster-wide policies may cover are not judged: their selectors
        // are not evaluated here, and a finding could well be wrong.
        if (resources.some((r) => otherPolicyScope(r) === "clusterWide")) return;
        const scope = namespaceScope(resources);
        // Per namespace: its NetworkPolicies (indexed by selector), or undefined when CNI-specific
        // policies may cover it.
        const policiesByNamespace = new Map<
          string,
          { count: number; index: SelectorIndex<Resource> } | undefined
        >();
        const policiesFor = (ns: string) => {
          if (policiesByNamespace.has(ns)) return policiesByNamespace.get(ns);
          const list = scope(ns);
          const found = list.filter(isNetworkPolicy);
          const policies = list.some((r) => otherPolicyScope(r) === "namespace")
            ? undefined
            : { count: found.length, index: new SelectorIndex(found, podSelectorOf) };
          policiesByNamespace.set(ns, policies);
          return policies;
        };
        for (const w of workloadPodsIn(resources)) {
          if (w.hostNetwork) continue;
          const ns = namespaceOf(w.resource);
          const policies = policiesFor(ns);
          if (policies === undefined) continue;
          if (policies.index.selecting(w.labels).length > 0) continue;
          context.report({
            resource: w.resource,
            path: [...w.podMetaPath, "labels"],
            messageId: policies.count === 0 ? "noPolicies" : "notSelected",
            data: {
              kind: w.resource.ref.kind,
              name: w.resource.ref.name,
              namespace: describeNamespace(ns),
            },
          });
        }
      },
    };
  },
});
