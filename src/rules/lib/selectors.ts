// Label selectors as the API server evaluates them (apimachinery's LabelSelectorAsSelector):
// every matchLabels pair and every matchExpressions requirement must hold.
import type { LabelSelector, LabelSelectorRequirement } from "../../core/k8s.js";
import { isRecord } from "../../core/workloads.js";

export const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

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
