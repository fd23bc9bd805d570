import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";
import { namespaceObjects } from "../lib/namespace-objects.js";
import { asLabelSelector, isEmptySelector } from "../lib/selectors.js";
import type { Resource } from "../../core/types.js";
import { isNetworkPolicy } from "../lib/network-policies.js";

/** The directions a NetworkPolicy denies by default for every pod of its namespace. */
function defaultDenies(np: Resource): Set<"Ingress" | "Egress"> {
  const out = new Set<"Ingress" | "Egress">();
  if (!isNetworkPolicy(np)) return out;
  const selector = asLabelSelector(getIn(np.object, ["spec", "podSelector"]));
  if (selector === undefined || !isEmptySelector(selector)) return out;
  const ingress = getIn(np.object, ["spec", "ingress"]);
  const egress = getIn(np.object, ["spec", "egress"]);
  const types = getIn(np.object, ["spec", "policyTypes"]);
  // Without policyTypes, a policy governs Ingress, and Egress when it has egress rules.
  const governs = (t: "Ingress" | "Egress") =>
    Array.isArray(types) ? types.includes(t) : t === "Ingress" || egress !== undefined;
  const empty = (rules: unknown) => !Array.isArray(rules) || rules.length === 0;
  if (governs("Ingress") && empty(ingress)) out.add("Ingress");
  if (governs("Egress") && empty(egress)) out.add("Egress");
  return out;
}

export default defineRule({
  meta: {
    id: "namespace-default-deny-missing",
    title: "Namespace has no default-deny NetworkPolicy",
    category: "network",
    severity: "low",
    description:
      "Pods that no NetworkPolicy selects accept traffic from, and send it to, anything in the cluster. A default-deny policy (`podSelector: {}` with no rules) makes every pod of the namespace closed unless another policy opens it, so a new workload is not open by accident.",
    remediation:
      "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules to the namespace, then allow the traffic each workload needs.",
    messages: {
      missing: "Namespace `{{name}}` has no default-deny NetworkPolicy for {{directions}}.",
    },
    kinds: ["Namespace"],
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    standards: { nsa: ["Network separation and hardening"] },
    concepts: ["X-NS-NO-NP"],
    equivalents: {
      kubescape: ["C-0049", "C-0054", "C-0206"],
      kubeaudit: [
        "netpols/MissingDefaultDenyIngressNetworkPolicy",
        "netpols/MissingDefaultDenyEgressNetworkPolicy",
        "netpols/MissingDefaultDenyIngressAndEgressNetworkPolicy",
      ],
    },
    notes:
      "Off by default: `workload-without-network-policy` already reports each workload that no policy covers. Only Namespace objects in the scan are checked, against the NetworkPolicies of the scan (namespace-less ones count for any namespace); `kube-system`, `kube-public` and `kube-node-lease` are not. Clusters whose isolation comes from a cluster-wide policy (AdminNetworkPolicy, Calico GlobalNetworkPolicy, Cilium clusterwide policies) can disable the rule.",
  },
  create(context) {
    return {
      end(resources) {
        for (const { namespace, members } of namespaceObjects(resources)) {
          if (["kube-system", "kube-public", "kube-node-lease"].includes(namespace.ref.name)) continue;
          const denied = new Set<string>();
          for (const r of members) for (const d of defaultDenies(r)) denied.add(d);
          const missing = ["Ingress", "Egress"].filter((d) => !denied.has(d));
          if (missing.length === 0) continue;
          context.report({
            resource: namespace,
            path: ["metadata", "name"],
            messageId: "missing",
            data: { name: namespace.ref.name, directions: missing.map((d) => d.toLowerCase()).join(" and ") },
          });
        }
      },
    };
  },
});
