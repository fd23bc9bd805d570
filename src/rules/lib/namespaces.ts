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
  return groupBy(resources, namespaceOf);
}

/**
 * For cross-object lookups: the resources that may share a namespace with an object in `ns`.
 * Those of `ns` itself plus the namespace-less ones; for a namespace-less object, all of them.
 * Erring this way keeps rules from reporting a reference as dangling when it is not.
 */
export function namespaceScope(resources: readonly Resource[]): (ns: string) => readonly Resource[] {
  let scope = scopes.get(resources);
  if (scope === undefined) scopes.set(resources, (scope = buildScope(resources)));
  return scope;
}

/**
 * Scopes and kind indexes of the arrays asked about: the engine hands every rule's `end` the same
 * array of a run (as netpolOfScan relies on too), so a dozen cross-object rules share one instead of
 * each grouping 50,000 objects again. What they give is read-only.
 */
const scopes = new WeakMap<readonly Resource[], (ns: string) => readonly Resource[]>();
const kindIndexes = new WeakMap<readonly Resource[], KindIndex>();

function buildScope(resources: readonly Resource[]): (ns: string) => readonly Resource[] {
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

function groupBy(list: readonly Resource[], keyOf: (r: Resource) => string): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of list) {
    const key = keyOf(r);
    const group = out.get(key);
    if (group === undefined) out.set(key, [r]);
    else group.push(r);
  }
  return out;
}

/**
 * A `KindIndex` over `resources`: cross-object rules look objects up through it instead of
 * filtering the scan once per referrer, which made a 50,000-object file quadratic (issue 9 item 4).
 */
export function kindIndex(resources: readonly Resource[]): KindIndex {
  let index = kindIndexes.get(resources);
  if (index === undefined) kindIndexes.set(resources, (index = buildKindIndex(resources)));
  return index;
}

function buildKindIndex(resources: readonly Resource[]): KindIndex {
  // One pass by kind; the rest is built on first use, for the kinds rules look up.
  const byKind = groupBy(resources, (r) => r.ref.kind);
  const perKind = new Map<
    string,
    {
      byNamespace: Map<string, Resource[]>;
      byName: Map<string, Resource[]>;
      byNsName: Map<string, Resource[]>;
    }
  >();
  const groupsOf = (kind: string) => {
    let groups = perKind.get(kind);
    if (groups === undefined) {
      const list = byKind.get(kind) ?? NONE;
      groups = {
        byNamespace: groupBy(list, namespaceOf),
        byName: groupBy(list, (r) => r.ref.name),
        // Namespace and name, as "ns\0name" ("" for the namespace-less).
        byNsName: groupBy(list, (r) => `${namespaceOf(r)}\0${r.ref.name}`),
      };
      perKind.set(kind, groups);
    }
    return groups;
  };
  // In `scope(ns)` order: the namespace's own objects, then the namespace-less ones.
  const join = (own: readonly Resource[] | undefined, unnamed: readonly Resource[] | undefined) =>
    unnamed === undefined ? (own ?? NONE) : own === undefined ? unnamed : [...own, ...unnamed];
  const cache = new Map<string, readonly Resource[]>();
  return {
    ofKind: (ns, kind) => {
      if (ns === "") return byKind.get(kind) ?? NONE;
      const key = `${ns}\0${kind}`;
      let list = cache.get(key);
      if (list === undefined) {
        const { byNamespace } = groupsOf(kind);
        list = join(byNamespace.get(ns), byNamespace.get(""));
        cache.set(key, list);
      }
      return list;
    },
    named: (ns, kind, name) => {
      if (!byKind.has(kind)) return NONE;
      const { byName, byNsName } = groupsOf(kind);
      // The namespace-less scope is every object: the name in any namespace, in scan order.
      if (ns === "") return byName.get(name) ?? NONE;
      return join(byNsName.get(`${ns}\0${name}`), byNsName.get(`\0${name}`));
    },
  };
}
