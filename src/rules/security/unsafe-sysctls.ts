import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

/**
 * The sysctls the Pod Security Standards (baseline) allow: namespaced and isolated from other pods.
 * The last five were added in Kubernetes 1.27 and 1.29.
 */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/**
 * Sysctl names may use `/` as the separator (`net/ipv4/tcp_syncookies`); then `.` is part of a
 * segment. Kubernetes normalises by swapping the two when the first separator is `/`.
 */
export function normalizeSysctlName(name: string): string {
  const slash = name.indexOf("/");
  const dot = name.indexOf(".");
  if (slash === -1 || (dot !== -1 && dot < slash)) return name;
  return name.replace(/[./]/g, (ch) => (ch === "/" ? "." : "/"));
}

export default defineRule({
  meta: {
    id: "unsafe-sysctls",
    title: "Unsafe sysctl",
    category: "security",
    severity: "medium",
    description:
      "Sysctls outside the safe set are either not namespaced, so they change the kernel for every pod on the node, or can starve or break other pods; the kubelet also refuses to start pods that use them unless it was configured to allow them.",
    remediation:
      "Remove the sysctl from `securityContext.sysctls`, or tune it on the nodes instead of in the pod.",
    messages: {
      unsafe: "The pod sets sysctl `{{name}}`, which is not in the safe set.",
    },
    fix: "unsafe",
    standards: { pss: "baseline" },
    concepts: ["W-SYSCTL"],
    equivalents: {
      trivy: ["KSV-0026"],
      "kube-linter": ["unsafe-sysctls"],
      kics: ["9127f0d9-2310-42e7-866f-5fd9d20dcbad"],
      terrascan: ["AC_K8S_0074"],
    },
    notes:
      "The safe set is that of the Pod Security Standards for current Kubernetes; before 1.29 (and 1.27 for `net.ipv4.ip_local_reserved_ports`) fewer sysctls were safe. Namespaced sysctls such as `net.core.somaxconn` are a legitimate tuning knob on nodes whose kubelet allows them (`--allowed-unsafe-sysctls`) and that are dedicated to the workload: suppress the finding there with a reason.",
  },
  create(context) {
    return {
      podSpec(pod) {
        (pod.spec.securityContext?.sysctls ?? []).forEach((s, i) => {
          if (!isRecord(s) || typeof s.name !== "string" || SAFE_SYSCTLS.has(normalizeSysctlName(s.name)))
            return;
          reportPod(
            context,
            pod,
            ["securityContext", "sysctls", i, "name"],
            "unsafe",
            { name: s.name },
            {
              fix: {
                description: `Remove the unsafe sysctl ${s.name} from the pod securityContext.`,
                ops: [{ op: "remove", path: ["securityContext", "sysctls", i] }],
              },
            },
          );
        });
      },
    };
  },
});
