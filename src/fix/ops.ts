// Path operations applied to plain values: what a fix must produce, used to check that the text
// edits did exactly that and nothing else. Pure.
import type { Path, PathOp } from "../core/types.js";
import { isRecord } from "../core/workloads.js";

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Deep equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The value at `path`, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === "number") cur = cur[key];
    else if (isRecord(cur) && typeof key === "string") cur = cur[key];
    else return undefined;
  }
  return cur;
}

/**
 * Apply `ops` to a copy of `root`. Returns an error string when an op cannot apply (a parent is a
 * scalar, a list index is out of range). Copy on write: only the mappings and lists on the ops'
 * paths are copied; the result shares every other subtree with `root` (never changed in place).
 */
export function applyOps(root: unknown, ops: readonly PathOp[]): { value: unknown } | { error: string } {
  const own = new Set<unknown>();
  const out = ownCopy(root, own);
  for (const op of ops) {
    const err = applyOp(out, op, own);
    if (err !== undefined) return { error: err };
  }
  return { value: out };
}

/** A shallow copy of a mapping or list made for this application (other values as they are). */
function ownCopy(v: unknown, own: Set<unknown>): unknown {
  if (own.has(v)) return v;
  const copy = Array.isArray(v) ? [...(v as unknown[])] : isRecord(v) ? { ...v } : v;
  if (copy !== v) own.add(copy);
  return copy;
}

function applyOp(root: unknown, op: PathOp, own: Set<unknown>): string | undefined {
  const { path } = op;
  if (path.length === 0) return "an operation cannot replace the whole object";
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    let next: unknown =
      Array.isArray(cur) && typeof key === "number" ? cur[key] : isRecord(cur) ? cur[key] : undefined;
    if (next === undefined || next === null) {
      if (op.op === "remove") return undefined;
      if (!isRecord(cur) || typeof key !== "string")
        return `\`${pathText(path.slice(0, i + 1))}\` does not exist`;
      next = {};
      own.add(next);
      cur[key] = next;
    } else if (Array.isArray(cur) && typeof key === "number") {
      next = ownCopy(next, own);
      cur[key] = next;
    } else if (isRecord(cur)) {
      next = ownCopy(next, own);
      cur[key] = next;
    }
    cur = next;
  }
  const last = path[path.length - 1] as string | number;
  const parentText = pathText(path.slice(0, -1));
  switch (op.op) {
    case "set":
    case "add":
      if (Array.isArray(cur) && typeof last === "number" && op.op === "set") {
        if (last >= cur.length) return `\`${pathText(path)}\` does not exist`;
        cur[last] = clone(op.value);
        return undefined;
      }
      if (!isRecord(cur) || typeof last !== "string") return `\`${parentText}\` is not a mapping`;
      if (op.op === "add" && cur[last] !== undefined && cur[last] !== null) return undefined;
      cur[last] = clone(op.value);
      return undefined;
    case "remove":
      if (Array.isArray(cur) && typeof last === "number") {
        if (last < cur.length) cur.splice(last, 1);
      } else if (isRecord(cur) && typeof last === "string") {
        Reflect.deleteProperty(cur, last);
      }
      return undefined;
    case "append": {
      if (!isRecord(cur) || typeof last !== "string") return `\`${parentText}\` is not a mapping`;
      const list = cur[last];
      if (list === undefined || list === null) {
        cur[last] = [clone(op.value)];
        return undefined;
      }
      if (!Array.isArray(list)) return `\`${pathText(path)}\` is not a list`;
      if (!list.some((x) => deepEqual(x, op.value))) {
        const longer = [...(list as unknown[]), clone(op.value)];
        own.add(longer);
        cur[last] = longer;
      }
      return undefined;
    }
  }
}

/** `spec.containers[0].securityContext` */
export function pathText(path: Path): string {
  let s = "";
  for (const k of path) s += typeof k === "number" ? `[${String(k)}]` : s === "" ? k : `.${k}`;
  return s;
}

/**
 * Paths (in `before` and `after`) whose values differ: the deepest differing keys. Used to check
 * that a fix changed nothing outside its declared paths.
 */
export function changedPaths(before: unknown, after: unknown, at: Path = []): Path[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => changedPaths(before[k], after[k], [...at, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((x, i) => changedPaths(x, after[i], [...at, i]));
  }
  return [at];
}

/** True when `path` is `prefix` or below it. */
export function isUnder(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}
