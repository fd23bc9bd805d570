// Rules that need more than one object (selectors, references, coverage).
import type { AnyRule } from "../../core/rule.js";
import networkPolicyDangling from "../network/network-policy-dangling.js";
import netpolAdminSelectsNothing from "../network/netpol-admin-selects-nothing.js";
import netpolBlocksDns from "../network/netpol-blocks-dns.js";
import netpolPriorityOverlap from "../network/netpol-priority-overlap.js";
import netpolShadowedRule from "../network/netpol-shadowed-rule.js";
import netpolUnmatchableRule from "../network/netpol-unmatchable-rule.js";
import workloadWithoutNetworkPolicy from "../network/workload-without-network-policy.js";
import hpaTargetMissing from "../reliability/hpa-target-missing.js";
import serviceSelectorDangling from "../reliability/service-selector-dangling.js";

export const crossObjectRules: readonly AnyRule[] = [
  serviceSelectorDangling,
  workloadWithoutNetworkPolicy,
  networkPolicyDangling,
  hpaTargetMissing,
  netpolShadowedRule,
  netpolPriorityOverlap,
  netpolUnmatchableRule,
  netpolBlocksDns,
  netpolAdminSelectsNothing,
];
