// The pods a scan's workloads would create, as cross-object rules need them: their labels (for
// Service, NetworkPolicy and other selectors) and where those labels are written.
import type { Path, Resource } from "../../core/types.js";
import { getIn, isRecord, podSpecOf, WORKLOAD_KINDS, type PodSpecView } from "../../core/workloads.js";
import { LabelIndex } from "./selectors.js";

export interface WorkloadPods {
  resource: Resource;
  labels: Record<string, string>;
  /** Path of the pod template's metadata (["metadata"] for a Pod). */
  podMetaPath: Path;
  hostNetwork: boolean;
}

function stringLabels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * The pods of `resource`, or undefined when it makes none. Built-in workload kinds use their pod
 * template; PodTemplate objects run nothing and are left out. Other kinds with a pod template at
 * `spec.template` (Argo Rollouts, OpenKruise CloneSets and similar custom workloads) count too, so
 * that Services and policies selecting their pods are not reported as dangling.
 */
export function workloadPods(resource: Resource): WorkloadPods | undefined {
  const kind = resource.ref.kind;
  if (kind === "PodTemplate") return undefined;
  if (WORKLOAD_KINDS.includes(kind)) {
    const pod = podSpecOf(resource);
    if (pod === undefined) return undefined;
    return {
      resource,
      labels: stringLabels(pod.podMeta.labels),
      podMetaPath: pod.podMetaPath,
      hostNetwork: pod.spec.hostNetwork === true,
    };
  }
  const template = getIn(resource.object, ["spec", "template"]);
  if (!isRecord(template) || !Array.isArray(getIn(template, ["spec", "containers"]))) return undefined;
  return {
    resource,
    labels: stringLabels(getIn(template, ["metadata", "labels"])),
    podMetaPath: ["spec", "template", "metadata"],
    hostNetwork: getIn(template, ["spec", "hostNetwork"]) === true,
  };
}

/** Every workload's pods among `resources`. */
export function workloadPodsIn(resources: readonly Resource[]): WorkloadPods[] {
  const out: WorkloadPods[] = [];
  for (const r of resources) {
    const w = workloadPods(r);
    if (w !== undefined) out.push(w);
  }
  return out;
}

/** API groups of built-in kinds: objects of any other group are custom resources. */
function isBuiltinGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return true; // core: "v1"
  const group = apiVersion.slice(0, slash);
  return !group.includes(".") || group.endsWith(".k8s.io");
}

/**
 * Names of the custom resources among `resources`. Operators create pods for their custom
 * resources and label them with the resource's name (prometheus-operator's `prometheus: <name>`,
 * Strimzi's `strimzi.io/cluster: <name>`), so a selector that names one likely selects such pods.
 */
export function customResourceNames(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) if (!isBuiltinGroup(r.ref.apiVersion)) out.add(r.ref.name);
  return out;
}

/** The pod specs of the scan's objects that run pods (PodTemplates run none). */
export function runningPodSpecs(resources: readonly Resource[]): PodSpecView[] {
  const out: PodSpecView[] = [];
  for (const r of resources) {
    if (r.ref.kind === "PodTemplate") continue;
    const pod = podSpecOf(r);
    if (pod !== undefined) out.push(pod);
  }
  return out;
}

export interface NamespacePods {
  /** The workloads' pods of the namespace scope, looked up by label selector. */
  pods: LabelIndex<WorkloadPods>;
  /** `customResourceNames` of the namespace scope. */
  crNames: ReadonlySet<string>;
}

/**
 * `NamespacePods` per namespace of `scope` (see `namespaceScope`), each computed once: rules that
 * look for the pods of each of many objects stay linear in the size of the scan.
 */
export function podsByNamespace(scope: (ns: string) => readonly Resource[]): (ns: string) => NamespacePods {
  // Rules given the same scope (namespaceScope of one run) share the pods found in it.
  let pods = podLookups.get(scope);
  if (pods === undefined) podLookups.set(scope, (pods = buildPodsByNamespace(scope)));
  return pods;
}

const podLookups = new WeakMap<(ns: string) => readonly Resource[], (ns: string) => NamespacePods>();

function buildPodsByNamespace(scope: (ns: string) => readonly Resource[]): (ns: string) => NamespacePods {
  const cache = new Map<string, NamespacePods>();
  return (ns) => {
    let here = cache.get(ns);
    if (here === undefined) {
      const list = scope(ns);
      here = {
        pods: new LabelIndex(workloadPodsIn(list), (p) => p.labels),
        crNames: customResourceNames(list),
      };
      cache.set(ns, here);
    }
    return here;
  };
}
