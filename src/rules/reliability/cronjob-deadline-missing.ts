import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "cronjob-deadline-missing",
    title: "CronJob sets no startingDeadlineSeconds",
    category: "reliability",
    severity: "low",
    description:
      "Without `startingDeadlineSeconds`, a CronJob that missed more than 100 schedules (controller down, the CronJob suspended for a while) stops starting jobs altogether with `too many missed start times`, and a late run may start long after its slot.",
    remediation: "Set `spec.startingDeadlineSeconds` to how late a run may still start (for example 300).",
    messages: {
      unset: "CronJob `{{name}}` sets no `startingDeadlineSeconds`.",
    },
    kinds: ["CronJob"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-CRON-DEADLINE"],
    equivalents: {
      "kube-score": ["cronjob-has-deadline"],
      kics: ["192fe40b-b1c3-448a-aba2-6cc19a300fe3"],
    },
    notes:
      "Off by default: most CronJobs run often enough and are rarely suspended, so the default (no deadline) is harmless for them.",
  },
  create(context) {
    return {
      resource(cron) {
        if (typeof getIn(cron.object, ["spec", "startingDeadlineSeconds"]) === "number") return;
        context.report({
          resource: cron,
          path: ["spec", "startingDeadlineSeconds"],
          messageId: "unset",
          data: { name: cron.ref.name },
        });
      },
    };
  },
});
