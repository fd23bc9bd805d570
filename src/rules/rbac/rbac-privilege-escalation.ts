import { defineRule } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

const RBAC_GROUP = "rbac.authorization.k8s.io";

export default defineRule({
  meta: {
    id: "rbac-privilege-escalation",
    title: "Role can escalate privileges through RBAC",
    category: "rbac",
    severity: "high",
    description:
      "The `escalate` and `bind` verbs switch off the API server's guard against privilege escalation: the subject can write or bind Roles with permissions it does not hold, up to cluster-admin. Write access to Roles and bindings lets it grant its own permissions to any other subject.",
    remediation:
      "Remove `bind`, `escalate` and write verbs on Roles, ClusterRoles and their bindings from the rule, or restrict them with `resourceNames` to the roles that may be bound.",
    messages: {
      bindOrEscalate: "{{kind}} `{{name}}` can {{verbs}} {{resources}}, bypassing RBAC's escalation check.",
      writeRbac: "{{kind}} `{{name}}` can {{verbs}} {{resources}}.",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.8"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-ESCALATE"],
    equivalents: {
      trivy: ["KSV-0051", "KSV-0052", "KSV-0055", "KSV-0050"],
      kubescape: ["C-0191"],
      checkov: ["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_1"],
      kics: ["8320826e-7a9c-4b0b-9535-578333193432"],
    },
    notes:
      'Tools that manage access (namespace provisioners, operators that create Roles for their workloads, Argo CD/Flux) need these verbs: suppress the rule on them with a reason. Without `bind` or `escalate`, the API server only lets a subject create Roles and bindings for permissions it already holds, which is why plain write access is reported with its own message. Rules with `resourceNames` are still reported; `resources: ["*"]` is left to `rbac-wildcard`.',
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          const data = { kind: resource.ref.kind, name: resource.ref.name };
          const esc = matchGrant(view.rule, {
            apiGroups: [RBAC_GROUP],
            resources: ["roles", "clusterroles"],
            verbs: ["bind", "escalate"],
          });
          const verb = esc?.verbs[0];
          if (esc !== undefined && verb !== undefined) {
            context.report({
              resource,
              path: [...view.path, "verbs", verb.index],
              messageId: "bindOrEscalate",
              data: {
                ...data,
                verbs: listOf(esc.verbs, "bind and escalate"),
                resources: listOf(esc.resources),
              },
            });
            continue;
          }
          const write = matchGrant(view.rule, {
            apiGroups: [RBAC_GROUP],
            resources: ["roles", "clusterroles", "rolebindings", "clusterrolebindings"],
            verbs: ["create", "update", "patch"],
          });
          const w = write?.verbs[0];
          if (write === undefined || w === undefined) continue;
          context.report({
            resource,
            path: [...view.path, "verbs", w.index],
            messageId: "writeRbac",
            data: {
              ...data,
              verbs: listOf(write.verbs, "create, update and patch"),
              resources: listOf(write.resources),
            },
          });
        }
      },
    };
  },
});
