// Walkers that hide pod-spec plumbing: every workload kind leads to its pod spec(s), every pod
// spec to its containers. Rules receive these views instead of digging through objects.
import type { Container, ObjectMeta, PodSpec } from "./k8s.js";
import type { Path, Resource } from "./types.js";

export interface PodSpecView {
  resource: Resource;
  /** Path of the pod spec in the object, e.g. ["spec", "template", "spec"]. */
  path: Path;
  spec: PodSpec;
  /** Metadata that applies to the pods (the template's, or the Pod's own). */
  podMeta: ObjectMeta;
  /** Path of `podMeta` in the object. */
  podMetaPath: Path;
}

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

export interface ContainerView {
  pod: PodSpecView;
  resource: Resource;
  /** Path of the container in the object. */
  path: Path;
  container: Container;
  kind: ContainerKind;
  name: string;
}

/** Where the pod template sits, by kind. Kinds not listed carry no pod spec. */
const TEMPLATE_PATHS: Readonly<Record<string, Path>> = {
  Pod: [],
  PodTemplate: ["template"],
  Deployment: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  DeploymentConfig: ["spec", "template"],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

/** Kinds whose pods are managed by a controller (everything but bare Pods and PodTemplates). */
export const CONTROLLER_KINDS: readonly string[] = WORKLOAD_KINDS.filter(
  (k) => k !== "Pod" && k !== "PodTemplate",
);

export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The pod spec of a workload, or undefined for kinds without one (or a malformed object). */
export function podSpecOf(resource: Resource): PodSpecView | undefined {
  const base = TEMPLATE_PATHS[resource.ref.kind];
  if (base === undefined) return undefined;
  const template = base.length === 0 ? resource.object : getIn(resource.object, base);
  if (!isRecord(template)) return undefined;
  const spec = template["spec"];
  if (!isRecord(spec)) return undefined;
  const meta = template["metadata"];
  return {
    resource,
    path: [...base, "spec"],
    spec: spec as unknown as PodSpec,
    podMeta: isRecord(meta) ? meta : {},
    podMetaPath: [...base, "metadata"],
  };
}

const CONTAINER_FIELDS: readonly [string, ContainerKind][] = [
  ["initContainers", "initContainer"],
  ["containers", "container"],
  ["ephemeralContainers", "ephemeralContainer"],
];

/** Every container of a pod spec: init, regular and ephemeral, in that order. */
export function containersOf(pod: PodSpecView): ContainerView[] {
  const out: ContainerView[] = [];
  for (const [field, kind] of CONTAINER_FIELDS) {
    const list = (pod.spec as unknown as Record<string, unknown>)[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      if (!isRecord(c)) return;
      const container = c as unknown as Container;
      out.push({
        pod,
        resource: pod.resource,
        path: [...pod.path, field, i],
        container,
        kind,
        name: typeof container.name === "string" ? container.name : `#${i}`,
      });
    });
  }
  return out;
}

/** Init containers that keep running beside the main ones (restartPolicy: Always) behave like them. */
export function isLongRunning(c: ContainerView): boolean {
  return c.kind === "container" || (c.kind === "initContainer" && c.container.restartPolicy === "Always");
}

/** Labels the pods of a workload carry. */
export function podLabels(pod: PodSpecView): Record<string, string> {
  return pod.podMeta.labels ?? {};
}
