// Which ServiceAccount a pod runs as, and the ServiceAccount objects of the scan.
import type { Resource } from "../../core/types.js";
import type { PodSpecView } from "../../core/workloads.js";

/**
 * The ServiceAccount name the API server gives the pod: `serviceAccountName`, else the deprecated
 * `serviceAccount`, else `default` (empty strings count as unset).
 */
export function serviceAccountOf(pod: PodSpecView): {
  name: string;
  from: "serviceAccountName" | "serviceAccount" | undefined;
} {
  const { serviceAccountName, serviceAccount } = pod.spec;
  if (typeof serviceAccountName === "string" && serviceAccountName !== "")
    return { name: serviceAccountName, from: "serviceAccountName" };
  if (typeof serviceAccount === "string" && serviceAccount !== "")
    return { name: serviceAccount, from: "serviceAccount" };
  return { name: "default", from: undefined };
}

/**
 * The ServiceAccount object named `name` that the pod's resource would use, among `resources`.
 * Namespaces match when equal, or when either side leaves it to apply time (unset).
 */
export function findServiceAccount(
  resources: readonly Resource[],
  pod: PodSpecView,
  name: string,
): Resource | undefined {
  const ns = pod.resource.ref.namespace;
  return resources.find(
    (r) =>
      r.ref.kind === "ServiceAccount" &&
      r.ref.name === name &&
      (r.ref.namespace === undefined || ns === undefined || r.ref.namespace === ns),
  );
}
