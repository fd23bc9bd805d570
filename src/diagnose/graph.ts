// The object graph diagnose runs on: objects indexed by kind, namespace, name and uid; events by
// the object they regard; owners and selectors resolved on demand. Pure: no I/O.
import type { KObject } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { compileSelector } from "../netpol/labels.js";
import type { KEvent, ObjRef, ReadProblem } from "./types.js";

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function recs(v: unknown): Record<string, unknown>[] {
  return arr(v).filter(isRecord);
}

export function metaOf(o: KObject): Record<string, unknown> {
  return rec(o["metadata"]);
}
export function nameOf(o: KObject): string {
  return str(metaOf(o)["name"]) ?? "";
}
export function namespaceOf(o: KObject): string | undefined {
  return str(metaOf(o)["namespace"]);
}
export function labelsOf(o: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(metaOf(o)["labels"]))) if (typeof v === "string") out[k] = v;
  return out;
}
export function refOf(o: KObject): ObjRef {
  const ns = namespaceOf(o);
  return { kind: str(o["kind"]) ?? "", ...(ns !== undefined ? { namespace: ns } : {}), name: nameOf(o) };
}
/** kubectl-style reference: `deployment/web -n shop`. */
export function refText(r: ObjRef): string {
  return `${r.kind.toLowerCase()}/${r.name}${r.namespace !== undefined ? ` -n ${r.namespace}` : ""}`;
}
export function refKey(r: ObjRef): string {
  return `${r.kind}/${r.namespace ?? ""}/${r.name}`;
}
export function groupOf(o: KObject): string {
  const api = str(o["apiVersion"]) ?? "";
  return api.includes("/") ? (api.split("/")[0] ?? "") : "";
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  index: number;
}
export function conditionsOf(o: KObject, at: unknown = rec(o["status"])["conditions"]): Condition[] {
  return recs(at).map((c, index) => ({
    type: str(c["type"]) ?? "",
    status: str(c["status"]) ?? "",
    reason: str(c["reason"]) ?? "",
    message: str(c["message"]) ?? "",
    index,
  }));
}
export function conditionOf(o: KObject, type: string): Condition | undefined {
  return conditionsOf(o).find((c) => c.type === type);
}

function normaliseEvent(o: KObject): KEvent | undefined {
  // core/v1 uses involvedObject/message/lastTimestamp; events.k8s.io/v1 regarding/note/eventTime.
  const target = rec(o["involvedObject"] ?? o["regarding"]);
  const kind = str(target["kind"]);
  const name = str(target["name"]);
  if (kind === undefined || name === undefined) return undefined;
  const ns = str(target["namespace"]);
  const uid = str(target["uid"]);
  const fieldPath = str(target["fieldPath"]);
  const series = rec(o["series"]);
  const last =
    str(series["lastObservedTime"]) ??
    str(o["lastTimestamp"]) ??
    str(o["deprecatedLastTimestamp"]) ??
    str(o["eventTime"]) ??
    str(o["firstTimestamp"]) ??
    str(metaOf(o)["creationTimestamp"]) ??
    "";
  return {
    type: str(o["type"]) ?? "Normal",
    reason: str(o["reason"]) ?? "",
    message: (str(o["message"]) ?? str(o["note"]) ?? "").trim(),
    count: num(o["count"]) ?? num(series["count"]) ?? num(o["deprecatedCount"]) ?? 1,
    last,
    regarding: {
      kind,
      name,
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(uid !== undefined ? { uid } : {}),
      ...(fieldPath !== undefined ? { fieldPath } : {}),
    },
  };
}

export class Graph {
  readonly objects: readonly KObject[];
  readonly events: KEvent[] = [];
  readonly unreadable: readonly ReadProblem[];
  private readonly byKind = new Map<string, KObject[]>();
  private readonly byKey = new Map<string, KObject>();
  private readonly byUid = new Map<string, KObject>();
  private readonly eventsByObject = new Map<string, KEvent[]>();
  private readonly childrenByUid = new Map<string, KObject[]>();
  private readonly podsByNamespace = new Map<string, KObject[]>();

