import { defineRule } from "../../core/rule.js";
import { BINDING_KINDS, describeSubject, roleRefOf, subjectsOf } from "../lib/rbac.js";

/** ClusterRoles Kubernetes itself binds to everyone: discovery and public info, harmless by design. */
const PUBLIC_ROLES: ReadonlySet<string> = new Set([
  "system:public-info-viewer",
  "system:discovery",
  "system:basic-user",
]);

export default defineRule({
  meta: {
    id: "rbac-anonymous-binding",
    title: "Binding grants a role to anonymous or all authenticated users",
    category: "rbac",
    severity: "high",
    description:
      "`system:anonymous` and `system:unauthenticated` are anyone who can reach the API server without credentials; `system:authenticated` is anyone with any credential, every ServiceAccount of every namespace included (and on managed clusters, sometimes any cloud account). A role bound to them is granted to the whole network or the whole cluster.",
    remediation: "Bind the role to the specific users, groups or ServiceAccounts that need it instead.",
    messages: {
      anonymous:
        "{{bindingKind}} `{{binding}}` grants {{role}} to {{subject}}, i.e. to unauthenticated callers.",
      authenticated:
        "{{bindingKind}} `{{binding}}` grants {{role}} to the group `system:authenticated`, i.e. to every authenticated user and ServiceAccount.",
    },
    kinds: BINDING_KINDS,
    fix: "none",
    standards: { cis: ["5.1.1"], nsa: ["Authentication and authorization"], mitre: ["T1078.001"] },
    concepts: ["RB-ANON"],
    equivalents: { trivy: ["KSV-0122", "KSV-01011"], kubescape: ["C-0262", "C-0265"] },
    notes:
      "The ClusterRoles Kubernetes binds to everyone by default (`system:public-info-viewer`, `system:discovery`, `system:basic-user`) are not reported. A role granted to `system:authenticated` is reported whatever it grants: the rule does not resolve the role, so a binding of a harmless custom role (for example read-only access to a public ConfigMap) is a false positive to suppress with a reason.",
  },
  create(context) {
    return {
      resource(resource) {
        const ref = roleRefOf(resource);
        if (ref === undefined || PUBLIC_ROLES.has(ref.name)) return;
        for (const s of subjectsOf(resource)) {
          const data = {
            binding: resource.ref.name,
            bindingKind: resource.ref.kind,
            role: `${ref.kind} \`${ref.name}\``,
            subject: describeSubject(s),
          };
          const anonymous =
            (s.kind === "User" && s.name === "system:anonymous") ||
            (s.kind === "Group" && s.name === "system:unauthenticated");
          if (anonymous) context.report({ resource, path: s.path, messageId: "anonymous", data });
          else if (s.kind === "Group" && s.name === "system:authenticated")
            context.report({ resource, path: s.path, messageId: "authenticated", data });
        }
      },
    };
  },
});
