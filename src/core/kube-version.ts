// The Kubernetes version a scan targets (`--kube-version`): which APIs are served, which Pod
// Security Standards apply. Pure.

/** A recent stable release; the default target when the user names none. */
export const DEFAULT_KUBE_VERSION = "1.35";

/** "v1.35", "1.35" or "1.35.2" → 35 (the minor version of Kubernetes 1.x); undefined when malformed. */
export function kubeMinor(version: string): number | undefined {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?(?:[-+][\w.+-]*)?$/.exec(version.trim());
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
