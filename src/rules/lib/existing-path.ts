// Where to report a missing setting: the deepest part of its path that the manifest already has.
import type { Path } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";

/**
 * The longest prefix of `path` that exists under `root` (a key written as `key:` with no value
 * counts: that is the line a user edits). `deepestExisting(container, ["securityContext", "x"])`
 * is ["securityContext"] when the container has a securityContext, else [].
 */
export function deepestExisting(root: unknown, path: Path): Path {
  let cur: unknown = root;
  let depth = 0;
  for (const key of path) {
    if (typeof key === "number" ? !Array.isArray(cur) : !isRecord(cur)) break;
    const next = (cur as Record<string | number, unknown>)[key];
    if (next === undefined) break;
    depth++;
    cur = next;
  }
  return path.slice(0, depth);
}
