import { defineRule } from "../../core/rule.js";
import { WORKLOAD_KINDS } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "kube-system-namespace",
    title: "Workload in the kube-system namespace",
    category: "security",
    severity: "low",
    description:
      "kube-system holds the cluster's own components and their highly privileged ServiceAccounts and Secrets; an application deployed there shares that namespace's RBAC bindings and exemptions (Pod Security admission is often relaxed for it), so a compromise of it reaches the control plane's credentials.",
    remediation: "Deploy the workload in its own namespace.",
    messages: {
      kubeSystem: "{{kind}} `{{name}}` is deployed in the kube-system namespace.",
    },
    kinds: WORKLOAD_KINDS,
    fix: "none",
    concepts: ["W-NS-KUBESYS"],
    equivalents: { trivy: ["KSV-0037"] },
    notes:
      "Cluster add-ons (CNI, CoreDNS, kube-proxy, metrics-server, CSI drivers, cloud controllers) belong in kube-system: suppress the rule on them, or exempt the namespace in `.kubeward.yaml` when you scan a cluster's add-on repository. Only a namespace written in the manifest counts: one a renderer filled in is not reported.",
  },
  create(context) {
    return {
      resource(r) {
        if (r.ref.namespace !== "kube-system" || r.defaultedNamespace !== undefined) return;
        context.report({
          resource: r,
          path: ["metadata", "namespace"],
          messageId: "kubeSystem",
          data: { kind: r.ref.kind, name: r.ref.name },
        });
      },
    };
  },
});
