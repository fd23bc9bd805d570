// Rules that need more than one object (selectors, references, coverage).
import type { AnyRule } from "../../core/rule.js";
import networkPolicyDangling from "../network/network-policy-dangling.js";
import workloadWithoutNetworkPolicy from "../network/workload-without-network-policy.js";
import hpaTargetMissing from "../reliability/hpa-target-missing.js";
import serviceSelectorDangling from "../reliability/service-selector-dangling.js";

export const crossObjectRules: readonly AnyRule[] = [
  serviceSelectorDangling,
  workloadWithoutNetworkPolicy,
  networkPolicyDangling,
  hpaTargetMissing,
];
