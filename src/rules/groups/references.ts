// Cross-object and namespace-level rules: references between objects (ServiceAccounts, ConfigMaps,
// Secrets, backends, PodDisruptionBudgets, HPAs) and what a namespace should hold.
import type { AnyRule } from "../../core/rule.js";
import podReferenceMissing from "../reliability/pod-reference-missing.js";
import serviceAccountMissing from "../reliability/service-account-missing.js";

export const referenceRules: readonly AnyRule[] = [serviceAccountMissing, podReferenceMissing];
