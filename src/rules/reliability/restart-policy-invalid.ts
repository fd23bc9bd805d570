import { defineRule } from "../../core/rule.js";
import { reportPod } from "../lib/report.js";

const JOB_KINDS = ["Job", "CronJob"];
const ALWAYS_KINDS = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"];

export default defineRule({
  meta: {
    id: "restart-policy-invalid",
    title: "Pod template's restartPolicy is not allowed for its workload kind",
    category: "reliability",
    severity: "high",
    description:
      "Jobs and CronJobs accept only `restartPolicy: OnFailure` or `Never` (an unset policy defaults to `Always` and is rejected), and Deployments, ReplicaSets, StatefulSets and DaemonSets accept only `Always`: the API server refuses the object, so the workload is never created.",
    remediation:
      "Set the pod template's `restartPolicy` to `OnFailure` or `Never` for a Job or CronJob, and leave it unset or `Always` for other controllers.",
    messages: {
      jobUnset:
        "The {{kind}}'s pod template sets no `restartPolicy`; it defaults to `Always`, which the API server rejects for a {{kind}} (use `OnFailure` or `Never`).",
      jobAlways:
        "The {{kind}}'s pod template sets `restartPolicy: {{value}}`; a {{kind}} accepts only `OnFailure` or `Never`.",
      notAlways:
        "The {{kind}}'s pod template sets `restartPolicy: {{value}}`; a {{kind}} accepts only `Always`.",
    },
    kinds: [...JOB_KINDS, ...ALWAYS_KINDS],
    fix: "none",
    concepts: ["A-RESTART"],
    equivalents: { "kube-linter": ["restart-policy"], "kube-score": ["cronjob-restartpolicy"] },
  },
  create(context) {
    return {
      podSpec(pod) {
        const kind = pod.resource.ref.kind;
        const value: unknown = pod.spec.restartPolicy;
        if (JOB_KINDS.includes(kind)) {
          if (value === undefined || value === null || value === "")
            reportPod(context, pod, ["restartPolicy"], "jobUnset", { kind });
          else if (value !== "OnFailure" && value !== "Never")
            reportPod(context, pod, ["restartPolicy"], "jobAlways", {
              kind,
              value: typeof value === "string" ? value : JSON.stringify(value),
            });
        } else if (typeof value === "string" && value !== "" && value !== "Always") {
          reportPod(context, pod, ["restartPolicy"], "notAlways", { kind, value });
        }
      },
    };
  },
});
