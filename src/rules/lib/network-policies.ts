// NetworkPolicy pod selection, as the network plugins apply it: a policy selects the pods of its
// own namespace that match `spec.podSelector`; `{}` (or a missing selector) selects them all.
import type { LabelSelector } from "../../core/k8s.js";
import type { Resource } from "../../core/types.js";
import { getIn } from "../../core/workloads.js";
import { asLabelSelector, matchesSelector } from "./selectors.js";

/** The policy's podSelector; a missing one decodes to the empty selector, which selects every pod. */
export function podSelectorOf(policy: Resource): LabelSelector | undefined {
  const raw = getIn(policy.object, ["spec", "podSelector"]);
  if (raw === undefined || raw === null) return {};
  return asLabelSelector(raw);
}

/** Whether `policy` selects pods carrying `labels` (both in the same namespace). */
export function policySelects(policy: Resource, labels: Readonly<Record<string, string>>): boolean {
  const selector = podSelectorOf(policy);
  return selector !== undefined && matchesSelector(selector, labels);
}

/** A Kubernetes NetworkPolicy (Calico's projectcalico.org NetworkPolicy shares the kind, not the API). */
export function isNetworkPolicy(resource: Resource): boolean {
  return resource.ref.kind === "NetworkPolicy" && resource.ref.apiVersion.startsWith("networking.k8s.io/");
}

const CLUSTER_WIDE_POLICY_KINDS = new Set([
  "CiliumClusterwideNetworkPolicy",
  "GlobalNetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "ClusterNetworkPolicy",
]);

/**
 * Policies of CNI plugins and the policy API (Cilium, Calico, AdminNetworkPolicy) whose selectors
 * kubeward does not evaluate. `clusterWide` ones apply to every namespace.
 */
export function otherPolicyScope(resource: Resource): "namespace" | "clusterWide" | undefined {
  const { kind, apiVersion } = resource.ref;
  if (CLUSTER_WIDE_POLICY_KINDS.has(kind)) return "clusterWide";
  if (kind === "CiliumNetworkPolicy") return "namespace";
  if (kind === "NetworkPolicy" && !apiVersion.startsWith("networking.k8s.io/")) return "namespace";
  return undefined;
}
