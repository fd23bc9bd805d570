// Label selectors as the API server evaluates them (apimachinery's LabelSelectorAsSelector):
// every matchLabels pair and every matchExpressions requirement must hold.
import type { LabelSelector, LabelSelectorRequirement } from "../../core/k8s.js";
import { isRecord } from "../../core/workloads.js";

export const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

/**
 * Whether the object's `spec.selector` must be set and non-empty: apps/v1 and apps/v1beta2
 * workload controllers (extensions/v1beta1 and apps/v1beta1 defaulted it from the template labels).
 * selector-mismatch reports a missing one; the schema rule leaves that required field to it.
 */
export function requiresSelector(apiVersion: string, kind: string): boolean {
  return (
    (apiVersion === "apps/v1" || apiVersion === "apps/v1beta2") &&
    (kind === "Deployment" || kind === "StatefulSet" || kind === "DaemonSet" || kind === "ReplicaSet")
  );
}

/** Operators are case-sensitive; anything else makes the API server reject the selector. */
export function isKnownOperator(op: string): boolean {
  return (SELECTOR_OPERATORS as readonly string[]).includes(op);
}

/** Whether one matchExpressions requirement holds for `labels`. Unknown operators never hold. */
export function matchesRequirement(
  req: LabelSelectorRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return has && values.includes(labels[req.key] ?? "");
    case "NotIn":
      return !has || !values.includes(labels[req.key] ?? "");
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

/**
 * Whether `selector` selects an object carrying `labels`. An empty selector (`{}`) matches
 * everything, as for a NetworkPolicy podSelector; what a missing (null) selector means depends on
 * the field, so callers decide that before calling.
 */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(labels, key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((req) => matchesRequirement(req, labels));
}

/** A plain `key: value` map (Service, ReplicationController) as a selector. */
export function selectorFromMap(map: Readonly<Record<string, string>>): LabelSelector {
  return { matchLabels: { ...map } };
}

/**
 * Reads a LabelSelector from an unchecked value (fields that `validate.ts` does not cover, such as
 * a Job's or an affinity term's selector). Returns undefined when it is absent or malformed.
 */
export function asLabelSelector(value: unknown): LabelSelector | undefined {
  if (!isRecord(value)) return undefined;
  const out: LabelSelector = {};
  const ml = value["matchLabels"];
  if (ml !== undefined && ml !== null) {
    if (!isRecord(ml)) return undefined;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(ml)) {
      if (typeof v !== "string") return undefined;
      labels[k] = v;
    }
    out.matchLabels = labels;
  }
  const me = value["matchExpressions"];
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) return undefined;
    const reqs: LabelSelectorRequirement[] = [];
    for (const r of me as unknown[]) {
      if (!isRecord(r) || typeof r["key"] !== "string" || typeof r["operator"] !== "string") return undefined;
      const vals = r["values"];
      if (
        vals !== undefined &&
        vals !== null &&
        !(Array.isArray(vals) && vals.every((v) => typeof v === "string"))
      )
        return undefined;
      const req: LabelSelectorRequirement = { key: r["key"], operator: r["operator"] };
      if (Array.isArray(vals)) req.values = vals;
      reqs.push(req);
    }
    out.matchExpressions = reqs;
  }
  return out;
}

/** True for `{}` (or only empty lists/maps): a selector that selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

const NO_ITEMS: readonly never[] = [];
const pairKey = (key: string, value: string) => `${key}\0${value}`;

/**
 * Objects by their labels, to find the ones a selector selects without testing each of them:
 * only the objects carrying the selector's rarest `matchLabels` pair are tested (a selector with
 * none tests them all). Results keep the order the objects were given in.
 */
export class LabelIndex<T> {
  private readonly items: readonly { item: T; labels: Readonly<Record<string, string>> }[];
  private readonly byPair = new Map<string, { item: T; labels: Readonly<Record<string, string>> }[]>();

  constructor(items: readonly T[], labelsOf: (item: T) => Readonly<Record<string, string>>) {
    this.items = items.map((item) => ({ item, labels: labelsOf(item) }));
    for (const entry of this.items) {
      for (const [k, v] of Object.entries(entry.labels)) {
        const key = pairKey(k, v);
        const list = this.byPair.get(key);
        if (list === undefined) this.byPair.set(key, [entry]);
        else list.push(entry);
      }
    }
  }

  get size(): number {
    return this.items.length;
  }

  private candidates(selector: LabelSelector) {
    let best: readonly { item: T; labels: Readonly<Record<string, string>> }[] = this.items;
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
      const list = this.byPair.get(pairKey(k, v)) ?? NO_ITEMS;
      if (list.length < best.length) best = list;
    }
    return best;
  }

  /** The objects `selector` selects, in order. */
  select(selector: LabelSelector): T[] {
    return this.candidates(selector)
      .filter((e) => matchesSelector(selector, e.labels))
      .map((e) => e.item);
  }

  /** Whether `selector` selects any of the objects. */
  some(selector: LabelSelector): boolean {
    return this.candidates(selector).some((e) => matchesSelector(selector, e.labels));
  }
}

/**
 * Objects by their selectors, to find the ones that select given labels without testing each: a
 * selector is filed under one of its `matchLabels` pairs, so only those filed under a pair of the
 * labels are tested (selectors without `matchLabels` always are). Results keep the given order.
 */
export class SelectorIndex<T> {
  private readonly always: { item: T; selector: LabelSelector; at: number }[] = [];
  private readonly byPair = new Map<string, { item: T; selector: LabelSelector; at: number }[]>();

  /** `selectorOf` gives undefined for an object that selects nothing. */
  constructor(items: readonly T[], selectorOf: (item: T) => LabelSelector | undefined) {
    items.forEach((item, at) => {
      const selector = selectorOf(item);
      if (selector === undefined) return;
      const first = Object.entries(selector.matchLabels ?? {})[0];
      const entry = { item, selector, at };
      if (first === undefined) {
        this.always.push(entry);
        return;
      }
      const key = pairKey(first[0], first[1]);
      const list = this.byPair.get(key);
      if (list === undefined) this.byPair.set(key, [entry]);
      else list.push(entry);
    });
  }

  /** The objects whose selector selects `labels`, in order. */
  selecting(labels: Readonly<Record<string, string>>): T[] {
    const found = this.always.filter((e) => matchesSelector(e.selector, labels));
    for (const [k, v] of Object.entries(labels)) {
      for (const e of this.byPair.get(pairKey(k, v)) ?? NO_ITEMS) {
        if (matchesSelector(e.selector, labels)) found.push(e);
      }
    }
    if (found.length > 1) found.sort((a, b) => a.at - b.at);
    return found.map((e) => e.item);
  }
}
