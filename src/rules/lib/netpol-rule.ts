// Metadata shared by the scan rules that run `netpol lint` checks (src/netpol/lint.ts): all are
// cluster-scoped network checks that no peer tool has, with no mechanical fix.
import type { RuleMeta } from "../../core/rule.js";

export const ADMIN_POLICY_KINDS = [
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "ClusterNetworkPolicy",
];
export const ALL_POLICY_KINDS = ["NetworkPolicy", ...ADMIN_POLICY_KINDS];

export function netpolRuleMeta(
  kinds: readonly string[],
): Pick<RuleMeta, "category" | "kinds" | "scope" | "fix" | "concepts" | "equivalents"> {
  return { category: "network", kinds, scope: "cluster", fix: "none", concepts: [], equivalents: {} };
}
