// Resources, probes, images, replicas, services and other single-object rules.
import type { AnyRule } from "../../core/rule.js";

export const workloadRules: readonly AnyRule[] = [];
