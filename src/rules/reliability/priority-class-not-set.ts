import { defineRule } from "../../core/rule.js";
import { reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "priority-class-not-set",
    title: "Pod sets no priorityClassName",
    category: "reliability",
    severity: "low",
    description:
      "Pods without a PriorityClass get the cluster's default priority (usually 0), so under resource pressure the scheduler may preempt them for less important pods and the kubelet evicts them in no deliberate order.",
    remediation: "Set `priorityClassName` to a PriorityClass that reflects how important the workload is.",
    messages: {
      unset: "The pod sets no `priorityClassName`.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-PRIO"],
    equivalents: { "kube-linter": ["priority-class-name"], polaris: ["priorityClassNotSet"] },
    notes:
      "Off by default: only clusters that define PriorityClasses (and often a global default one) benefit; elsewhere every pod shares the same priority anyway.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const v: unknown = pod.spec.priorityClassName;
        if (typeof v === "string" && v !== "") return;
        reportPod(context, pod, ["priorityClassName"], "unset");
      },
    };
  },
});
