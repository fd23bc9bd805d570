import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "naked-pod",
    title: "Pod without a controller",
    category: "reliability",
    severity: "low",
    description:
      "A bare Pod is not recreated when its node fails, is drained or evicts it, and cannot be rolled out or scaled: it disappears until someone notices.",
    remediation:
      "Run the pod from a Deployment, StatefulSet, DaemonSet or Job instead of creating it directly.",
    messages: {
      naked: "Pod `{{name}}` has no controller: nothing recreates it when its node fails or drains it.",
    },
    kinds: ["Pod"],
    fix: "none",
    concepts: ["W-NAKED"],
    equivalents: { kubescape: ["C-0073"] },
    notes:
      "Pods with `ownerReferences` (dumped from a cluster) and Helm hook pods (`helm.sh/hook`, e.g. `helm test` pods, which are meant to run once) are not reported. Static pods of the control plane are bare by design: scan them separately or suppress.",
  },
  create(context) {
    return {
      resource(r) {
        const meta = r.object["metadata"];
        if (isRecord(meta)) {
          const owners = meta["ownerReferences"];
          if (Array.isArray(owners) && owners.length > 0) return;
          const annotations = meta["annotations"];
          if (isRecord(annotations) && typeof annotations["helm.sh/hook"] === "string") return;
        }
        context.report({ resource: r, path: ["kind"], messageId: "naked", data: { name: r.ref.name } });
      },
    };
  },
});