  constructor(objects: readonly KObject[], unreadable: readonly ReadProblem[] = []) {
    this.unreadable = unreadable;
    const kept: KObject[] = [];
    for (const o of objects) {
      const kind = str(o["kind"]);
      if (kind === undefined) continue;
      if (kind === "Event") {
        const e = normaliseEvent(o);
        if (e !== undefined) this.addEvent(e);
        continue;
      }
      kept.push(o);
      let list = this.byKind.get(kind);
      if (list === undefined) this.byKind.set(kind, (list = []));
      list.push(o);
      this.byKey.set(refKey(refOf(o)), o);
      const uid = str(metaOf(o)["uid"]);
      if (uid !== undefined) this.byUid.set(uid, o);
      for (const owner of recs(metaOf(o)["ownerReferences"])) {
        const ou = str(owner["uid"]);
        if (ou === undefined) continue;
        let children = this.childrenByUid.get(ou);
        if (children === undefined) this.childrenByUid.set(ou, (children = []));
        children.push(o);
      }
      if (kind === "Pod") {
        const ns = namespaceOf(o) ?? "";
        let pods = this.podsByNamespace.get(ns);
        if (pods === undefined) this.podsByNamespace.set(ns, (pods = []));
        pods.push(o);
      }
    }
    this.objects = kept;
    // Newest first; ties keep input order so output is deterministic.
    for (const list of this.eventsByObject.values())
      list.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
  }

  private addEvent(e: KEvent): void {
    this.events.push(e);
    const key = refKey(e.regarding);
    let list = this.eventsByObject.get(key);
    if (list === undefined) this.eventsByObject.set(key, (list = []));
    list.push(e);
  }

  all(kind: string): readonly KObject[] {
    return this.byKind.get(kind) ?? [];
  }
  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.byKey.get(`${kind}/${namespace ?? ""}/${name}`);
  }
  byUidOf(uid: string): KObject | undefined {
    return this.byUid.get(uid);
  }
  /**
   * True when absence of an object of this kind means it does not exist: the kind was read (live)
   * or the snapshot holds at least one object of it, and no read of it failed.
   */
  knows(kind: string, namespace?: string): boolean {
    if (this.unreadable.some((u) => u.kind === kind)) return false;
    // A run limited to one namespace knows nothing about the others.
    if (namespace !== undefined && this.scopeNamespace !== undefined && namespace !== this.scopeNamespace)
      return false;
    return this.byKind.has(kind) || this.listedKinds.has(kind);
  }
  /** Set when only one namespace was read. */
  scopeNamespace: string | undefined;
  /** Kinds a live lister read successfully (possibly empty lists). */
  readonly listedKinds = new Set<string>();

  eventsFor(o: KObject | ObjRef): readonly KEvent[] {
    const r: ObjRef = "metadata" in o ? refOf(o) : (o as ObjRef);
    return this.eventsByObject.get(refKey(r)) ?? [];
  }
  warnings(o: KObject | ObjRef): KEvent[] {
    return this.eventsFor(o).filter((e) => e.type === "Warning");
  }
  children(o: KObject, kind?: string): KObject[] {
    const uid = str(metaOf(o)["uid"]);
    const list = uid !== undefined ? (this.childrenByUid.get(uid) ?? []) : [];
    return kind === undefined ? list : list.filter((c) => c["kind"] === kind);
  }
  controllerOf(o: KObject): KObject | undefined {
    const owners = recs(metaOf(o)["ownerReferences"]);
    const owner = owners.find((r) => r["controller"] === true) ?? owners[0];
    if (owner === undefined) return undefined;
    const uid = str(owner["uid"]);
    const byUid = uid !== undefined ? this.byUid.get(uid) : undefined;
    if (byUid !== undefined) return byUid;
    const kind = str(owner["kind"]);
    const name = str(owner["name"]);
    return kind !== undefined && name !== undefined ? this.get(kind, namespaceOf(o), name) : undefined;
  }
  /** The outermost controller (Pod → ReplicaSet → Deployment), or the object itself. */
  rootControllerOf(o: KObject): KObject {
    let cur = o;
    for (let i = 0; i < 8; i++) {
      const next = this.controllerOf(cur);
      if (next === undefined) break;
      cur = next;
    }
    return cur;
  }
  pods(namespace: string | undefined): readonly KObject[] {
    return this.podsByNamespace.get(namespace ?? "") ?? [];
  }
  /** Pods of the namespace selected by a LabelSelector, or by a Service's plain map selector. */
  podsSelected(namespace: string | undefined, selector: unknown, plainMap = false): KObject[] {
    const predicate = compileSelector(plainMap ? { matchLabels: selector } : selector);
    return this.pods(namespace).filter((p) => predicate(labelsOf(p)));
  }
}
