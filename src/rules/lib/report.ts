// Small helpers so rules report relative to the view they were handed.
import type { ReportDescriptor, RuleContext } from "../../core/rule.js";
import type { FixProposal, Path, PathOp, ValuePart } from "../../core/types.js";
import type { ContainerView, PodSpecView } from "../../core/workloads.js";

type Data = Record<string, string | number>;

/**
 * A fix or the reason there is none, with op paths relative to the view the rule reports on
 * (the container, or the pod spec); the helpers make them absolute.
 */
export type FixOffer = { fix: FixProposal } | { noFix: string };

/** Prefix every op path with `base`. */
export function rebaseFix(base: Path, fix: FixProposal): FixProposal {
  return {
    description: fix.description,
    ops: fix.ops.map((op): PathOp => ({ ...op, path: [...base, ...op.path] })),
  };
}

function withOffer<M extends string>(d: ReportDescriptor<M>, base: Path, offer: FixOffer | undefined) {
  if (offer === undefined) return d;
  if ("fix" in offer) d.fix = rebaseFix(base, offer.fix);
  else d.noFix = offer.noFix;
  return d;
}

/** Report at `at`, a path relative to the container (e.g. ["securityContext", "privileged"]). */
export function reportContainer<M extends string>(
  context: RuleContext<M, never> | RuleContext<M>,
  c: ContainerView,
  at: Path,
  messageId: M,
  data: Data = {},
  offer?: FixOffer,
  /** The missing setting (relative to the container) when `at` is a parent of it. */
  field?: Path,
  /** The part of the field's text the finding is about (an image's repository or tag). */
  part?: ValuePart,
): void {
  const d: ReportDescriptor<M> = {
    resource: c.resource,
    path: [...c.path, ...at],
    messageId,
    data: { container: c.name, ...data },
    container: c.name,
  };
  if (field !== undefined) d.field = [...c.path, ...field];
  if (part !== undefined) d.part = part;
  context.report(withOffer(d, c.path, offer));
}

/** Report at `at`, a path relative to the pod spec (e.g. ["hostNetwork"]). */
export function reportPod<M extends string>(
  context: RuleContext<M, never> | RuleContext<M>,
  pod: PodSpecView,
  at: Path,
  messageId: M,
  data: Data = {},
  offer?: FixOffer,
  /** The missing setting (relative to the pod spec) when `at` is a parent of it. */
  field?: Path,
): void {
  const d: ReportDescriptor<M> = { resource: pod.resource, path: [...pod.path, ...at], messageId, data };
  if (field !== undefined) d.field = [...pod.path, ...field];
  context.report(withOffer(d, pod.path, offer));
}

/** A fix that sets one field (relative path) to `value`. */
export function setFix(path: Path, value: unknown, description: string): FixOffer {
  return { fix: { description, ops: [{ op: "set", path, value }] } };
}
