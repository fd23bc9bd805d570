import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

const KINDS = ["Deployment", "StatefulSet", "ReplicaSet"];

export default defineRule({
  meta: {
    id: "topology-spread-missing",
    title: "Replicated workload sets no topology spread constraints",
    category: "reliability",
    severity: "low",
    description:
      "Without `topologySpreadConstraints`, the scheduler may place all replicas in one zone or on a few nodes, so a zone outage or node failure takes down more of the workload than its replica count suggests.",
    remediation:
      "Add `topologySpreadConstraints` over `topology.kubernetes.io/zone` (and `kubernetes.io/hostname`) whose labelSelector matches the pods.",
    messages: {
      unset: "{{kind}} `{{name}}` runs {{replicas}} replicas without `topologySpreadConstraints`.",
    },
    kinds: KINDS,
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-TOPO"],
    equivalents: {
      polaris: ["topologySpreadConstraint"],
      "kube-score": ["pod-topology-spread-constraints"],
    },
    notes:
      "Off by default: single-zone clusters gain little, pod anti-affinity (see `no-anti-affinity`) spreads pods too, and cluster-wide default constraints of the scheduler may already apply. Workloads with one replica are not reported.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const r = pod.resource;
        const replicas = getIn(r.object, ["spec", "replicas"]);
        if (typeof replicas !== "number" || replicas < 2) return;
        const tsc = getIn(pod.spec, ["topologySpreadConstraints"]);
        if (Array.isArray(tsc) && tsc.length > 0) return;
        reportPod(context, pod, ["topologySpreadConstraints"], "unset", {
          kind: r.ref.kind,
          name: r.ref.name,
          replicas,
        });
      },
    };
  },
});
