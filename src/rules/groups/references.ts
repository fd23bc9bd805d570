// Cross-object and namespace-level rules: references between objects (ServiceAccounts, ConfigMaps,
// Secrets, backends, PodDisruptionBudgets, HPAs) and what a namespace should hold.
import type { AnyRule } from "../../core/rule.js";
import ingressBackendMissing from "../network/ingress-backend-missing.js";
import routeBackendMissing from "../network/route-backend-missing.js";
import hpaTargetSetsReplicas from "../reliability/hpa-target-sets-replicas.js";
import pdbBlocksEviction from "../reliability/pdb-blocks-eviction.js";
import pdbMissing from "../reliability/pdb-missing.js";
import pdbPolicyMissing from "../reliability/pdb-policy-missing.js";
import pdbUnhealthyEvictionPolicy from "../reliability/pdb-unhealthy-eviction-policy.js";
import podReferenceMissing from "../reliability/pod-reference-missing.js";
import serviceAccountMissing from "../reliability/service-account-missing.js";
import servicemonitorSelectsNothing from "../reliability/servicemonitor-selects-nothing.js";
import statefulsetServiceMissing from "../reliability/statefulset-service-missing.js";

export const referenceRules: readonly AnyRule[] = [
  serviceAccountMissing,
  podReferenceMissing,
  ingressBackendMissing,
  routeBackendMissing,
  servicemonitorSelectsNothing,
  hpaTargetSetsReplicas,
  statefulsetServiceMissing,
  pdbBlocksEviction,
  pdbPolicyMissing,
  pdbUnhealthyEvictionPolicy,
  pdbMissing,
];
