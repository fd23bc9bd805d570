// Suppression: `kubeward.io/ignore` annotations on an object or its pod template, and
// config exemptions. Expired annotations stop working and say so.
import { wildcardMatch, type Exemption } from "./config.js";
import type { Path, Resource, Suppression } from "./types.js";
import { getIn, isRecord, podSpecOf } from "./workloads.js";

export const IGNORE = "kubeward.io/ignore";
export const IGNORE_REASON = "kubeward.io/ignore-reason";
export const IGNORE_UNTIL = "kubeward.io/ignore-until";

export interface AnnotationSuppression {
  rules: Set<string>;
  all: boolean;
  reason?: string;
  until?: string;
  expired: boolean;
  badDate: boolean;
  /** Path of the `kubeward.io/ignore` annotation, for findings about the suppression itself. */
  path: Path;
}

/** Annotations of the object, then of its pod template (both are honoured). */
export function annotationSuppressions(resource: Resource, today: string): AnnotationSuppression[] {
  const out: AnnotationSuppression[] = [];
  const sites: Path[] = [["metadata", "annotations"]];
  const pod = podSpecOf(resource);
  // A Pod's "pod template" is the Pod itself (podMetaPath is ["metadata"]): read it once, not twice.
  if (pod !== undefined && pod.podMetaPath.join(".") !== "metadata")
    sites.push([...pod.podMetaPath, "annotations"]);
  for (const site of sites) {
    const ann = getIn(resource.object, site);
    if (!isRecord(ann)) continue;
    const ignore = ann[IGNORE];
    if (typeof ignore !== "string") continue;
    const ids = ignore
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const until = ann[IGNORE_UNTIL];
    const reason = ann[IGNORE_REASON];
    const s: AnnotationSuppression = {
      rules: new Set(ids),
      all: ids.includes("*") || ids.includes("all"),
      expired: false,
      badDate: false,
      path: [...site, IGNORE],
    };
    if (typeof reason === "string") s.reason = reason;
    if (typeof until === "string") {
      s.until = until;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until))) s.badDate = true;
      else if (until < today) s.expired = true;
    }
    out.push(s);
  }
  return out;
}

export function suppressionFor(
  ruleIds: readonly string[],
  annotations: readonly AnnotationSuppression[],
): Suppression | undefined {
  for (const a of annotations) {
    if (a.expired || a.badDate) continue;
    if (!a.all && !ruleIds.some((id) => a.rules.has(id))) continue;
    const s: Suppression = { kind: "annotation" };
    if (a.reason !== undefined) s.reason = a.reason;
    if (a.until !== undefined) s.until = a.until;
    return s;
  }
  return undefined;
}

export function exemptionFor(
  ruleIds: readonly string[],
  resource: Resource | undefined,
  container: string | undefined,
  exemptions: readonly Exemption[],
): Suppression | undefined {
  for (const ex of exemptions) {
    if (ex.rules !== undefined && !ruleIds.some((id) => ex.rules?.includes(id) === true)) continue;
    if (
      ex.namespaces !== undefined &&
      !ex.namespaces.some((p) => wildcardMatch(p, resource?.ref.namespace ?? ""))
    )
      continue;
    if (ex.names !== undefined && !ex.names.some((p) => wildcardMatch(p, resource?.ref.name ?? ""))) continue;
    if (ex.kinds !== undefined && !ex.kinds.includes(resource?.ref.kind ?? "")) continue;
    if (
      ex.containers !== undefined &&
      (container === undefined || !ex.containers.some((p) => wildcardMatch(p, container)))
    )
      continue;
    const s: Suppression = { kind: "config" };
    if (ex.reason !== undefined) s.reason = ex.reason;
    return s;
  }
  return undefined;
}
