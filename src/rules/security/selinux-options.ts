import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer, reportPod } from "../lib/report.js";

/** The SELinux types the Pod Security Standards (baseline) allow. */
const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

/** Problems of one `seLinuxOptions` mapping: a custom type, user or role, with the path of each. */
function problems(options: unknown): { at: Path; field: string; value: string }[] {
  if (!isRecord(options)) return [];
  const out: { at: Path; field: string; value: string }[] = [];
  const type = options["type"];
  if (typeof type === "string" && type !== "" && !ALLOWED_TYPES.has(type))
    out.push({ at: ["type"], field: "type", value: type });
  for (const field of ["user", "role"]) {
    const v = options[field];
    if (typeof v === "string" && v !== "") out.push({ at: [field], field, value: v });
  }
  return out;
}

export default defineRule({
  meta: {
    id: "selinux-options",
    title: "Custom SELinux type, user or role",
    category: "security",
    severity: "high",
    description:
      "SELinux confines a container through its type (`container_t`); setting another type (`spc_t`, `unconfined_t`), or a custom user or role, lifts that confinement and can give the container the run of the node.",
    remediation:
      "Remove `seLinuxOptions.type`, `user` and `role`, or set the type to `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`; only `level` may be set freely.",
    messages: {
      pod: "The pod sets SELinux {{field}} `{{value}}`, which the baseline Pod Security Standard forbids.",
      container:
        "Container `{{container}}` sets SELinux {{field}} `{{value}}`, which the baseline Pod Security Standard forbids.",
    },
    fix: "none",
    standards: { pss: "baseline", nsa: ["Pod security enforcement"], mitre: ["T1611"] },
    concepts: ["W-SELINUX"],
    equivalents: { trivy: ["KSV-0025"] },
    notes:
      "The allowed types are those of the Pod Security Standards (baseline); `level` (MCS categories) is not checked. Node agents that must manage the host (CSI node plugins, some CNIs) run as `spc_t`: exempt them explicitly. Windows pods ignore SELinux, but the API server still applies the standard, so they are reported too.",
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const p of problems(pod.spec.securityContext?.seLinuxOptions))
          reportPod(context, pod, ["securityContext", "seLinuxOptions", ...p.at], "pod", {
            field: p.field,
            value: p.value,
          });
      },
      container(c) {
        for (const p of problems(c.container.securityContext?.seLinuxOptions))
          reportContainer(context, c, ["securityContext", "seLinuxOptions", ...p.at], "container", {
            field: p.field,
            value: p.value,
          });
      },
    };
  },
});
