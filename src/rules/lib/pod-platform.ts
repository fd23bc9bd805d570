// Pod-wide facts that switch security controls off or relax them.
import { getIn, type PodSpecView } from "../../core/workloads.js";

/**
 * Windows pods (`spec.os.name: windows`, or scheduled only on Windows nodes) ignore Linux-only
 * settings such as capabilities, seccomp, procMount and readOnlyRootFilesystem.
 */
export function isWindowsPod(pod: PodSpecView): boolean {
  const os = getIn(pod.spec, ["os", "name"]);
  if (typeof os === "string") return os === "windows";
  return pod.spec.nodeSelector?.["kubernetes.io/os"] === "windows";
}

/**
 * `hostUsers: false` runs the pod in its own user namespace: UID 0 inside maps to an unprivileged
 * UID on the node, and the Pod Security Standards relax runAsNonRoot, runAsUser and procMount.
 */
export function usesUserNamespace(pod: PodSpecView): boolean {
  return getIn(pod.spec, ["hostUsers"]) === false;
}
