// Small helpers so rules report relative to the view they were handed.
import type { ReportDescriptor, RuleContext } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import type { ContainerView, PodSpecView } from "../../core/workloads.js";

type Data = Record<string, string | number>;

/** Report at `at`, a path relative to the container (e.g. ["securityContext", "privileged"]). */
export function reportContainer<M extends string>(
  context: RuleContext<M, never> | RuleContext<M>,
  c: ContainerView,
  at: Path,
  messageId: M,
  data: Data = {},
): void {
  const d: ReportDescriptor<M> = {
    resource: c.resource,
    path: [...c.path, ...at],
    messageId,
    data: { container: c.name, ...data },
    container: c.name,
  };
  context.report(d);
}

/** Report at `at`, a path relative to the pod spec (e.g. ["hostNetwork"]). */
export function reportPod<M extends string>(
  context: RuleContext<M, never> | RuleContext<M>,
  pod: PodSpecView,
  at: Path,
  messageId: M,
  data: Data = {},
): void {
  context.report({ resource: pod.resource, path: [...pod.path, ...at], messageId, data });
}
