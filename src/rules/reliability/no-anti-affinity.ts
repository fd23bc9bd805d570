import { defineRule } from "../../core/rule.js";
import { getIn, isRecord, podLabels, type PodSpecView } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";
import { asLabelSelector, matchesSelector } from "../lib/selectors.js";

/**
 * Whether a pod (anti-)affinity term or spread constraint selects the workload's own pods: one
 * whose selector misses them spreads nothing. A missing labelSelector selects no pods.
 */
function selectsOwnPods(term: unknown, pod: PodSpecView): boolean {
  if (!isRecord(term)) return false;
  const selector = asLabelSelector(term["labelSelector"]);
  if (selector === undefined || !matchesSelector(selector, podLabels(pod))) return false;
  // An explicit namespace list without the workload's own namespace looks at other pods.
  const namespaces = term["namespaces"];
  const ns = pod.resource.ref.namespace;
  if (term["namespaceSelector"] === undefined && Array.isArray(namespaces) && namespaces.length > 0) {
    if (ns !== undefined && !namespaces.includes(ns)) return false;
  }
  return true;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export default defineRule({
  meta: {
    id: "no-anti-affinity",
    title: "Replicas not spread across nodes",
    category: "reliability",
    severity: "low",
    description:
      "Without pod anti-affinity or topology spread constraints the scheduler may put every replica on the same node or zone, so losing that one node takes down all of them at once.",
    remediation:
      "Add a `topologySpreadConstraints` entry (or a `podAntiAffinity` term) whose label selector matches the workload's own pods.",
    messages: {
      missing:
        "{{kind}} runs {{replicas}} replicas with no pod anti-affinity or topology spread constraints.",
      selectorMismatch:
        "No pod anti-affinity term or topology spread constraint of this {{kind}} selects its own pods, so its {{replicas}} replicas are not spread.",
    },
    kinds: ["Deployment", "StatefulSet"],
    fix: "none",
    concepts: ["A-ANTIAFF"],
    equivalents: {
      "kube-linter": ["no-anti-affinity"],
      "kube-score": ["deployment-has-host-podantiaffinity", "statefulset-has-host-podantiaffinity"],
      kics: ["a31b7b82-d994-48c4-bd21-3bab6c31827a", "d740d048-8ed3-49d3-b77b-6f072f3b669e"],
    },
    notes:
      "Single-node clusters and cluster-wide default spreading (the scheduler's default PodTopologySpread constraints) already give some spreading; workloads scaled only by an autoscaler (no `replicas` above 1 in the manifest) are not checked.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const replicas = getIn(pod.resource.object, ["spec", "replicas"]);
        if (typeof replicas !== "number" || replicas <= 1) return;
        const anti = getIn(pod.spec, ["affinity", "podAntiAffinity"]);
        const terms = [
          ...list(getIn(anti, ["requiredDuringSchedulingIgnoredDuringExecution"])),
          ...list(getIn(anti, ["preferredDuringSchedulingIgnoredDuringExecution"])).map((p) =>
            getIn(p, ["podAffinityTerm"]),
          ),
        ];
        const spread = list(pod.spec.topologySpreadConstraints);
        const data = { kind: pod.resource.ref.kind, replicas };
        if (terms.length === 0 && spread.length === 0) {
          reportPod(context, pod, isRecord(pod.spec.affinity) ? ["affinity"] : [], "missing", data);
          return;
        }
        if ([...terms, ...spread].some((t) => selectsOwnPods(t, pod))) return;
        reportPod(
          context,
          pod,
          terms.length > 0 ? ["affinity", "podAntiAffinity"] : ["topologySpreadConstraints"],
          "selectorMismatch",
          data,
        );
      },
    };
  },
});
