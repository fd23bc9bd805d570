// `netpol lint`'s shadowed-rule check as a scan rule; the logic lives in src/netpol/lint.ts.
import { defineRule } from "../../core/rule.js";
import { lintShadowedRules, NETPOL_CHECKS, netpolOfScan } from "../../netpol/lint.js";
import { ADMIN_POLICY_KINDS, netpolRuleMeta } from "../lib/netpol-rule.js";

export default defineRule({
  meta: {
    ...NETPOL_CHECKS.shadowedRule,
    ...netpolRuleMeta(ADMIN_POLICY_KINDS),
    notes:
      "Shadowing is found by simulating connections: between the pods of the scan (its Pod objects, and one pod for each workload), pods that stand for those the scan does not hold (one that no selector names, and one that each pod or namespace peer of the policy selects, from its matchLabels and each `In` value), the CIDRs and node addresses the policies name, and the ports the policies and pods name. A rule is reported only when some of those connections match it and an earlier rule of the same policy decides every one of them. Selectors built from `NotIn`/`DoesNotExist` are only probed with the labels the scan holds, so a rule can still be reported that matters only for a label set nobody wrote down; scan the policies with the Namespaces (and their labels) they are meant for. A policy that selects no pod of the scan is not checked. NetworkPolicy rules are never reported: they only add allowances, so order does not matter.",
  },
  create(context) {
    return {
      end(resources) {
        const netpol = netpolOfScan(resources);
        if (netpol === undefined) return;
        for (const r of lintShadowedRules(netpol.model, netpol.sim, { openWorld: true })) context.report(r);
      },
    };
  },
});
