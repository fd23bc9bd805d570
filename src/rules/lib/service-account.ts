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

/** ServiceAccounts of each resource list, by name: built once per scan, so lookups stay linear overall. */
const accountsByList = new WeakMap<readonly Resource[], Map<string, Resource[]>>();

function accountsOf(resources: readonly Resource[]): Map<string, Resource[]> {
  let byName = accountsByList.get(resources);
  if (byName === undefined) {
    byName = new Map();
    for (const r of resources) {
      if (r.ref.kind !== "ServiceAccount") continue;
      const list = byName.get(r.ref.name);
      if (list === undefined) byName.set(r.ref.name, [r]);
      else list.push(r);
    }
    accountsByList.set(resources, byName);
  }
  return byName;
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
  return accountsOf(resources)
    .get(name)
    ?.find((r) => r.ref.namespace === undefined || ns === undefined || r.ref.namespace === ns);
}
