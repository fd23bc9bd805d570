import { defineRule } from "../../core/rule.js";
import { BINDING_KINDS, roleRefOf, subjectsOf } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "default-service-account-binding",
    title: "Role bound to a default ServiceAccount",
    category: "rbac",
    severity: "medium",
    description:
      "Every pod that names no ServiceAccount runs as its namespace's `default` ServiceAccount, so permissions bound to it go to every such pod, including ones added later by other teams or charts.",
    remediation:
      "Create a dedicated ServiceAccount for the workload that needs these permissions, bind the role to it, and set `serviceAccountName` in its pod spec.",
    messages: {
      defaultServiceAccount:
        "{{bindingKind}} `{{binding}}` grants {{roleKind}} `{{role}}` to the `default` ServiceAccount{{where}}.",
    },
    kinds: BINDING_KINDS,
    fix: "none",
    standards: { cis: ["5.1.5"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-DEFSA"],
    equivalents: {
      checkov: ["CKV_K8S_42"],
      kics: ["1e749bc9-fde8-471c-af0c-8254efd2dee5"],
      terrascan: ["AC_K8S_0113"],
    },
    notes:
      "Only subjects of kind ServiceAccount named `default` are reported; groups that include every ServiceAccount (`system:serviceaccounts[:<namespace>]`) are not, since Kubernetes binds harmless discovery roles to them itself. A subject without `namespace` in a RoleBinding means the binding's own namespace. Bindings that grant very little (a read-only ConfigMap Role) are still reported: the fix costs one ServiceAccount.",
  },
  create(context) {
    return {
      resource(resource) {
        const ref = roleRefOf(resource);
        if (ref === undefined) return;
        for (const s of subjectsOf(resource)) {
          if (s.kind !== "ServiceAccount" || s.name !== "default") continue;
          const ns = s.namespace ?? resource.ref.namespace;
          context.report({
            resource,
            path: s.path,
            messageId: "defaultServiceAccount",
            data: {
              bindingKind: resource.ref.kind,
              binding: resource.ref.name,
              roleKind: ref.kind,
              role: ref.name,
              where: ns === undefined ? "" : ` of namespace \`${ns}\``,
            },
          });
        }
      },
    };
  },
});
