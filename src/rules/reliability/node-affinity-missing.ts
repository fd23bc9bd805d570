import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "node-affinity-missing",
    title: "Pod does not say which nodes it may run on",
    category: "reliability",
    severity: "info",
    description:
      "A pod with neither node affinity nor a nodeSelector may be scheduled onto any node: nodes of the wrong architecture or OS, spot nodes for a workload that cannot be interrupted, or nodes reserved for other teams.",
    remediation:
      "Add `affinity.nodeAffinity` (or a `nodeSelector`) naming the node pool the workload belongs on.",
    messages: {
      unset: "The pod has neither `affinity.nodeAffinity` nor a `nodeSelector`.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-NODEAFF"],
    equivalents: { "kube-linter": ["no-node-affinity"] },
    notes:
      "Off by default: on clusters with one kind of node, any node is the right one. Unlike KubeLinter's check, a `nodeSelector` counts as a node constraint too.",
  },
  create(context) {
    return {
      podSpec(pod) {
        if (isRecord(getIn(pod.spec, ["affinity", "nodeAffinity"]))) return;
        const sel = getIn(pod.spec, ["nodeSelector"]);
        if (isRecord(sel) && Object.keys(sel).length > 0) return;
        reportPod(context, pod, ["affinity", "nodeAffinity"], "unset");
      },
    };
  },
});
