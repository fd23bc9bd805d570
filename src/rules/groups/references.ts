// Cross-object and namespace-level rules: references between objects (ServiceAccounts, ConfigMaps,
// Secrets, backends, PodDisruptionBudgets, HPAs) and what a namespace should hold.
import type { AnyRule } from "../../core/rule.js";
import { availabilityRules } from "./availability.js";
import { portAndExposureRules } from "./ports-exposure.js";
import ingressBackendMissing from "../network/ingress-backend-missing.js";
import namespaceDefaultDenyMissing from "../network/namespace-default-deny-missing.js";
import netpolPeerSelectsNothing from "../network/netpol-peer-selects-nothing.js";
import routeBackendMissing from "../network/route-backend-missing.js";
import workloadExposed from "../network/workload-exposed.js";
import namespaceLimitrangeMissing from "../efficiency/namespace-limitrange-missing.js";
import namespaceResourcequotaMissing from "../efficiency/namespace-resourcequota-missing.js";
import workloadTokenAdminRbac from "../rbac/workload-token-admin-rbac.js";
import namespacePodSecurityMissing from "../security/namespace-pod-security-missing.js";
import serviceAccountShared from "../security/service-account-shared.js";
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
  netpolPeerSelectsNothing,
  serviceAccountShared,
  workloadTokenAdminRbac,
  workloadExposed,
  namespaceDefaultDenyMissing,
  namespacePodSecurityMissing,
  namespaceLimitrangeMissing,
  namespaceResourcequotaMissing,
  // Single-object rules written with these, kept in their own groups.
  ...availabilityRules,
  ...portAndExposureRules,
];
