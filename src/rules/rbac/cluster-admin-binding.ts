import { defineRule } from "../../core/rule.js";
import { BINDING_KINDS, describeSubject, roleRefOf, subjectsOf } from "../lib/rbac.js";

/** Groups that hold every user, every authenticated user or every ServiceAccount of the cluster. */
const EVERYONE = new Set(["system:authenticated", "system:unauthenticated", "system:serviceaccounts"]);

/** What a finding at a subject is caused by: the role it is bound to (a chart's values key may set it). */
const ROLE_NAME = ["roleRef", "name"];

export default defineRule({
  meta: {
    id: "cluster-admin-binding",
    title: "Binding to cluster-admin",
    category: "rbac",
    severity: "critical",
    description:
      "cluster-admin allows every action on every resource; a subject bound to it (for example a ServiceAccount whose pod gets compromised) owns the whole cluster, or with a RoleBinding every object of the namespace, Secrets and RBAC included.",
    remediation:
      "Bind a Role or ClusterRole that grants only the verbs and resources the subject needs instead of `cluster-admin`.",
    messages: {
      clusterAdmin:
        "ClusterRoleBinding `{{binding}}` grants cluster-admin on the whole cluster to {{subject}}.",
      namespaceAdmin:
        "RoleBinding `{{binding}}` grants cluster-admin in its namespace to {{subject}}; prefer the `admin` or `edit` ClusterRole.",
      everyone:
        "{{bindingKind}} `{{binding}}` grants cluster-admin to the group `{{group}}`, i.e. to everyone in it.",
    },
    kinds: BINDING_KINDS,
    fix: "none",
    standards: { cis: ["5.1.1"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-ADMIN"],
    equivalents: {
      trivy: ["KSV-0111"],
      "kube-linter": ["cluster-admin-role-binding"],
      kubescape: ["C-0035", "C-0185"],
      polaris: [
        "clusterrolebindingClusterAdmin",
        "rolebindingClusterAdminClusterRole",
        "rolebindingClusterAdminRole",
      ],
      kics: ["249328b8-5f0f-409f-b1dd-029f07882e11"],
    },
    notes:
      "The group `system:masters` is not reported: Kubernetes creates the `cluster-admin` ClusterRoleBinding to it itself, and its members bypass RBAC anyway. Only the built-in `cluster-admin` ClusterRole is recognised; custom ClusterRoles with full wildcards are reported by `rbac-wildcard`. Cluster operators and some infrastructure controllers (for example Argo CD managing the whole cluster) need it; suppress the rule on those bindings with a reason.",
  },
  create(context) {
    return {
      resource(resource) {
        const ref = roleRefOf(resource);
        if (ref?.kind !== "ClusterRole" || ref.name !== "cluster-admin") return;
        const clusterWide = resource.ref.kind === "ClusterRoleBinding";
        for (const s of subjectsOf(resource)) {
          if (s.kind === "Group" && s.name === "system:masters") continue;
          const data = {
            binding: resource.ref.name,
            bindingKind: resource.ref.kind,
            subject: describeSubject(s),
          };
          if (s.kind === "Group" && EVERYONE.has(s.name)) {
            context.report({
              resource,
              path: s.path,
              field: ROLE_NAME,
              messageId: "everyone",
              data: { ...data, group: s.name },
            });
          } else {
            context.report({
              resource,
              path: s.path,
              field: ROLE_NAME,
              messageId: clusterWide ? "clusterAdmin" : "namespaceAdmin",
              data,
            });
          }
        }
      },
    };
  },
});
