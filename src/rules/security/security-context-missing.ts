import { defineRule } from "../../core/rule.js";
import { containersOf, isRecord } from "../../core/workloads.js";
import { reportContainer, reportPod } from "../lib/report.js";

/** Unset, `null` and `{}` all leave every setting at the runtime's default. */
function isEmpty(sc: unknown): boolean {
  return !isRecord(sc) || Object.keys(sc).length === 0;
}

export default defineRule({
  meta: {
    id: "security-context-missing",
    title: "securityContext missing",
    category: "security",
    severity: "low",
    description:
      "Without a securityContext a container runs with the runtime's defaults: as the image's user (often root), with privilege escalation allowed, the default capability set and a writable root filesystem.",
    remediation:
      "Add a securityContext to the pod (runAsNonRoot, seccompProfile) and to each container (allowPrivilegeEscalation: false, capabilities.drop: [ALL], readOnlyRootFilesystem: true).",
    messages: {
      podMissing:
        "The pod sets no securityContext, so runAsNonRoot, runAsUser and seccompProfile are left at their defaults for every container that does not set them itself.",
      containerMissing:
        "Container `{{container}}` sets no securityContext; container-only settings such as allowPrivilegeEscalation and capabilities stay at their defaults.",
    },
    fix: "none",
    standards: { cis: ["5.7.3"] },
    concepts: ["W-SECCTX"],
    equivalents: {
      trivy: ["KSV-0118"],
      kubescape: ["C-0211"],
      checkov: ["CKV_K8S_30", "CKV_K8S_29"],
      kics: ["a97a340a-0063-418e-b3a1-3028941d0995"],
      terrascan: ["AC_K8S_0064"],
    },
    notes:
      "This is a coarse check: a securityContext that sets nothing useful passes it. The specific settings have their own rules (run as non-root, privilege escalation, capabilities, read-only root filesystem, seccomp), which are more precise; this rule mainly flags workloads nobody has hardened yet. The pod-level finding is not given when every container sets its own securityContext.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const bare = containersOf(pod).filter((c) => isEmpty(c.container.securityContext));
        if (bare.length === 0) return;
        const podMissing = isEmpty(pod.spec.securityContext);
        for (const c of bare) {
          const at = c.container.securityContext === undefined ? [] : ["securityContext"];
          reportContainer(context, c, at, "containerMissing", {}, undefined, ["securityContext"]);
        }
        if (podMissing) {
          const at = pod.spec.securityContext === undefined ? [] : ["securityContext"];
          reportPod(context, pod, at, "podMissing", {}, undefined, ["securityContext"]);
        }
      },
    };
  },
});
