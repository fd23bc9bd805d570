// `netpol lint`'s equal-priority check as a scan rule; the logic lives in src/netpol/lint.ts.
import { defineRule } from "../../core/rule.js";
import { lintPriorityOverlap, NETPOL_CHECKS, netpolOfScan } from "../../netpol/lint.js";
import { netpolRuleMeta } from "../lib/netpol-rule.js";

export default defineRule({
  meta: {
    ...NETPOL_CHECKS.priorityOverlap,
    ...netpolRuleMeta(["AdminNetworkPolicy", "ClusterNetworkPolicy"]),
    notes:
      "Only admin-tier policies (AdminNetworkPolicy, ClusterNetworkPolicy with `tier: Admin`) that affect the same direction and both select a pod of the scan are reported, once per pair, on the later one by name; pods outside the scan are not seen, so an overlap that exists only there is missed. Two equal-priority policies that select the same pods but never decide the same connection differently are harmless, yet still reported: the API gives no order between them, so a later edit can make them conflict. Baseline-tier ClusterNetworkPolicies with equal priorities are not compared yet, although `kubeward netpol` treats their disagreements as ambiguous too.",
  },
  create(context) {
    return {
      end(resources) {
        const netpol = netpolOfScan(resources);
        if (netpol === undefined) return;
        for (const r of lintPriorityOverlap(netpol.model, netpol.sim)) context.report(r);
      },
    };
  },
});
