// What part of the cluster a run looks at: a namespace (plus cluster-scoped objects) and a label
// selector in kubectl's string syntax. Applied the same way to snapshots and to live lists, so both
// give the same answer. Pure: no I/O.
import { UsageError } from "../core/errors.js";
import type { KObject } from "../core/types.js";
import { labelsOf, namespaceOf } from "./graph.js";

export interface Scope {
  /** Undefined: all namespaces. */
  namespace?: string;
  selector?: string;
}

type Test = (labels: Record<string, string>) => boolean;

/** Parse `app=web,tier!=db,env in (a,b),!legacy` into a predicate. */
export function parseLabelSelector(text: string): Test {
  const tests: Test[] = [];
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === "") continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part)) !== null) {
      const [, key = "", op, list = ""] = m;
      const values = new Set(list.split(",").map((v) => v.trim()));
      tests.push(
        op === "in"
          ? (l) => l[key] !== undefined && values.has(l[key])
          : (l) => l[key] === undefined || !values.has(l[key]),
      );
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part)) !== null) {
      const [, key = "", op, value = ""] = m;
      tests.push(op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if ((m = /^!([\w./-]+)$/.exec(part)) !== null) {
      const key = m[1] ?? "";
      tests.push((l) => l[key] === undefined);
    } else if (/^[\w./-]+$/.test(part)) {
      tests.push((l) => l[part] !== undefined);
    } else throw new UsageError(`cannot parse label selector "${text}" near "${part}"`);
  }
  return (l) => tests.every((t) => t(l));
}

/** Kinds the label selector does not filter: they are lookups for other objects, not subjects. */
const UNFILTERED = new Set(["Event", "EndpointSlice"]);

export function inScope(objects: readonly KObject[], scope: Scope): KObject[] {
  const test = scope.selector !== undefined ? parseLabelSelector(scope.selector) : undefined;
  return objects.filter((o) => {
    const ns = namespaceOf(o);
    if (scope.namespace !== undefined && ns !== undefined && ns !== scope.namespace) return false;
    if (test !== undefined && !UNFILTERED.has(String(o["kind"])) && !test(labelsOf(o))) return false;
    return true;
  });
}
