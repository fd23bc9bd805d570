// Turning what kubectl or the API returns into plain objects for the graph: Lists flattened,
// Secrets reduced to metadata (data, stringData and the last-applied annotation, which holds a copy
// of them, are dropped on arrival), managedFields dropped. Pure: no I/O.
import type { KObject } from "../core/types.js";
import { isRecord } from "../core/workloads.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Keep only what diagnose may see of an object. Never keeps a Secret's values. */
export function sanitise(o: KObject): KObject {
  const meta: Record<string, unknown> = Object.fromEntries(
    Object.entries(isRecord(o["metadata"]) ? o["metadata"] : {}).filter(([k]) => k !== "managedFields"),
  );
  if (o["kind"] === "Secret") {
    if (isRecord(meta["annotations"])) {
      meta["annotations"] = Object.fromEntries(
        Object.entries(meta["annotations"]).filter(([k]) => k !== LAST_APPLIED),
      );
    }
    const out: KObject = { apiVersion: o["apiVersion"] ?? "v1", kind: "Secret", metadata: meta };
    if (typeof o["type"] === "string") out["type"] = o["type"];
    return out;
  }
  return { ...o, metadata: meta };
}

/**
 * Flatten a parsed document: a `List` or `<Kind>List` gives its items (taking the kind from the
 * list when items omit it, as raw API lists do); anything with a kind is one object.
 */
export function flatten(doc: unknown, out: KObject[] = []): KObject[] {
  if (!isRecord(doc)) return out;
  const kind = typeof doc["kind"] === "string" ? doc["kind"] : undefined;
  if (Array.isArray(doc["items"]) && (kind === undefined || kind.endsWith("List"))) {
    const itemKind = kind !== undefined && kind !== "List" ? kind.slice(0, -"List".length) : undefined;
    for (const item of doc["items"]) {
      if (!isRecord(item)) continue;
      if (typeof item["kind"] !== "string" && itemKind !== undefined) {
        flatten({ ...item, kind: itemKind, apiVersion: item["apiVersion"] ?? doc["apiVersion"] }, out);
      } else flatten(item, out);
    }
    return out;
  }
  if (kind !== undefined && isRecord(doc["metadata"])) out.push(sanitise(doc));
  return out;
}
