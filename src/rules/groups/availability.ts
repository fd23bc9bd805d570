// Single-object rules about how workloads run and recover: restart policies, Job cleanup,
// scheduling constraints, priorities and autoscaler bounds.
import type { AnyRule } from "../../core/rule.js";
import jobTtlAfterFinished from "../efficiency/job-ttl-after-finished.js";
import cronjobDeadlineMissing from "../reliability/cronjob-deadline-missing.js";
import dnsConfigOptionsMissing from "../reliability/dns-config-options-missing.js";
import hpaMinEqualsMax from "../reliability/hpa-min-equals-max.js";
import nodeAffinityMissing from "../reliability/node-affinity-missing.js";
import priorityClassNotSet from "../reliability/priority-class-not-set.js";
import restartPolicyInvalid from "../reliability/restart-policy-invalid.js";
import statefulsetClaimSharedAccess from "../reliability/statefulset-claim-shared-access.js";
import topologySpreadMissing from "../reliability/topology-spread-missing.js";

export const availabilityRules: readonly AnyRule[] = [
  restartPolicyInvalid,
  hpaMinEqualsMax,
  cronjobDeadlineMissing,
  jobTtlAfterFinished,
  priorityClassNotSet,
  topologySpreadMissing,
  nodeAffinityMissing,
  dnsConfigOptionsMissing,
  statefulsetClaimSharedAccess,
];
