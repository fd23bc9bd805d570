// PodDisruptionBudgets and the workloads they protect: which workloads a PDB selects, how many
// replicas those run (fixed, or the range an HPA scales them in), and how many pods the budget lets
// an eviction take.
import type { LabelSelector } from "../../core/k8s.js";
import type { Resource } from "../../core/types.js";
import { getIn } from "../../core/workloads.js";
import { namespaceOf } from "./namespaces.js";
import { asLabelSelector, type LabelIndex } from "./selectors.js";
import type { WorkloadPods } from "./workload-pods.js";

/** Controllers with a replica count (DaemonSets run one pod per node: unknown here). */
const REPLICATED_KINDS = [
  "Deployment",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
  "DeploymentConfig",
];

/** An IntOrString budget: a count, or a percentage of the pods. */
export type Budget = { count: number } | { percent: number };

export function parseBudget(v: unknown): Budget | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return { count: v };
  if (typeof v === "string") {
    const m = /^(\d+)%$/.exec(v.trim());
    if (m?.[1] !== undefined) return { percent: Number(m[1]) };
    if (/^\d+$/.test(v.trim())) return { count: Number(v) };
  }
  return undefined;
}

/** policy/v1: a null selector selects no pod, `{}` every pod of the namespace. */
export function pdbSelector(pdb: Resource): LabelSelector | undefined {
  return asLabelSelector(getIn(pdb.object, ["spec", "selector"]));
}

export interface ReplicaRange {
  min: number;
  max: number;
  /** The HPA that scales the workload, if any. */
  hpa?: Resource;
}

/** The kind and name an HPA scales, or undefined for another kind or a malformed reference. */
export function scaleTargetOf(hpa: Resource): { kind: string; name: string } | undefined {
  if (hpa.ref.kind !== "HorizontalPodAutoscaler") return undefined;
  const kind = getIn(hpa.object, ["spec", "scaleTargetRef", "kind"]);
  const name = getIn(hpa.object, ["spec", "scaleTargetRef", "name"]);
  return typeof kind === "string" && typeof name === "string" ? { kind, name } : undefined;
}

/** The HPAs of the scan by "namespace/kind/name" of their target. */
export function hpaTargets(resources: readonly Resource[]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const r of resources) {
    const target = scaleTargetOf(r);
    if (target !== undefined) out.set(`${namespaceOf(r)}/${target.kind}/${target.name}`, r);
  }
  return out;
}

/** How many replicas `workload` runs, or undefined when that is not known from the manifests. */
export function replicaRange(
  workload: Resource,
  hpas: ReadonlyMap<string, Resource>,
): ReplicaRange | undefined {
  const { kind, name } = workload.ref;
  if (kind === "Pod") return { min: 1, max: 1 };
  if (!REPLICATED_KINDS.includes(kind)) return undefined;
  const hpa = hpas.get(`${namespaceOf(workload)}/${kind}/${name}`);
  if (hpa !== undefined) {
    const min = getIn(hpa.object, ["spec", "minReplicas"]);
    const max = getIn(hpa.object, ["spec", "maxReplicas"]);
    if (typeof max !== "number") return undefined;
    return { min: typeof min === "number" ? min : 1, max, hpa };
  }
  const replicas = getIn(workload.object, ["spec", "replicas"]);
  const n = typeof replicas === "number" ? replicas : 1;
  return { min: n, max: n };
}

/** The workloads of `pods` (see `podsByNamespace`) whose pods `pdb` selects, in scan order. */
export function protectedWorkloadsIn(pdb: Resource, pods: LabelIndex<WorkloadPods>): Resource[] {
  const selector = pdbSelector(pdb);
  return selector === undefined ? [] : pods.select(selector).map((p) => p.resource);
}
