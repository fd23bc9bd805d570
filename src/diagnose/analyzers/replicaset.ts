// ReplicaSets: pods that cannot be created (FailedCreate: quota, admission webhook, PSA), with the
// Warning event that says why.
import type { KObject } from "../../core/types.js";
import {
  type Analyzer,
  type Check,
  type Context,
  eventEvidence,
  eventStep,
  field,
  problem,
} from "../analyzer.js";
import { conditionOf, num, rec, refKey, refOf } from "../graph.js";
import type { Problem } from "../types.js";

const CHECKS = {
  "replicaset-failed-create": { severity: "high", title: "ReplicaSet cannot create pods" },
} as const satisfies Record<string, Check>;

export function replicaSetProblems(ctx: Context, rs: KObject): Problem[] {
  return ctx.memoise(`rs:${refKey(refOf(rs))}`, () => {
    const subject = refOf(rs);
    const failure = conditionOf(rs, "ReplicaFailure");
    const event = ctx.graph.warnings(rs).find((e) => e.reason === "FailedCreate");
    const desired = num(rec(rs["spec"])["replicas"]) ?? 1;
    const current = num(rec(rs["status"])["replicas"]) ?? 0;
    if (failure?.status !== "True" && (event === undefined || current >= desired)) return [];
    const why = event?.message ?? failure?.message ?? "";
    const quota = /exceeded quota|forbidden: exceeded/i.test(why);
    const evidence = [];
    if (failure !== undefined)
      evidence.push(field(subject, `status.conditions[${failure.index}].message`, failure.message));
    if (event !== undefined) evidence.push(eventEvidence(subject, event));
    const owner = refKey(refOf(ctx.graph.rootControllerOf(rs)));
    return [
      problem(
        CHECKS,
        "replicaset-failed-create",
        subject,
        {
          message: `cannot create pods: ${why}`,
          explanation: quota
            ? `The namespace's ResourceQuota has no room for another pod with these requests, so the API server rejects every pod the ReplicaSet creates.`
            : `The API server rejects the pods this ReplicaSet creates (an admission webhook, Pod Security admission, a LimitRange or a missing ServiceAccount).`,
          remediation: quota
            ? `Raise the ResourceQuota (kubectl describe resourcequota -n ${subject.namespace ?? "NS"}), lower the pods' requests, or free quota by removing unused workloads.`
            : `Fix what the rejection message names, then the ReplicaSet retries on its own.`,
        },
        evidence,
        { keyParts: [owner, why], ...(event !== undefined ? { steps: [eventStep(event)] } : {}) },
      ),
    ];
  });
}

export const replicaSetAnalyzer: Analyzer = {
  name: "replicaset",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("ReplicaSet").flatMap((rs) => replicaSetProblems(ctx, rs));
  },
};
