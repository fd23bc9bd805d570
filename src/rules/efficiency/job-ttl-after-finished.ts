import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "job-ttl-after-finished",
    title: "Job's cleanup after it finishes is not set, or set where the CronJob already cleans up",
    category: "efficiency",
    severity: "low",
    description:
      "A standalone Job without `ttlSecondsAfterFinished` and its finished pods stay in the API server forever, piling up with every run. A CronJob already prunes its Jobs by `successfulJobsHistoryLimit`/`failedJobsHistoryLimit`; a TTL in its job template deletes them earlier, hiding the history the limits were meant to keep.",
    remediation:
      "Set `spec.ttlSecondsAfterFinished` on standalone Jobs; on a CronJob, remove it from the job template and use the history limits.",
    messages: {
      standalone:
        "Job `{{name}}` sets no `ttlSecondsAfterFinished`, so it and its pods are kept after it finishes.",
      cronJob:
        "CronJob `{{name}}` sets `ttlSecondsAfterFinished` in its job template; its history limits already prune finished Jobs.",
    },
    kinds: ["Job", "CronJob"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-JOB-TTL"],
    equivalents: { "kube-linter": ["job-ttl-seconds-after-finished"] },
    notes:
      "Off by default: Helm hook Jobs are usually deleted by `helm.sh/hook-delete-policy`, and GitOps tools may want to keep a finished Job to compare it with the manifest (a TTL makes Argo CD recreate it).",
  },
  create(context) {
    return {
      resource(r) {
        const name = r.ref.name;
        if (r.ref.kind === "Job") {
          const owned = getIn(r.object, ["metadata", "ownerReferences"]);
          if (Array.isArray(owned) && owned.length > 0) return;
          if (typeof getIn(r.object, ["spec", "ttlSecondsAfterFinished"]) === "number") return;
          context.report({
            resource: r,
            path: ["spec", "ttlSecondsAfterFinished"],
            messageId: "standalone",
            data: { name },
          });
          return;
        }
        const path = ["spec", "jobTemplate", "spec", "ttlSecondsAfterFinished"];
        if (typeof getIn(r.object, path) === "number")
          context.report({ resource: r, path, messageId: "cronJob", data: { name } });
      },
    };
  },
});
