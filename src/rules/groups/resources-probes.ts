// Resources, probes, replicas, rollout and scheduling rules.
import type { AnyRule } from "../../core/rule.js";
import cpuLimitMissing from "../efficiency/cpu-limit-missing.js";
import cpuRequestMissing from "../efficiency/cpu-request-missing.js";
import memoryLimitMissing from "../efficiency/memory-limit-missing.js";
import memoryRequestMissing from "../efficiency/memory-request-missing.js";
import duplicateEnvVar from "../reliability/duplicate-env-var.js";
import hpaMinReplicas from "../reliability/hpa-min-replicas.js";
import livenessProbeMissing from "../reliability/liveness-probe-missing.js";
import noAntiAffinity from "../reliability/no-anti-affinity.js";
import noRollingUpdate from "../reliability/no-rolling-update.js";
import readinessProbeMissing from "../reliability/readiness-probe-missing.js";
import selectorMismatch from "../reliability/selector-mismatch.js";
import tooFewReplicas from "../reliability/too-few-replicas.js";

export const resourceAndProbeRules: readonly AnyRule[] = [
  cpuLimitMissing,
  memoryLimitMissing,
  cpuRequestMissing,
  memoryRequestMissing,
  readinessProbeMissing,
  livenessProbeMissing,
  duplicateEnvVar,
  hpaMinReplicas,
  noRollingUpdate,
  noAntiAffinity,
  selectorMismatch,
  tooFewReplicas,
];
