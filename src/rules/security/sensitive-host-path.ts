import { defineRule } from "../../core/rule.js";
import { hostPathVolumes, isUnder } from "../lib/host-path.js";

/**
 * Host directories that are dangerous to mount as a whole. Their subdirectories are often mounted
 * for good reasons (`/etc/ssl/certs`, `/var/log`, `/sys/fs/cgroup`, `/dev/fuse`), so only the
 * directory itself is reported.
 */
const SENSITIVE_DIRS: ReadonlySet<string> = new Set([
  "/",
  "/bin",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib64",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
  "/var",
  "/var/lib",
  "/var/run",
  "/var/lib/docker",
  "/var/lib/containerd",
  "/var/lib/kubelet",
]);

/** Host trees where anything below is sensitive too: credentials, kernel and process state. */
const SENSITIVE_TREES: readonly string[] = [
  "/boot",
  "/proc",
  "/root",
  "/etc/kubernetes",
  "/etc/shadow",
  "/etc/gshadow",
  "/etc/sudoers",
  "/etc/sudoers.d",
  "/etc/ssh",
  "/var/lib/etcd",
  "/var/lib/kubelet/pki",
  "/var/lib/kubelet/pods",
];

export function isSensitiveHostPath(normalized: string): boolean {
  return SENSITIVE_DIRS.has(normalized) || SENSITIVE_TREES.some((t) => isUnder(normalized, t));
}

export default defineRule({
  meta: {
    id: "sensitive-host-path",
    title: "Sensitive host directory mounted",
    category: "security",
    severity: "high",
    description:
      "Mounting host directories such as `/`, `/etc`, `/proc`, `/root` or the kubelet's state gives the pod node credentials, other pods' secrets or kernel interfaces; with write access it is a direct path to owning the node.",
    remediation:
      "Remove the hostPath volume, or mount only the specific, harmless file or subdirectory the workload needs, read-only.",
    messages: {
      sensitive: "Volume `{{volume}}` mounts the sensitive host directory `{{path}}`.",
    },
    fix: "none",
    standards: { cis: ["5.2.12"], mitre: ["T1611"] },
    concepts: ["W-HOSTPATH-SENS"],
    equivalents: {
      trivy: ["KSV-0121"],
      "kube-linter": ["sensitive-host-mounts"],
      kubescape: ["C-0020"],
      kics: ["5308a7a8-06f8-45ac-bf10-791fe21de46e"],
      kubeaudit: ["mounts/SensitivePathsMounted"],
    },
    notes:
      "Paths are compared after normalising slashes and `.`/`..` segments. Node exporters (`/proc`, `/sys`, `/`), CSI node plugins (`/var/lib/kubelet`, `/dev`) and some CNI agents need these mounts: suppress the finding on them with a reason. Container runtime sockets (`docker.sock`, `containerd.sock`, `crio.sock`) have their own rule and are not reported here; every hostPath is also reported by `host-path-volume`.",
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const v of hostPathVolumes(pod)) {
          if (!isSensitiveHostPath(v.normalized)) continue;
          context.report({
            resource: pod.resource,
            path: [...v.at, "path"],
            messageId: "sensitive",
            data: { volume: v.name, path: v.normalized },
          });
        }
      },
    };
  },
});
