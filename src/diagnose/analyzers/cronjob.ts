// CronJobs: suspended, an unparsable schedule, a negative starting deadline, and the latest run
// failing (folded into that Job's finding).
import type { KObject } from "../../core/types.js";
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { metaOf, num, rec, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";
import { jobProblems } from "./job.js";

const CHECKS = {
  "cronjob-suspended": { severity: "info", title: "CronJob is suspended" },
  "cronjob-invalid-schedule": { severity: "high", title: "CronJob schedule cannot be parsed" },
  "cronjob-negative-deadline": { severity: "medium", title: "CronJob startingDeadlineSeconds is negative" },
  "cronjob-last-run-failed": { severity: "high", title: "CronJob's latest run failed" },
} as const satisfies Record<string, Check>;

const FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;
function validSchedule(s: string): boolean {
  const body = s.replace(/^(CRON_)?TZ=\S+\s+/, "").trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/.test(body)) return true;
  const parts = body.split(/\s+/);
  return parts.length === 5 && parts.every((p) => FIELD.test(p));
}

export const cronJobAnalyzer: Analyzer = {
  name: "cronjob",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("CronJob").flatMap((cj) => {
      const subject = refOf(cj);
      const spec = rec(cj["spec"]);
      const out: Problem[] = [];
      if (spec["suspend"] === true) {
        out.push(
          problem(
            CHECKS,
            "cronjob-suspended",
            subject,
            {
              message: "CronJob is suspended; no new runs start",
              explanation: `spec.suspend is true, so the controller skips every scheduled run until it is set back to false.`,
              remediation: `If this is not intended, resume it: kubectl patch cronjob ${subject.name} -p '{"spec":{"suspend":false}}'.`,
            },
            [field(subject, "spec.suspend", true)],
          ),
        );
      }
      const schedule = str(spec["schedule"]) ?? "";
      if (!validSchedule(schedule)) {
        out.push(
          problem(
            CHECKS,
            "cronjob-invalid-schedule",
            subject,
            {
              message: `schedule "${schedule}" is not a valid cron expression`,
              explanation: `The schedule needs five fields (minute hour day-of-month month day-of-week) or a macro such as @hourly; the controller cannot schedule this one.`,
              remediation: `Correct spec.schedule, e.g. "*/5 * * * *" for every five minutes.`,
            },
            [field(subject, "spec.schedule", schedule)],
          ),
        );
      }
      const deadline = num(spec["startingDeadlineSeconds"]);
      if (deadline !== undefined && deadline < 0) {
        out.push(
          problem(
            CHECKS,
            "cronjob-negative-deadline",
            subject,
            {
              message: `startingDeadlineSeconds is ${deadline}`,
              explanation: `A negative starting deadline means every run counts as missed, so no Job is ever started.`,
              remediation: `Remove spec.startingDeadlineSeconds or set it to a positive number of seconds.`,
            },
            [field(subject, "spec.startingDeadlineSeconds", deadline)],
          ),
        );
      }
      const latest = latestJob(ctx.graph.children(cj, "Job"));
      if (latest !== undefined) {
        const keys = jobProblems(ctx, latest).map((p) => p.key);
        if (keys.length > 0) {
          const message = `latest run ${str(metaOf(latest)["name"]) ?? ""} failed`;
          out.push(
            problem(
              CHECKS,
              "cronjob-last-run-failed",
              subject,
              {
                message,
                explanation: `The most recent Job started by this CronJob failed.`,
                remediation: `See the Job's finding and logs.`,
              },
              [field(subject, "status.lastScheduleTime", str(rec(cj["status"])["lastScheduleTime"]) ?? "")],
              {
                causes: { keys, via: [objStep(subject, message)] },
              },
            ),
          );
        }
      }
      return out;
    });
  },
};

function latestJob(jobs: readonly KObject[]): KObject | undefined {
  let best: KObject | undefined;
  let bestTime = "";
  for (const j of jobs) {
    const t = str(metaOf(j)["creationTimestamp"]) ?? "";
    if (best === undefined || t > bestTime) {
      best = j;
      bestTime = t;
    }
  }
  return best;
}
