// The cluster as netpol sees it: namespaces, pods and nodes built from the objects of the input.
// Workloads become one representative pod each when the input holds no Pod objects.
import type { Resource, ResourceRef } from "../core/types.js";
import { containersOf, getIn, isRecord, podSpecOf } from "../core/workloads.js";
import type { Labels } from "./labels.js";
import { parsePolicies, type Policy } from "./policies.js";

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

export interface NamedPort {
  name: string | undefined;
  port: number;
  protocol: Protocol;
}

export interface Namespace {
  name: string;
  /** Labels including the implicit `kubernetes.io/metadata.name`. */
  labels: Labels;
  /** False when no Namespace object was given and the namespace is only referenced. */
  declared: boolean;
}

export interface Pod {
  /** `namespace/name` */
  id: string;
  namespace: string;
  name: string;
  labels: Labels;
  ips: string[];
  hostNetwork: boolean;
  nodeName: string | undefined;
  ports: NamedPort[];
  /** The workload a representative pod stands for, e.g. `Deployment/web`. */
  representativeOf: string | undefined;
  resource: ResourceRef;
}

export interface Node {
  name: string;
  labels: Labels;
  ips: string[];
}

export interface Warning {
  message: string;
  resource?: ResourceRef;
}

export interface Model {
  namespaces: Map<string, Namespace>;
  pods: Pod[];
  nodes: Node[];
  policies: Policy[];
  /** True when pods were made from workloads because no Pod objects were given. */
  representative: boolean;
  warnings: Warning[];
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet", "CronJob"]);
export const METADATA_NAME_LABEL = "kubernetes.io/metadata.name";

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v))
    for (const [k, x] of Object.entries(v))
      if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out[k] = String(x);
  return out;
}

export function normalizeProtocol(v: unknown): Protocol | undefined {
  if (v === undefined || v === null) return "TCP";
  if (typeof v !== "string") return undefined;
  const s = v.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(s) ? (s as Protocol) : undefined;
}

export function buildModel(resources: readonly Resource[]): Model {
  const warnings: Warning[] = [];
  const namespaces = new Map<string, Namespace>();
  const nodes: Node[] = [];
  const podResources: Resource[] = [];
  const workloadResources: Resource[] = [];
  for (const r of resources) {
    const kind = r.ref.kind;
    if (kind === "Namespace" && r.ref.apiVersion === "v1") {
      const labels = stringMap(getIn(r.object, ["metadata", "labels"]));
      labels[METADATA_NAME_LABEL] = r.ref.name;
      namespaces.set(r.ref.name, { name: r.ref.name, labels, declared: true });
    } else if (kind === "Node" && r.ref.apiVersion === "v1") {
      const addresses = getIn(r.object, ["status", "addresses"]);
      const ips: string[] = [];
      if (Array.isArray(addresses))
        for (const a of addresses)
          if (
            isRecord(a) &&
            (a["type"] === "InternalIP" || a["type"] === "ExternalIP") &&
            typeof a["address"] === "string"
          )
            ips.push(a["address"]);
      nodes.push({ name: r.ref.name, labels: stringMap(getIn(r.object, ["metadata", "labels"])), ips });
    } else if (kind === "Pod" && r.ref.apiVersion === "v1") podResources.push(r);
    else if (WORKLOADS.has(kind)) workloadResources.push(r);
  }
  const representative = podResources.length === 0 && workloadResources.length > 0;
  const pods: Pod[] = [];
  for (const r of representative ? workloadResources : podResources) {
    const view = podSpecOf(r);
    if (view === undefined) continue;
    const namespace = r.ref.namespace ?? "default";
    const ports: NamedPort[] = [];
    for (const c of containersOf(view)) {
      if (c.kind === "ephemeralContainer") continue;
      for (const p of c.container.ports ?? []) {
        const protocol = normalizeProtocol(p.protocol);
        if (protocol === undefined || typeof p.containerPort !== "number") continue;
        ports.push({
          name: typeof p.name === "string" ? p.name : undefined,
          port: p.containerPort,
          protocol,
        });
      }
    }
    const ips: string[] = [];
    if (!representative) {
      const podIPs = getIn(r.object, ["status", "podIPs"]);
      if (Array.isArray(podIPs))
        for (const p of podIPs) if (isRecord(p) && typeof p["ip"] === "string") ips.push(p["ip"]);
      const podIP = getIn(r.object, ["status", "podIP"]);
      if (typeof podIP === "string" && !ips.includes(podIP)) ips.unshift(podIP);
    }
    const nodeName = getIn(view.spec, ["nodeName"]);
    pods.push({
      id: `${namespace}/${r.ref.name}`,
      namespace,
      name: r.ref.name,
      labels: { ...(view.podMeta.labels ?? {}) },
      ips,
      hostNetwork: view.spec.hostNetwork === true,
      nodeName: typeof nodeName === "string" ? nodeName : undefined,
      ports,
      representativeOf: representative ? `${r.ref.kind}/${r.ref.name}` : undefined,
      resource: r.ref,
    });
  }
  const { policies, warnings: policyWarnings } = parsePolicies(resources);
  warnings.push(...policyWarnings);
  const ensureNs = (name: string) => {
    if (!namespaces.has(name))
      namespaces.set(name, { name, labels: { [METADATA_NAME_LABEL]: name }, declared: false });
  };
  for (const p of pods) ensureNs(p.namespace);
  for (const p of policies) if (p.namespace !== undefined) ensureNs(p.namespace);
  pods.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { namespaces, pods, nodes, policies, representative, warnings };
}

/** The node a host-network pod runs on, if known. */
export function nodeOf(model: Model, pod: Pod): Node | undefined {
  if (pod.nodeName !== undefined) {
    const byName = model.nodes.find((n) => n.name === pod.nodeName);
    if (byName !== undefined) return byName;
  }
  return model.nodes.find((n) => pod.ips.some((ip) => n.ips.includes(ip)));
}
