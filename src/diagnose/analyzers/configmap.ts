// ConfigMaps not used by any pod or pod template of their namespace. Counts every way a pod can use
// one: volumes, projected volume sources, env valueFrom and envFrom, of containers, init and
// ephemeral containers (K8sGPT missed init containers and projected volumes).
import type { KObject } from "../../core/types.js";
import { type Analyzer, type Check, problem } from "../analyzer.js";
import { metaOf, namespaceOf, rec, recs, refOf, str } from "../graph.js";

const CHECKS = {
  "configmap-unused": { severity: "info", title: "ConfigMap is not used by any pod" },
} as const satisfies Record<string, Check>;

const TEMPLATE: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  ReplicationController: ["spec", "template"],
  PodTemplate: ["template"],
};

/** Names of the ConfigMaps a pod spec uses, by every route. */
export function configMapsUsedBy(podSpec: Record<string, unknown>): Set<string> {
  const used = new Set<string>();
  const add = (v: unknown): void => {
    const n = str(v);
    if (n !== undefined) used.add(n);
  };
  for (const v of recs(podSpec["volumes"])) {
    add(rec(v["configMap"])["name"]);
    for (const s of recs(rec(v["projected"])["sources"])) add(rec(s["configMap"])["name"]);
  }
  for (const key of ["containers", "initContainers", "ephemeralContainers"]) {
    for (const c of recs(podSpec[key])) {
      for (const e of recs(c["env"])) add(rec(rec(e["valueFrom"])["configMapKeyRef"])["name"]);
      for (const e of recs(c["envFrom"])) add(rec(e["configMapRef"])["name"]);
    }
  }
  return used;
}

function podSpecOf(o: KObject, path: readonly string[]): Record<string, unknown> {
  let cur: unknown = o;
  for (const k of path) cur = rec(cur)[k];
  return rec(rec(cur)["spec"]);
}

export const configMapAnalyzer: Analyzer = {
  name: "configmap",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    const used = new Map<string, Set<string>>();
    for (const [kind, path] of Object.entries(TEMPLATE)) {
      for (const o of g.all(kind)) {
        const ns = namespaceOf(o) ?? "";
        let set = used.get(ns);
        if (set === undefined) used.set(ns, (set = new Set()));
        for (const n of configMapsUsedBy(podSpecOf(o, path))) set.add(n);
      }
    }
    return g.all("ConfigMap").flatMap((cm) => {
      const subject = refOf(cm);
      const meta = metaOf(cm);
      const inUse = used.get(subject.namespace ?? "");
      // Without pods in the namespace we cannot tell; owned and system ConfigMaps are used by controllers.
      if (inUse === undefined || inUse.has(subject.name)) return [];
      if (subject.name === "kube-root-ca.crt" || recs(meta["ownerReferences"]).length > 0) return [];
      if (subject.namespace === "kube-system" || subject.namespace === "kube-public") return [];
      return [
        problem(
          CHECKS,
          "configmap-unused",
          subject,
          {
            message: "ConfigMap is not used by any pod in its namespace",
            explanation: `No pod or pod template in namespace ${subject.namespace ?? "default"} mounts it, projects it or reads it into environment variables. It may be left over, or read by an application through the API.`,
            remediation: `Delete it if nothing reads it through the API; otherwise ignore this informational finding.`,
          },
          [],
        ),
      ];
    });
  },
};
