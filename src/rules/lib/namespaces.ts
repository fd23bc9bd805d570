// Namespaces as a scan sees them. Objects without metadata.namespace go wherever the scan is
// applied (`kubectl apply -n`, `helm install -n`), so they are taken to share one namespace with
// each other, distinct from every namespace that is named.
import type { Resource } from "../../core/types.js";

/** The key of an object's namespace: its metadata.namespace, or "" for "the namespace it is applied to". */
export function namespaceOf(resource: Resource): string {
  return resource.ref.namespace ?? "";
}

/** The resources of each namespace (by `namespaceOf`), in scan order. */
export function groupByNamespace(resources: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) {
    const ns = namespaceOf(r);
    const list = out.get(ns);
    if (list === undefined) out.set(ns, [r]);
    else list.push(r);
  }
  return out;
}

/** "namespace `prod`" or "its namespace" for the report messages. */
export function describeNamespace(ns: string): string {
  return ns === "" ? "its namespace" : `namespace \`${ns}\``;
}
