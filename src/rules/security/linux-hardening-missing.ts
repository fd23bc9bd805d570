import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { capabilityEntries } from "../lib/capabilities.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer } from "../lib/report.js";
import { effective } from "../lib/security-context.js";

const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export default defineRule({
  meta: {
    id: "linux-hardening-missing",
    title: "Container without any Linux hardening",
    category: "security",
    severity: "low",
    description:
      "seccomp, AppArmor, SELinux and dropped capabilities each shrink what a compromised process can do to the kernel; a container with none of them set relies entirely on the runtime's defaults, which vary by node and runtime.",
    remediation:
      "Set at least one of `seccompProfile: { type: RuntimeDefault }`, an AppArmor profile, SELinux options, or `capabilities.drop: [ALL]` on the container or pod.",
    messages: {
      none: "Container `{{container}}` sets no seccomp, AppArmor or SELinux profile and drops no capability.",
    },
    fix: "none",
    concepts: ["W-HARDEN"],
    equivalents: { kubescape: ["C-0055"], polaris: ["linuxHardening"] },
    standards: { nsa: ["Hardening container environments"] },
    notes:
      "This is the summary check: seccomp-profile, apparmor-profile and capabilities-not-dropped report each missing layer separately and are stricter. Windows pods are skipped. Privileged containers are confined by none of these whatever is set; privileged-container reports them.",
  },
  create(context) {
    return {
      container(c) {
        if (isWindowsPod(c.pod)) return;
        if (effective(c, "seccompProfile").value !== undefined) return;
        if (effective(c, "appArmorProfile").value !== undefined) return;
        if (effective(c, "seLinuxOptions").value !== undefined) return;
        const annotations = c.pod.podMeta.annotations;
        if (isRecord(annotations) && typeof annotations[APPARMOR_ANNOTATION + c.name] === "string") return;
        const podSeccomp = c.pod.podMeta.annotations?.["seccomp.security.alpha.kubernetes.io/pod"];
        if (typeof podSeccomp === "string") return;
        if (capabilityEntries(c, "drop").length > 0) return;
        reportContainer(context, c, ["securityContext"], "none");
      },
    };
  },
});
