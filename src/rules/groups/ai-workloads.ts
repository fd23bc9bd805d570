// AI/GPU workloads: accelerator requests, GPU node taints, DRA claims, and model servers.
import type { AnyRule } from "../../core/rule.js";
import gpuRequestLimitMismatch from "../reliability/gpu-request-limit-mismatch.js";
import gpuTaintNotTolerated from "../reliability/gpu-taint-not-tolerated.js";
import modelCacheUnbounded from "../reliability/model-cache-unbounded.js";
import modelServerShm from "../reliability/model-server-shm.js";
import modelServerStartupProbe from "../reliability/model-server-startup-probe.js";
import resourceClaimMissing from "../reliability/resource-claim-missing.js";

export const aiWorkloadRules: readonly AnyRule[] = [
  gpuRequestLimitMismatch,
  gpuTaintNotTolerated,
  resourceClaimMissing,
  modelServerStartupProbe,
  modelServerShm,
  modelCacheUnbounded,
];
