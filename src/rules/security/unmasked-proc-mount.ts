import { defineRule } from "../../core/rule.js";
import { isWindowsPod, usesUserNamespace } from "../lib/pod-platform.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "unmasked-proc-mount",
    title: "Unmasked /proc mount",
    category: "security",
    severity: "medium",
    description:
      "Runtimes mask and make read-only sensitive /proc paths (/proc/kcore, /proc/sysrq-trigger, /proc/sys, ...) inside containers. `procMount: Unmasked` removes that protection, exposing kernel memory and host-wide kernel controls to the container.",
    remediation: "Remove `securityContext.procMount` or set it to `Default`.",
    messages: {
      unmasked:
        "Container `{{container}}` sets `procMount: Unmasked`, which removes the default /proc masking.",
      invalidValue:
        "Container `{{container}}` sets `procMount: {{value}}`; the only values are `Default` and `Unmasked` (case-sensitive), and the API server rejects others.",
    },
    fix: "unsafe",
    standards: { pss: "baseline", nsa: ["Pod security enforcement"] },
    concepts: ["W-PROCMOUNT"],
    equivalents: {
      trivy: ["KSV-0027"],
      "kube-linter": ["unsafe-proc-mount"],
      polaris: ["procMount"],
      kics: ["f922827f-aab6-447c-832a-e1ff63312bd3"],
      terrascan: ["AC_K8S_0077"],
    },
    notes:
      "Unmasked /proc is meant for running nested, unprivileged container runtimes inside a pod with its own user namespace (`hostUsers: false`); such pods are not reported, as the Pod Security Standards allow them too. Windows pods are not checked.",
  },
  create(context) {
    return {
      container(c) {
        if (usesUserNamespace(c.pod) || isWindowsPod(c.pod)) return;
        const value = c.container.securityContext?.procMount;
        if (typeof value !== "string" || value === "Default") return;
        reportContainer(
          context,
          c,
          ["securityContext", "procMount"],
          value === "Unmasked" ? "unmasked" : "invalidValue",
          { value },
          setFix(
            ["securityContext", "procMount"],
            "Default",
            `Set securityContext.procMount: Default on container ${c.name}.`,
          ),
        );
      },
    };
  },
});
