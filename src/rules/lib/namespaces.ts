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

/** Lookups by kind (and name) over what `namespaceScope` gives, built once for a scan. */
export interface KindIndex {
  /** `scope(ns)` filtered to `kind`, in the same order. */
  ofKind(ns: string, kind: string): readonly Resource[];
  /** `ofKind(ns, kind)` filtered to `name`, in the same order. */
  named(ns: string, kind: string, name: string): readonly Resource[];
}

const NONE: readonly Resource[] = [];

/**
 * A `KindIndex` over `resources`: cross-object rules look objects up through it instead of
 * filtering the scan once per referrer, which made a 50,000-object file quadratic (issue 9 item 4).
 */
export function kindIndex(resources: readonly Resource[]): KindIndex {
  // ns → key → objects, for keys `kind` and `kind\0name`; the "" namespace holds the namespace-less.
  const byNamespace = new Map<string, Map<string, Resource[]>>();
  const all = new Map<string, Resource[]>();
  const add = (map: Map<string, Resource[]>, key: string, r: Resource) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [r]);
    else list.push(r);
  };
  for (const r of resources) {
    const ns = namespaceOf(r);
    let keys = byNamespace.get(ns);
    if (keys === undefined) byNamespace.set(ns, (keys = new Map<string, Resource[]>()));
    for (const key of [r.ref.kind, `${r.ref.kind}\0${r.ref.name}`]) {
      add(keys, key, r);
      add(all, key, r);
    }
  }
  const cache = new Map<string, readonly Resource[]>();
  const lookup = (ns: string, key: string): readonly Resource[] => {
    if (ns === "") return all.get(key) ?? NONE;
    const cacheKey = `${ns}\0${key}`;
    let list = cache.get(cacheKey);
    if (list === undefined) {
      const own = byNamespace.get(ns)?.get(key) ?? NONE;
      const unnamed = byNamespace.get("")?.get(key) ?? NONE;
      list = unnamed.length === 0 ? own : own.length === 0 ? unnamed : [...own, ...unnamed];
      cache.set(cacheKey, list);
    }
    return list;
  };
  return {
    ofKind: (ns, kind) => lookup(ns, kind),
    named: (ns, kind, name) => lookup(ns, `${kind}\0${name}`),
  };
}
