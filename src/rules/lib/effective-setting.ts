// Reporting a container's effective security setting where it is written: in the container's own
// securityContext, or in the pod's when the container inherits it.
import type { RuleContext } from "../../core/rule.js";
import type { ContainerView } from "../../core/workloads.js";
import { rebaseFix, type FixOffer } from "./report.js";

export type SettingSource = "container" | "pod";

/** How a message names where a setting comes from. */
export function whereText(from: SettingSource): string {
  return from === "container" ? "its securityContext" : "the pod securityContext";
}

/**
 * Report about container `c` at `securityContext.<field...>` of the container or of the pod spec.
 * `data.where` says which, for messages that mention it.
 */
export function reportEffective<M extends string>(
  context: RuleContext<M, never> | RuleContext<M>,
  c: ContainerView,
  from: SettingSource,
  field: readonly string[],
  messageId: M,
  data: Record<string, string | number> = {},
  offer?: FixOffer,
): void {
  const base = from === "container" ? c.path : c.pod.path;
  context.report({
    resource: c.resource,
    path: [...base, "securityContext", ...field],
    messageId,
    data: { container: c.name, where: whereText(from), ...data },
    container: c.name,
    // Fix op paths are relative to the container: a fix writes the container's own setting.
    ...(offer === undefined
      ? {}
      : "fix" in offer
        ? { fix: rebaseFix(c.path, offer.fix) }
        : { noFix: offer.noFix }),
  });
}
