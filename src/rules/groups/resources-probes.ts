// Resources, probes, replicas, rollout and scheduling rules.
import type { AnyRule } from "../../core/rule.js";

export const resourceAndProbeRules: readonly AnyRule[] = [];
