// Effective security settings: a container's securityContext overrides the pod's.
import type { ContainerView } from "../../core/workloads.js";

type Field =
  "runAsNonRoot" | "runAsUser" | "runAsGroup" | "seccompProfile" | "appArmorProfile" | "seLinuxOptions";

/** The value a container runs with, and where it is set ("container", "pod" or undefined). */
export function effective<K extends Field>(
  c: ContainerView,
  field: K,
): {
  value: NonNullable<import("../../core/k8s.js").SecurityContext[K]> | undefined;
  from: "container" | "pod" | undefined;
} {
  // null stands for "unset" in manifests (`runAsUser: ~`), so it does not hide the pod's value.
  const own = (c.container.securityContext as Record<string, unknown> | undefined)?.[field];
  if (own !== undefined && own !== null) return { value: own as never, from: "container" };
  const pod = (c.pod.spec.securityContext as Record<string, unknown> | undefined)?.[field];
  if (pod !== undefined && pod !== null) return { value: pod as never, from: "pod" };
  return { value: undefined, from: undefined };
}
