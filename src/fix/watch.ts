// What a run looked at of one object, to answer "would the run see any difference on this other
// object?" without running it again. Pure.
//
// `watch(root)` gives a read-only stand-in for `root` (a Proxy, one per node and path) that records
// every observation made through it: a property read and what it gave, an `in` test, a key listing,
// a property descriptor, a prototype. `seesSame(w, other)` replays those observations on `other`.
// Code that reaches the object only through property access (rules and the engine do: objects are
// plain data they never change) and that is deterministic runs exactly the same way on `other` as
// it ran on the stand-in when every observation reads the same on `other`: every value it got from
// the object is the same (a node is "an object with this prototype, array or not"; what is inside
// is itself observed or was never looked at), so every step it took is the same. Node identity
// agrees too: both objects are trees (`isTree`), and the stand-in has one proxy per path.
// Anything outside that contract spoils the watch (`spoiled`): an attempt to change the object,
// a frozen node; the caller then falls back to running the check.

type Key = string | symbol;

/** What a read saw: an object (its prototype and whether it is an array) or the value itself. */
type Seen = { node: true; proto: object | null; array: boolean } | { node: false; value: unknown };

type Observation =
  | { path: readonly Key[]; trap: "get" | "has"; key: Key; seen: Seen | boolean }
  | { path: readonly Key[]; trap: "keys"; keys: readonly Key[] }
  | { path: readonly Key[]; trap: "desc"; key: Key; desc: DescSeen | undefined }
  | { path: readonly Key[]; trap: "proto"; proto: object | null };

interface DescSeen {
  value: Seen;
  writable: boolean | undefined;
  enumerable: boolean | undefined;
  configurable: boolean | undefined;
  accessor: boolean;
}

export interface Watch<T extends object> {
  /** The stand-in to give to the code being watched. */
  value: T;
  /** The root the stand-in reads. */
  root: T;
  observations: Observation[];
  /** Set when the watched code went outside plain reading (the observations then prove nothing). */
  spoiled: boolean;
}

const isNode = (v: unknown): v is object => typeof v === "object" && v !== null;

function seen(v: unknown): Seen {
  return isNode(v)
    ? { node: true, proto: Reflect.getPrototypeOf(v), array: Array.isArray(v) }
    : { node: false, value: v };
}

function sameSeen(a: Seen, b: Seen): boolean {
  if (a.node || b.node) return a.node && b.node && a.proto === b.proto && a.array === b.array;
  return Object.is(a.value, b.value);
}

function descSeen(d: PropertyDescriptor | undefined): DescSeen | undefined {
  if (d === undefined) return undefined;
  return {
    value: seen(d.value),
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
    accessor: d.get !== undefined || d.set !== undefined,
  };
}

function sameDesc(a: DescSeen | undefined, b: DescSeen | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    sameSeen(a.value, b.value) &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable &&
    a.accessor === b.accessor
  );
}

/** True when no node of `root` is reachable twice (no YAML alias shares it) and none is frozen. */
export function isTree(root: unknown): boolean {
  const met = new Set<object>();
  const visit = (v: unknown): boolean => {
    if (!isNode(v)) return true;
    if (met.has(v) || !Object.isExtensible(v)) return false;
    met.add(v);
    for (const k of Reflect.ownKeys(v)) {
      const d = Reflect.getOwnPropertyDescriptor(v, k);
      if (d?.get !== undefined || d?.set !== undefined) return false;
      if (!visit(d?.value)) return false;
    }
    return true;
  };
  return visit(root);
}

/** A recording, read-only stand-in for `root` (a tree: see `isTree`). */
export function watch<T extends object>(root: T): Watch<T> {
  const w: Watch<T> = { value: root, root, observations: [], spoiled: false };
  const log = w.observations;
  const spoil = () => {
    w.spoiled = true;
    return false;
  };
  const proxyOf = (target: object, path: readonly Key[]): object => {
    const children = new Map<Key, object>();
    const child = (key: Key, v: unknown): unknown => {
      if (!isNode(v)) return v;
      let p = children.get(key);
      if (p === undefined) {
        p = proxyOf(v, [...path, key]);
        children.set(key, p);
      }
      return p;
    };
    return new Proxy(target, {
      get(t, key) {
        const v: unknown = Reflect.get(t, key);
        log.push({ path, trap: "get", key, seen: seen(v) });
        return child(key, v);
      },
      has(t, key) {
        const v = Reflect.has(t, key);
        log.push({ path, trap: "has", key, seen: v });
        return v;
      },
      ownKeys(t) {
        const keys = Reflect.ownKeys(t);
        log.push({ path, trap: "keys", keys: [...keys] });
        return keys;
      },
      getOwnPropertyDescriptor(t, key) {
        const d = Reflect.getOwnPropertyDescriptor(t, key);
        log.push({ path, trap: "desc", key, desc: descSeen(d) });
        // The value handed out is the child's stand-in (the property is configurable: allowed).
        return d !== undefined && d.configurable === true && "value" in d
          ? { ...d, value: child(key, d.value) }
          : d;
      },
      getPrototypeOf(t) {
        const proto = Reflect.getPrototypeOf(t);
        log.push({ path, trap: "proto", proto });
        return proto;
      },
      isExtensible: (t) => {
        w.spoiled = true;
        return Reflect.isExtensible(t);
      },
      preventExtensions: spoil,
      set: spoil,
      defineProperty: spoil,
      deleteProperty: spoil,
      setPrototypeOf: spoil,
    });
  };
  w.value = proxyOf(root, []) as T;
  return w;
}

/** True when every observation of the watch reads the same on `other` as it did on the watched root. */
export function seesSame(w: Watch<object>, other: unknown): boolean {
  if (w.spoiled || !isNode(other) || !sameSeen(seen(w.root), seen(other)) || !isTree(other)) return false;
  const nodes = new Map<readonly Key[], unknown>([[[], other]]);
  const nodeAt = (path: readonly Key[]): object | undefined => {
    let v = nodes.get(path);
    if (v === undefined && !nodes.has(path)) {
      v = other;
      for (const k of path) v = isNode(v) ? (Reflect.get(v, k) as unknown) : undefined;
      nodes.set(path, v);
    }
    return isNode(v) ? v : undefined;
  };
  for (const o of w.observations) {
    const node = nodeAt(o.path);
    if (node === undefined) return false;
    switch (o.trap) {
      case "get":
        if (!sameSeen(o.seen as Seen, seen(Reflect.get(node, o.key)))) return false;
        break;
      case "has":
        if (o.seen !== Reflect.has(node, o.key)) return false;
        break;
      case "keys": {
        const keys = Reflect.ownKeys(node);
        if (keys.length !== o.keys.length || keys.some((k, i) => k !== o.keys[i])) return false;
        break;
      }
      case "desc":
        if (!sameDesc(o.desc, descSeen(Reflect.getOwnPropertyDescriptor(node, o.key)))) return false;
        break;
      case "proto":
        if (Reflect.getPrototypeOf(node) !== o.proto) return false;
        break;
    }
  }
  return true;
}
