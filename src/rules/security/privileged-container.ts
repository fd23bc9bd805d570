// An instance of the `field` template: the container field `securityContext.privileged` must not be `true` (the fix sets it to false).
import { fieldTemplate } from "../templates/field.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(fieldTemplate, {
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
  messageIds: { forbidden: "privileged", required: "privileged" },
  options: {
    target: "container",
    path: "securityContext.privileged",
    condition: "equals",
    value: true,
    fixValue: false,
  },
});
