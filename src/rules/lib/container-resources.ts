// Resource requests and limits as Kubernetes fills them in: a missing request defaults to the
// limit, a pod-level `resources` (PodLevelResources) bounds every container, and a LimitRange in
// the same namespace supplies defaults at admission. The four *-missing rules share this.
import type { Rule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn, isRecord, type ContainerView } from "../../core/workloads.js";
import type { FixDefaultKey } from "../../core/config.js";
import { reportContainer, setFix, type FixOffer } from "./report.js";

export type ResourceName = "cpu" | "memory";
export type ResourceField = "limits" | "requests";

function isSet(v: unknown): boolean {
  return (typeof v === "string" && v.trim() !== "") || typeof v === "number";
}

/** The container's own value for `field.resource`, counting a request defaulted from the limit. */
function containerHas(c: ContainerView, field: ResourceField, resource: ResourceName): boolean {
  const res = c.container.resources;
  if (isSet(res?.[field]?.[resource])) return true;
  return field === "requests" && isSet(res?.limits?.[resource]);
}

/** Pod-level resources (spec.resources) set the pod's budget that containers share. */
function podHas(c: ContainerView, field: ResourceField, resource: ResourceName): boolean {
  const pod = getIn(c.pod.spec, ["resources"]);
  if (isSet(getIn(pod, [field, resource]))) return true;
  return field === "requests" && isSet(getIn(pod, ["limits", resource]));
}

/**
 * Namespaces in which a LimitRange (type Container) among the scanned objects gives containers a
 * default for `field.resource`. The API server's defaulting fills `default` from `max`, and
 * `defaultRequest` from `default`, then from `min`. `undefined` stands for "no namespace set".
 */
export function namespacesWithDefault(
  resources: readonly Resource[],
  field: ResourceField,
  resource: ResourceName,
): Set<string | undefined> {
  const keys = field === "limits" ? ["default", "max"] : ["defaultRequest", "default", "max", "min"];
  const out = new Set<string | undefined>();
  for (const r of resources) {
    if (r.ref.kind !== "LimitRange") continue;
    const items = getIn(r.object, ["spec", "limits"]);
    if (!Array.isArray(items)) continue;
    for (const item of items as unknown[]) {
      if (!isRecord(item) || item["type"] !== "Container") continue;
      if (keys.some((k) => isSet(getIn(item, [k, resource])))) out.add(r.ref.namespace);
    }
  }
  return out;
}

/**
 * The `create` of the cpu/memory × limit/request rules. Init containers count (their requests and
 * limits enter the pod's effective values); ephemeral containers cannot set resources.
 */
export function resourceRuleCreate<M extends string>(
  field: ResourceField,
  resource: ResourceName,
  messageId: M,
): Rule<M>["create"] {
  return (context) => {
    let defaulted: Set<string | undefined> | undefined;
    return {
      container(c) {
        if (c.kind === "ephemeralContainer") return;
        if (containerHas(c, field, resource) || podHas(c, field, resource)) return;
        defaulted ??= namespacesWithDefault(context.resources, field, resource);
        if (defaulted.has(c.resource.ref.namespace)) return;
        // The path of the missing value itself: the engine points at its deepest existing parent
        // (limits/requests, resources, or the container), and Helm input can name the values key
        // the template exposes for it.
        reportContainer(
          context,
          c,
          ["resources", field, resource],
          messageId,
          {},
          resourceFix(c, field, resource, context.fixDefaults),
        );
      },
    };
  };
}

/**
 * A value from something real: a missing limit takes the container's own request; otherwise the
 * user's `fix.defaults`. Never a made-up size.
 */
function resourceFix(
  c: ContainerView,
  field: ResourceField,
  resource: ResourceName,
  defaults: Readonly<Partial<Record<FixDefaultKey, string | number>>>,
): FixOffer {
  const path = ["resources", field, resource];
  const request: unknown = c.container.resources?.requests?.[resource];
  if (field === "limits" && isSet(request)) {
    const value = request as string | number;
    return setFix(
      path,
      value,
      `Set resources.limits.${resource}: ${String(value)} on container ${c.name} (its own request).`,
    );
  }
  const key: FixDefaultKey = `${resource}${field === "limits" ? "Limit" : "Request"}`;
  const fallback = defaults[key];
  if (fallback !== undefined) {
    return setFix(
      path,
      fallback,
      `Set resources.${field}.${resource}: ${String(fallback)} on container ${c.name} (fix.defaults.${key}).`,
    );
  }
  return {
    noFix: `no ${resource} ${field === "limits" ? "request to use as the limit" : "value"} is known for this container; set fix.defaults.${key} in .kubeward.yaml`,
  };
}
