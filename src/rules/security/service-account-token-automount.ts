import { defineRule } from "../../core/rule.js";
import { reportPod, setFix } from "../lib/report.js";
import { findServiceAccount, serviceAccountOf } from "../lib/service-account.js";

export default defineRule({
  meta: {
    id: "service-account-token-automount",
    title: "ServiceAccount token mounted automatically",
    category: "security",
    severity: "medium",
    description:
      "Unless disabled, every container gets a ServiceAccount token at /var/run/secrets/kubernetes.io/serviceaccount; anyone who gains code execution in the pod can read it and call the Kubernetes API with the ServiceAccount's permissions.",
    remediation:
      "Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount) unless the pod calls the Kubernetes API.",
    messages: {
      notDisabled:
        "The pod does not set `automountServiceAccountToken: false`, so the token of ServiceAccount `{{serviceAccount}}` is mounted into every container.",
      enabled:
        "`automountServiceAccountToken: true` mounts the token of ServiceAccount `{{serviceAccount}}` into every container.",
    },
    fix: "unsafe",
    standards: {
      cis: ["5.1.6"],
      nsa: ["Protecting Pod service account tokens"],
      mitre: ["T1528"],
    },
    concepts: ["W-SATOKEN"],
    equivalents: {
      trivy: ["KSV-0036"],
      kubescape: ["C-0034", "C-0190"],
      checkov: ["CKV_K8S_38"],
      polaris: ["automountServiceAccountToken"],
      kics: ["48471392-d4d0-47c0-b135-cdec95eb3eef"],
      terrascan: ["AC_K8S_0045"],
    },
    notes:
      "Pods that talk to the Kubernetes API (operators, controllers, CI runners, service-mesh and monitoring agents) need the token: keep it mounted for them and suppress the finding with a reason. When the pod leaves the field unset, the rule accepts `automountServiceAccountToken: false` on the pod's ServiceAccount, but only if that ServiceAccount is among the scanned files; a pod-level `true` overrides it and is always reported.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const setting = pod.spec.automountServiceAccountToken;
        if (setting === false) return;
        const serviceAccount = serviceAccountOf(pod).name;
        if (setting === true) {
          reportPod(
            context,
            pod,
            ["automountServiceAccountToken"],
            "enabled",
            { serviceAccount },
            AUTOMOUNT_FIX,
          );
          return;
        }
        const sa = findServiceAccount(context.resources, pod, serviceAccount);
        if (sa?.object["automountServiceAccountToken"] === false) return;
        reportPod(context, pod, [], "notDisabled", { serviceAccount }, AUTOMOUNT_FIX);
      },
    };
  },
});

const AUTOMOUNT_FIX = setFix(
  ["automountServiceAccountToken"],
  false,
  "Set automountServiceAccountToken: false in the pod spec (mount a projected token where the app calls the API).",
);
