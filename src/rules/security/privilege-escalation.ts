import { defineRule } from "../../core/rule.js";
import { capabilityEntries, isAllCapabilities } from "../lib/capabilities.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "privilege-escalation",
    title: "Privilege escalation allowed",
    category: "security",
    severity: "medium",
    description:
      "Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its parent through set-user-ID binaries or file capabilities (the kernel's `no_new_privs` flag stays off), so a non-root process may still become root.",
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    messages: {
      missing:
        "Container `{{container}}` does not set `allowPrivilegeEscalation: false`, so it defaults to true.",
      setToTrue: "Container `{{container}}` sets `allowPrivilegeEscalation: true`.",
      ineffective:
        "Container `{{container}}` sets `allowPrivilegeEscalation: false`, but it {{reason}}, so privilege escalation stays possible.",
    },
    fix: "unsafe",
    standards: { pss: "restricted", cis: ["5.2.6"], nsa: ["Pod security enforcement"] },
    concepts: ["W-PRIVESC"],
    equivalents: {
      trivy: ["KSV-0001"],
      "kube-linter": ["privilege-escalation-container"],
      kubescape: ["C-0016"],
      checkov: ["CKV_K8S_20"],
      polaris: ["privilegeEscalationAllowed"],
      kics: ["5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d"],
      kubeaudit: ["privesc/AllowPrivilegeEscalationNil", "privesc/AllowPrivilegeEscalationTrue"],
      terrascan: ["AC_K8S_0085"],
    },
    notes:
      "Containers that rely on set-user-ID programs (sudo, su, ping on old images, some package managers at run time) stop working with the flag set. Windows pods, which do not support it, are not checked.",
  },
  create(context) {
    return {
      container(c) {
        if (isWindowsPod(c.pod)) return;
        const sc = c.container.securityContext;
        const value = sc?.allowPrivilegeEscalation;
        const fix = setFix(
          ["securityContext", "allowPrivilegeEscalation"],
          false,
          `Set securityContext.allowPrivilegeEscalation: false on container ${c.name}.`,
        );
        if (value === true) {
          reportContainer(context, c, ["securityContext", "allowPrivilegeEscalation"], "setToTrue", {}, fix);
          return;
        }
        if (value === false) {
          // Kubernetes documents escalation as always allowed for these, whatever the flag says.
          const added = capabilityEntries(c, "add");
          const reason =
            sc?.privileged === true
              ? "runs privileged"
              : added.some((e) => isAllCapabilities(e.name))
                ? "adds ALL capabilities"
                : added.some((e) => e.normalized === "SYS_ADMIN")
                  ? "adds CAP_SYS_ADMIN"
                  : undefined;
          if (reason !== undefined) {
            reportContainer(
              context,
              c,
              ["securityContext", "allowPrivilegeEscalation"],
              "ineffective",
              { reason },
              {
                noFix: `the container ${reason}; that is what to change (see privileged-container and the capability rules)`,
              },
            );
          }
          return;
        }
        reportContainer(
          context,
          c,
          deepestExisting(c.container, ["securityContext", "allowPrivilegeEscalation"]),
          "missing",
          {},
          fix,
        );
      },
    };
  },
});
