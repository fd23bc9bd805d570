import { defineRule } from "../../core/rule.js";
import { hasResourceNames, listOf, matchGrant, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "rbac-secrets-access",
    title: "Role can read Secrets",
    category: "rbac",
    severity: "high",
    description:
      "Whoever can get, list or watch Secrets reads every credential they hold, including ServiceAccount tokens, TLS keys and database passwords, and can act as any of those identities.",
    remediation:
      "Remove get/list/watch on `secrets`, or limit the rule to the Secrets the workload needs with `resourceNames`.",
    messages: {
      readSecrets: "{{kind}} `{{name}}` can {{verbs}} Secrets.",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.2"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-SECRETS"],
    equivalents: {
      trivy: ["KSV-0113", "KSV-0041"],
      "kube-linter": ["access-to-secrets"],
      kubescape: ["C-0015", "C-0186"],
      checkov: ["CKV2_K8S_5"],
      kics: ["b7bca5c4-1dab-4c2c-8cbe-3050b9d59b14", "056ac60e-fe07-4acc-9b34-8e1d51716ab9"],
    },
    notes:
      'Controllers that manage Secrets (cert-manager, external-secrets, sealed-secrets, operators) need this; suppress the rule on their Roles. Rules restricted with `resourceNames` are not reported, and `resources: ["*"]` is left to `rbac-wildcard`. A Role is checked on its own: whether anything binds it is not considered.',
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          if (hasResourceNames(view.rule)) continue;
          const m = matchGrant(view.rule, {
            apiGroups: [""],
            resources: ["secrets"],
            verbs: ["get", "list", "watch"],
          });
          const first = m?.verbs[0];
          if (m === undefined || first === undefined) continue;
          const verbs = listOf(m.verbs, "get, list and watch");
          context.report({
            resource,
            path: [...view.path, "verbs", first.index],
            messageId: "readSecrets",
            data: { kind: resource.ref.kind, name: resource.ref.name, verbs },
          });
        }
      },
    };
  },
});
