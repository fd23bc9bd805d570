import { defineRule } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "rbac-webhook-config-write",
    title: "Role can change admission webhook configurations",
    category: "rbac",
    severity: "high",
    description:
      "A subject that can write ValidatingWebhookConfigurations or MutatingWebhookConfigurations can switch off admission policies, or register a webhook that receives (and rewrites) every object sent to the API server, Secrets included.",
    remediation:
      "Remove write verbs on `validatingwebhookconfigurations` and `mutatingwebhookconfigurations`, or restrict them with `resourceNames` to the controller's own webhook.",
    messages: {
      writeWebhooks: "{{kind}} `{{name}}` can {{verbs}} {{resources}}.",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.12"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-WEBHOOK"],
    equivalents: {
      trivy: ["KSV-0114"],
      kubescape: ["C-0281"],
      checkov: ["CKV_K8S_155"],
    },
    notes:
      "Controllers that patch their own webhook's CA bundle (cert-manager's cainjector, many operators) need update/patch; restrict them with `resourceNames`, which this rule then accepts. Read access is not reported. `resources: [\"*\"]` is left to `rbac-wildcard`.",
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          if ((view.rule.resourceNames ?? []).length > 0) continue;
          const m = matchGrant(view.rule, {
            apiGroups: ["admissionregistration.k8s.io"],
            resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
            verbs: ["create", "update", "patch", "delete", "deletecollection"],
          });
          const first = m?.verbs[0];
          if (m === undefined || first === undefined) continue;
          context.report({
            resource,
            path: [...view.path, "verbs", first.index],
            messageId: "writeWebhooks",
            data: {
              kind: resource.ref.kind,
              name: resource.ref.name,
              verbs: listOf(m.verbs, "create, update, patch and delete"),
              resources: listOf(m.resources),
            },
          });
        }
      },
    };
  },
});
