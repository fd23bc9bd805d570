// `netpol lint`'s unmatchable named-port check as a scan rule; the logic lives in src/netpol/lint.ts.
import { defineRule } from "../../core/rule.js";
import { lintUnmatchableRules, NETPOL_CHECKS, netpolOfScan } from "../../netpol/lint.js";
import { ALL_POLICY_KINDS, netpolRuleMeta } from "../lib/netpol-rule.js";

export default defineRule({
  meta: {
    ...NETPOL_CHECKS.unmatchableRule,
    ...netpolRuleMeta(ALL_POLICY_KINDS),
    notes:
      "The destination pods are those of the scan (its Pod objects, and one pod for each workload; ephemeral containers declare no ports): for an ingress rule the pods the policy selects, for an egress rule the pods its peers select. A rule is not judged when no pod of the scan is a destination, nor when its destinations may live in namespaces the scan does not hold (an egress peer with `namespaceSelector: {}`, or an admin policy whose subject selects every namespace), since pods there may declare the port. A NetworkPolicy selects pods of its own namespace only; when other releases put pods with that port into the same namespace, scan them together.",
  },
  create(context) {
    return {
      end(resources) {
        const netpol = netpolOfScan(resources);
        if (netpol === undefined) return;
        for (const r of lintUnmatchableRules(netpol.model, netpol.sim, { openWorld: true }))
          context.report(r);
      },
    };
  },
});
