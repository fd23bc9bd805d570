// What rules see of an object that is partly invalid: a field of the wrong type is removed (a list
// with an invalid item is emptied, so indexes stay true), and only the findings that touch the
// removed field are dropped: one bad `env` value must not hide a privileged container.
// Copy-on-write: the parsed object is never changed. Pure.
import type { KObject, Path } from "./types.js";
import type { ShapeProblem } from "./validate.js";

/** A field rules must not read; `emptyList` when it is a list with a bad item (kept as `[]`). */
export interface Unreadable {
  field: Path;
  emptyList: boolean;
}

/** The field a problem makes unreadable: the wrong field, or the object missing a required one. */
export function unreadableField(problem: ShapeProblem): Unreadable {
  const parent = problem.messageId === "missingField" || problem.required === true;
  let field: Path = parent ? problem.path.slice(0, -1) : problem.path;
  let emptyList = false;
  while (typeof field[field.length - 1] === "number") {
    field = field.slice(0, -1);
    emptyList = true;
  }
  return { field, emptyList };
}

/**
 * True when a finding at `path` may come from reading the unreadable `field`: it points inside
 * the field, or at the object holding it (where rules report a setting they found missing).
 */
export function touchesField(path: Path, field: Path): boolean {
  if (startsWith(path, field)) return true;
  return path.length === field.length - 1 && startsWith(field, path);
}

function startsWith(path: Path, prefix: Path): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** A copy of `obj` without the given fields (deleted, or emptied for lists with bad items). */
export function withoutFields(obj: KObject, fields: readonly Unreadable[]): KObject {
  const copied = new Set<unknown>();
  const clone = (v: object): Record<string | number, unknown> => {
    const c = (Array.isArray(v) ? [...(v as unknown[])] : { ...v }) as Record<string | number, unknown>;
    copied.add(c);
    return c;
  };
  const root = clone(obj);
  for (const { field, emptyList } of fields) {
    const last = field[field.length - 1];
    if (last === undefined) continue;
    let cur = root;
    let reachable = true;
    for (const key of field.slice(0, -1)) {
      const next = cur[key];
      if (next === null || typeof next !== "object") {
        reachable = false;
        break;
      }
      const c = copied.has(next) ? (next as Record<string | number, unknown>) : clone(next);
      cur[key] = c;
      cur = c;
    }
    if (!reachable || !(last in cur)) continue;
    if (emptyList) cur[last] = [];
    else Reflect.deleteProperty(cur, last);
  }
  return root;
}
