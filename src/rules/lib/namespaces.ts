// Namespaces as a scan sees them. Objects without metadata.namespace go wherever the scan is
// applied (`kubectl apply -n`, `helm install -n`): they share a namespace with each other, and
// since that is usually the one their named siblings spell out (Helm charts often render
// `namespace: {{ .Release.Namespace }}` on some objects only), they may be in any named one too.
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

/**
 * For cross-object lookups: the resources that may share a namespace with an object in `ns`.
 * Those of `ns` itself plus the namespace-less ones; for a namespace-less object, all of them.
 * Erring this way keeps rules from reporting a reference as dangling when it is not.
 */
export function namespaceScope(resources: readonly Resource[]): (ns: string) => readonly Resource[] {
  const groups = groupByNamespace(resources);
  const unnamed = groups.get("") ?? [];
  const cache = new Map<string, readonly Resource[]>();
  return (ns) => {
    if (ns === "") return resources;
    let list = cache.get(ns);
    if (list === undefined) {
      list = [...(groups.get(ns) ?? []), ...unnamed];
      cache.set(ns, list);
    }
    return list;
  };
}

/** "namespace `prod`" or "its namespace" for the report messages. */
export function describeNamespace(ns: string): string {
  return ns === "" ? "its namespace" : `namespace \`${ns}\``;
}
