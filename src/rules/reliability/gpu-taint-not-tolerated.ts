import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { containersOf, getIn, isRecord, podSpecOf, type PodSpecView } from "../../core/workloads.js";
import { acceleratorNames, isAcceleratorResource, servingPodSpecOf } from "../lib/accelerators.js";
import { reportPod } from "../lib/report.js";

interface Taint {
  key: string;
  value: string;
  effect: string;
}
interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

// Node labels that GPU operators, Node Feature Discovery and the cloud providers put on GPU nodes.
const GPU_NODE_LABEL =
  /^(?:nvidia\.com\/gpu(?:\.present|\.count|\.product)|amd\.com\/gpu\.[\w.-]+|feature\.node\.kubernetes\.io\/pci-(?:10de|1002)\.present|cloud\.google\.com\/gke-accelerator|k8s\.amazonaws\.com\/accelerator|gpu\.intel\.com\/[\w.-]+)$/;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The NoSchedule/NoExecute taints of a Node: those that keep pods off it (PreferNoSchedule does not). */
function blockingTaints(node: Resource): Taint[] {
  const list = getIn(node.object, ["spec", "taints"]);
  if (!Array.isArray(list)) return [];
  return list
    .filter(isRecord)
    .map((t) => ({ key: str(t["key"]), value: str(t["value"]), effect: str(t["effect"]) }))
    .filter((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
}

function isGpuNode(node: Resource): boolean {
  for (const field of ["capacity", "allocatable"]) {
    const m = getIn(node.object, ["status", field]);
    if (isRecord(m) && Object.keys(m).some(isAcceleratorResource)) return true;
  }
  const labels = getIn(node.object, ["metadata", "labels"]);
  if (isRecord(labels) && Object.keys(labels).some((k) => GPU_NODE_LABEL.test(k))) return true;
  return blockingTaints(node).some((t) => isAcceleratorResource(t.key));
}

/** Vendors a GPU node shows (`nvidia.com`, `amd.com`, …); empty when it does not say. */
function nodeVendors(node: Resource): Set<string> {
  const keys: string[] = [];
  for (const field of ["capacity", "allocatable"]) {
    const m = getIn(node.object, ["status", field]);
    if (isRecord(m)) keys.push(...Object.keys(m).filter(isAcceleratorResource));
  }
  const labels = getIn(node.object, ["metadata", "labels"]);
  if (isRecord(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      if (k.endsWith("pci-10de.present") || (k.includes("accelerator") && String(v).startsWith("nvidia")))
        keys.push("nvidia.com/");
      else if (k.endsWith("pci-1002.present")) keys.push("amd.com/");
      else if (GPU_NODE_LABEL.test(k)) keys.push(k);
    }
  }
  keys.push(
    ...blockingTaints(node)
      .map((t) => t.key)
      .filter(isAcceleratorResource),
  );
  return new Set(keys.map(vendorOf));
}

const vendorOf = (resource: string) => resource.slice(0, resource.indexOf("/"));

function tolerationsOf(pod: PodSpecView): Toleration[] {
  const list = getIn(pod.spec, ["tolerations"]);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((t) => ({
    key: str(t["key"]),
    operator: str(t["operator"]) || "Equal",
    value: str(t["value"]),
    effect: str(t["effect"]),
  }));
}

/** The scheduler's ToleratesTaint: an empty key with Exists matches every key, an empty effect every effect. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== "" && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  return t.operator === "Equal" && t.key !== "" && t.value === taint.value;
}

function nodeSelectorMatches(pod: PodSpecView, node: Resource): boolean {
  const selector = getIn(pod.spec, ["nodeSelector"]);
  if (!isRecord(selector)) return true;
  const labels = getIn(node.object, ["metadata", "labels"]);
  return Object.entries(selector).every(([k, v]) => isRecord(labels) && labels[k] === v);
}

const describeTaint = (t: Taint) => `\`${t.key}${t.value === "" ? "" : `=${t.value}`}:${t.effect}\``;

export default defineRule({
  meta: {
    id: "gpu-taint-not-tolerated",
    title: "GPU pod does not tolerate the GPU nodes' taints",
    category: "reliability",
    severity: "high",
    scope: "cluster",
    description:
      'Clusters taint their GPU nodes (`nvidia.com/gpu=present:NoSchedule`, `sku=gpu:NoSchedule`) so that ordinary pods do not take the expensive machines. A pod that asks for a GPU but does not tolerate those taints fits no node at all: it stays Pending with `0/N nodes are available: … untolerated taint` (Kubernetes docs, "Taints and Tolerations": https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/, and "Schedule GPUs": https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/).',
    remediation:
      "Add a toleration for the GPU nodes' taint to the pod template (for example `key: nvidia.com/gpu, operator: Exists, effect: NoSchedule`).",
    messages: {
      untolerated:
        "{{kind}} `{{name}}` asks for `{{resource}}`, but every node of the scan that offers it has a taint its pods do not tolerate ({{taints}}): they stay Pending.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "Runs only when the scan holds Node objects (a `kubectl get nodes -o yaml` dump beside the manifests): without them nothing is known about the taints. A GPU node is one with an accelerator in its capacity, a GPU label (NVIDIA GPU operator, Node Feature Discovery, GKE, EKS) or an accelerator-named taint; pods that select nodes by `nodeSelector` are checked against the GPU nodes that selector matches, and skipped when it matches none. Clusters whose API server enables the `ExtendedResourceToleration` admission plugin (off upstream, on in some managed offerings) add the toleration for a taint named like the resource (`nvidia.com/gpu`) by themselves: set the option `extendedResourceToleration: true` there.",
  },
  options: {
    extendedResourceToleration: option.boolean(
      "Set to true when the API server's ExtendedResourceToleration admission plugin adds GPU tolerations itself.",
      false,
    ),
  },
  create(context) {
    const option: unknown = context.options.extendedResourceToleration;
    const autoTolerate = option === true;
    return {
      end(resources) {
        const gpuNodes = resources.filter((r) => r.ref.kind === "Node" && isGpuNode(r));
        if (gpuNodes.length === 0) return;
        for (const r of resources) {
          const pod = podSpecOf(r) ?? servingPodSpecOf(r);
          if (pod === undefined) continue;
          const wanted = [
            ...new Set(
              containersOf(pod).flatMap((c) =>
                c.kind === "ephemeralContainer" ? [] : acceleratorNames(c.container),
              ),
            ),
          ];
          const first = wanted[0];
          if (first === undefined) continue;
          const vendors = new Set(wanted.map(vendorOf));
          const candidates = gpuNodes.filter((n) => {
            const shown = nodeVendors(n);
            const fits = shown.size === 0 || [...shown].some((v) => vendors.has(v));
            return fits && nodeSelectorMatches(pod, n);
          });
          if (candidates.length === 0) continue;
          const tolerations = tolerationsOf(pod);
          if (autoTolerate) {
            for (const key of wanted) tolerations.push({ key, operator: "Exists", value: "", effect: "" });
          }
          const untolerated = (n: Resource) =>
            blockingTaints(n).filter((t) => !tolerations.some((tol) => tolerates(tol, t)));
          if (candidates.some((n) => untolerated(n).length === 0)) continue;
          const taints = [...new Set(candidates.flatMap(untolerated).map(describeTaint))];
          reportPod(context, pod, ["tolerations"], "untolerated", {
            kind: r.ref.kind,
            name: r.ref.name,
            resource: first,
            taints: taints.join(", "),
          });
        }
      },
    };
  },
});
