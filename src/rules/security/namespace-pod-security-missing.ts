import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

const ENFORCE = "pod-security.kubernetes.io/enforce";

export default defineRule({
  meta: {
    id: "namespace-pod-security-missing",
    title: "Namespace does not enforce a Pod Security Standard",
    category: "security",
    severity: "medium",
    description:
      "Without a `pod-security.kubernetes.io/enforce` label (or with `privileged`), the Pod Security admission controller lets any pod into the namespace: privileged containers, host namespaces and hostPath volumes are admitted unless another policy engine stops them.",
    remediation:
      "Label the Namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline`), optionally pinning `enforce-version`.",
    messages: {
      unset:
        "Namespace `{{name}}` has no `pod-security.kubernetes.io/enforce` label, so any pod is admitted.",
      privileged:
        "Namespace `{{name}}` enforces the `privileged` Pod Security Standard, which admits any pod.",
    },
    kinds: ["Namespace"],
    fix: "none",
    enabledByDefault: false,
    standards: { nsa: ["Pod security enforcement"] },
    concepts: ["NS-PSA"],
    equivalents: {
      kubescape: [
        "C-0192",
        "C-0193",
        "C-0194",
        "C-0195",
        "C-0196",
        "C-0197",
        "C-0198",
        "C-0199",
        "C-0200",
        "C-0201",
        "C-0202",
        "C-0203",
        "C-0204",
      ],
    },
    notes:
      "Off by default: only Namespace objects of the scan are checked, and they are often kept with the platform's configuration rather than the application's. Clusters that enforce pod security with another admission controller (Kyverno, Gatekeeper) or with the admission configuration's cluster-wide defaults do not need the label; disable the rule there. Namespaces for node agents and CNI plugins need `privileged`: suppress the finding for them with that reason. `kube-system`, `kube-public` and `kube-node-lease` are not checked.",
  },
  create(context) {
    return {
      resource(ns) {
        if (["kube-system", "kube-public", "kube-node-lease"].includes(ns.ref.name)) return;
        const value = getIn(ns.object, ["metadata", "labels", ENFORCE]);
        const data = { name: ns.ref.name };
        if (value === "privileged")
          context.report({
            resource: ns,
            path: ["metadata", "labels", ENFORCE],
            messageId: "privileged",
            data,
          });
        else if (typeof value !== "string" || value === "")
          context.report({ resource: ns, path: ["metadata", "labels", ENFORCE], messageId: "unset", data });
      },
    };
  },
});
