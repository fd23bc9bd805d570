import { defineRule } from "../../core/rule.js";
import { BINDING_KINDS, describeSubject, subjectsOf } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "rbac-system-masters-binding",
    title: "Binding names the system:masters group",
    category: "rbac",
    severity: "high",
    description:
      "Members of `system:masters` bypass RBAC and every authorization webhook: no Role, binding or admission rule can limit them, and their access cannot be revoked short of rotating the cluster's CA. Binding the group to a role adds nothing and signals that the group is in use.",
    remediation:
      "Do not use `system:masters`: bind the subjects that need broad rights to a ClusterRole through a named group, so that the grant can be reviewed and revoked.",
    messages: {
      masters: "{{bindingKind}} `{{binding}}` names {{subject}}, whose members bypass RBAC entirely.",
    },
    kinds: BINDING_KINDS,
    fix: "none",
    standards: { cis: ["5.1.7"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-MASTERS"],
    equivalents: { trivy: ["KSV-0123"], kubescape: ["C-0246"] },
    notes:
      "The `cluster-admin` ClusterRoleBinding to `system:masters` that Kubernetes creates itself lives in the cluster, not in manifests; when a manifest carries it (a cluster backup, a kind/kubeadm dump), suppress the rule there. Certificates whose organisation is `system:masters` are the real risk and cannot be seen in manifests.",
  },
  create(context) {
    return {
      resource(resource) {
        for (const s of subjectsOf(resource)) {
          if (s.kind !== "Group" || s.name !== "system:masters") continue;
          context.report({
            resource,
            path: s.path,
            messageId: "masters",
            data: { binding: resource.ref.name, bindingKind: resource.ref.kind, subject: describeSubject(s) },
          });
        }
      },
    };
  },
});
