// Label selectors (matchLabels + matchExpressions) compiled once into predicates, and canonical
// keys for label sets so that pods with equal labels share every selector result.
import { isRecord } from "../core/workloads.js";

export type Labels = Readonly<Record<string, string>>;
export type LabelPredicate = (labels: Labels) => boolean;

/** Problems found while compiling a selector (unknown operator, wrong shape). */
export interface SelectorProblem {
  message: string;
}

const matchAll: LabelPredicate = () => true;
const matchNone: LabelPredicate = () => false;

/**
 * Compile a metav1.LabelSelector. An empty selector `{}` matches everything; a selector that is not
 * an object matches nothing (fail closed) and reports a problem.
 */
export function compileSelector(selector: unknown, problems: SelectorProblem[] = []): LabelPredicate {
  if (!isRecord(selector)) {
    problems.push({ message: "label selector is not an object" });
    return matchNone;
  }
  const tests: LabelPredicate[] = [];
  const matchLabels = selector["matchLabels"];
  if (isRecord(matchLabels)) {
    for (const [k, v] of Object.entries(matchLabels)) {
      const value = String(v);
      tests.push((l) => l[k] === value);
    }
  }
  const exprs = selector["matchExpressions"];
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isRecord(e) || typeof e["key"] !== "string") {
        problems.push({ message: "matchExpressions entry without a key" });
        return matchNone;
      }
      const key = e["key"];
      const values = Array.isArray(e["values"]) ? new Set(e["values"].map(String)) : new Set<string>();
      switch (e["operator"]) {
        case "In":
          tests.push((l) => l[key] !== undefined && values.has(l[key]));
          break;
        case "NotIn":
          tests.push((l) => l[key] === undefined || !values.has(l[key]));
          break;
        case "Exists":
          tests.push((l) => l[key] !== undefined);
          break;
        case "DoesNotExist":
          tests.push((l) => l[key] === undefined);
          break;
        default:
          problems.push({ message: `unknown selector operator "${String(e["operator"])}"` });
          return matchNone;
      }
    }
  }
  if (tests.length === 0) return matchAll;
  return (l) => tests.every((t) => t(l));
}

/** True for a selector that selects everything (`{}` or empty lists). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const ml = selector["matchLabels"];
  const me = selector["matchExpressions"];
  return (
    (ml === undefined || ml === null || (isRecord(ml) && Object.keys(ml).length === 0)) &&
    (me === undefined || me === null || (Array.isArray(me) && me.length === 0))
  );
}

/** A canonical string for a label set: equal sets give equal keys. */
export function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join(",");
}

/** Human form of a selector for explanations: `app=web, tier in (a,b)`, or "all". */
export function describeSelector(selector: unknown): string {
  if (!isRecord(selector)) return "nothing";
  const parts: string[] = [];
  const ml = selector["matchLabels"];
  if (isRecord(ml)) for (const [k, v] of Object.entries(ml)) parts.push(`${k}=${String(v)}`);
  const me = selector["matchExpressions"];
  if (Array.isArray(me)) {
    for (const e of me) {
      if (!isRecord(e)) continue;
      const key = String(e["key"]);
      const values = Array.isArray(e["values"]) ? e["values"].map(String).join(",") : "";
      switch (e["operator"]) {
        case "In":
          parts.push(`${key} in (${values})`);
          break;
        case "NotIn":
          parts.push(`${key} notin (${values})`);
          break;
        case "Exists":
          parts.push(key);
          break;
        case "DoesNotExist":
          parts.push(`!${key}`);
          break;
        default:
          parts.push(`${key} ${String(e["operator"])} (${values})`);
      }
    }
  }
  return parts.length === 0 ? "all" : parts.join(", ");
}
