// Which pods are expected to keep serving (and so need probes, replicas, spreading): the pods of
// controllers that restart them forever, and bare Pods whose restartPolicy is Always.
import type { PodSpecView } from "../../core/workloads.js";

const SERVICE_KINDS: ReadonlySet<string> = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "DeploymentConfig",
]);

/** False for Jobs, CronJobs, PodTemplates and run-to-completion Pods (restartPolicy Never/OnFailure). */
export function isLongRunningWorkload(pod: PodSpecView): boolean {
  const kind = pod.resource.ref.kind;
  if (SERVICE_KINDS.has(kind)) return true;
  if (kind !== "Pod") return false;
  const policy = pod.spec.restartPolicy;
  return policy === undefined || policy === "Always";
}
