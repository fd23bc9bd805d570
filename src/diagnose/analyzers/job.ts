// Jobs: failed for good (backoff limit, deadline). A Job that failed some attempts and then
// completed is healthy: K8sGPT flagged those; we read the Complete condition first.
import type { KObject } from "../../core/types.js";
import type { Problem } from "../types.js";
import { type Analyzer, type Check, type Context, eventEvidence, field, problem } from "../analyzer.js";
import { conditionOf, num, rec, refKey, refOf } from "../graph.js";

const CHECKS = {
  "job-failed": { severity: "high", title: "Job failed" },
} as const satisfies Record<string, Check>;

export const jobAnalyzer: Analyzer = {
  name: "job",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("Job").flatMap((job) => jobProblems(ctx, job));
  },
};

export function jobProblems(ctx: Context, job: KObject): Problem[] {
  const subject = refOf(job);
  if (conditionOf(job, "Complete")?.status === "True") return [];
  const failed = conditionOf(job, "Failed");
  if (failed?.status !== "True") return [];
  const attempts = num(rec(job["status"])["failed"]) ?? 0;
  const evidence = [
    field(subject, `status.conditions[${failed.index}].reason`, failed.reason),
    field(subject, "status.failed", attempts),
  ];
  const event = ctx.graph.warnings(job)[0];
  if (event !== undefined) evidence.push(eventEvidence(subject, event));
  // Runs of one CronJob that fail the same way are one root cause.
  const owner = ctx.graph.controllerOf(job);
  const keyParts = owner?.["kind"] === "CronJob" ? [refKey(refOf(owner)), failed.reason] : [refKey(subject)];
  return [
    problem(
      CHECKS,
      "job-failed",
      subject,
      {
        message: `job failed (${failed.reason}) after ${attempts} failed attempts: ${failed.message}`,
        explanation:
          failed.reason === "DeadlineExceeded"
            ? `The Job ran longer than spec.activeDeadlineSeconds and was stopped.`
            : `Every attempt of the Job's pod failed until spec.backoffLimit was reached, so the Job gave up.`,
        remediation: `Read the failed pods' logs (kubectl logs job/${subject.name}) and fix the command; raise backoffLimit or activeDeadlineSeconds only if the failures are transient or the work is slow.`,
      },
      evidence,
      { keyParts },
    ),
  ];
}
