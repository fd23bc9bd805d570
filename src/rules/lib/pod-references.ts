// The objects a pod spec names: ConfigMaps and Secrets (env, envFrom, volumes, projected volumes)
// and PersistentVolumeClaims, with the path of each name. Reads unchecked fields defensively.
import type { Path } from "../../core/types.js";
import { containersOf, getIn, isRecord, type PodSpecView } from "../../core/workloads.js";

export interface PodReference {
  kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim";
  name: string;
  /** Absolute path of the name in the object. */
  path: Path;
  /** The container that reads it, when a container does. */
  container?: string;
}

function named(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Every required reference of the pod spec (`optional: true` ones are left out: pods start without them). */
export function podReferences(pod: PodSpecView): PodReference[] {
  const out: PodReference[] = [];
  const add = (kind: PodReference["kind"], ref: unknown, key: string, path: Path, container?: string) => {
    if (!isRecord(ref) || ref["optional"] === true) return;
    const name = named(ref[key]);
    if (name === undefined) return;
    out.push({ kind, name, path: [...path, key], ...(container !== undefined ? { container } : {}) });
  };
  for (const c of containersOf(pod)) {
    const env = getIn(c.container, ["env"]);
    if (Array.isArray(env)) {
      env.forEach((e: unknown, i) => {
        const from = getIn(e, ["valueFrom"]);
        const at = [...c.path, "env", i, "valueFrom"];
        add("ConfigMap", getIn(from, ["configMapKeyRef"]), "name", [...at, "configMapKeyRef"], c.name);
        add("Secret", getIn(from, ["secretKeyRef"]), "name", [...at, "secretKeyRef"], c.name);
      });
    }
    const envFrom = getIn(c.container, ["envFrom"]);
    if (Array.isArray(envFrom)) {
      envFrom.forEach((e: unknown, i) => {
        const at = [...c.path, "envFrom", i];
        add("ConfigMap", getIn(e, ["configMapRef"]), "name", [...at, "configMapRef"], c.name);
        add("Secret", getIn(e, ["secretRef"]), "name", [...at, "secretRef"], c.name);
      });
    }
  }
  const volumes = getIn(pod.spec, ["volumes"]);
  if (Array.isArray(volumes)) {
    volumes.forEach((v: unknown, i) => {
      const at = [...pod.path, "volumes", i];
      add("ConfigMap", getIn(v, ["configMap"]), "name", [...at, "configMap"]);
      add("Secret", getIn(v, ["secret"]), "secretName", [...at, "secret"]);
      add("PersistentVolumeClaim", getIn(v, ["persistentVolumeClaim"]), "claimName", [
        ...at,
        "persistentVolumeClaim",
      ]);
      const sources = getIn(v, ["projected", "sources"]);
      if (Array.isArray(sources)) {
        sources.forEach((s: unknown, j) => {
          const sat = [...at, "projected", "sources", j];
          add("ConfigMap", getIn(s, ["configMap"]), "name", [...sat, "configMap"]);
          add("Secret", getIn(s, ["secret"]), "name", [...sat, "secret"]);
        });
      }
    });
  }
  return out;
}
