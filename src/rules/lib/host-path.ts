// hostPath volumes of a pod spec, with their paths normalised the way the kernel resolves them.
import type { Path } from "../../core/types.js";
import { isRecord, type ContainerView, type PodSpecView } from "../../core/workloads.js";

export interface HostPathVolume {
  /** Index in `spec.volumes`. */
  index: number;
  name: string;
  /** The path as written. */
  path: string;
  /** `path` normalised: no trailing or repeated slashes, no `.` or `..` segments. */
  normalized: string;
  /** Path of the volume's `hostPath` in the object. */
  at: Path;
}

/** `/var//run/./docker.sock/` → `/var/run/docker.sock`; `..` cannot climb above `/`. */
export function normalizeHostPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

/** Every hostPath volume of the pod spec. */
export function hostPathVolumes(pod: PodSpecView): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  (pod.spec.volumes ?? []).forEach((v, index) => {
    if (!isRecord(v) || !isRecord(v.hostPath) || typeof v.hostPath.path !== "string") return;
    out.push({
      index,
      name: v.name,
      path: v.hostPath.path,
      normalized: normalizeHostPath(v.hostPath.path),
      at: [...pod.path, "volumes", index, "hostPath"],
    });
  });
  return out;
}

/** True when `path` is `dir` or lies below it (both normalised). */
export function isUnder(path: string, dir: string): boolean {
  return dir === "/" || path === dir || path.startsWith(dir + "/");
}

/** The container's volumeMounts of the named volume, with their indexes. */
export function mountsOf(c: ContainerView, volume: string): { index: number; readOnly: boolean }[] {
  const out: { index: number; readOnly: boolean }[] = [];
  (c.container.volumeMounts ?? []).forEach((m, index) => {
    if (isRecord(m) && m.name === volume) out.push({ index, readOnly: m.readOnly === true });
  });
  return out;
}
