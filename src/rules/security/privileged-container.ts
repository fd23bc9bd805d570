import { defineRule } from "../../core/rule.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "privileged-container",
    title: "Privileged container",
    category: "security",
    severity: "critical",
    description:
      "A privileged container has every capability and all host devices; escaping to the node is trivial, so one compromised process owns the node.",
    remediation:
      "Remove `securityContext.privileged: true`; grant only the specific capabilities the container needs.",
    messages: {
      privileged: "Container `{{container}}` runs privileged.",
    },
    fix: "unsafe",
    standards: {
      pss: "baseline",
      cis: ["5.2.2"],
      nsa: ["Non-root containers and rootless container engines"],
      mitre: ["T1611"],
    },
    concepts: ["W-PRIV"],
    equivalents: {
      trivy: ["KSV-0017"],
      "kube-linter": ["privileged-container"],
      kubescape: ["C-0057"],
      checkov: ["CKV_K8S_16"],
      polaris: ["runAsPrivileged"],
      "kube-score": ["container-security-context-privileged"],
      kics: ["dd29336b-fe57-445b-a26e-e6aa867ae609"],
      kubeaudit: ["privileged/PrivilegedNil", "privileged/PrivilegedTrue"],
      terrascan: ["AC_K8S_0046"],
    },
  },
  create(context) {
    return {
      container(c) {
        if (c.container.securityContext?.privileged === true) {
          reportContainer(
            context,
            c,
            ["securityContext", "privileged"],
            "privileged",
            {},
            setFix(
              ["securityContext", "privileged"],
              false,
              `Set securityContext.privileged: false on container ${c.name}.`,
            ),
          );
        }
      },
    };
  },
});
