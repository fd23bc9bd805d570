import { defineRule } from "../../core/rule.js";
import { listOf, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "rbac-wildcard",
    title: "Wildcard in Role or ClusterRole rules",
    category: "rbac",
    severity: "high",
    description:
      'A "*" in verbs grants every verb, including escalate, bind, impersonate and delete; a "*" in resources grants every resource, Secrets included, and every resource added to the API later.',
    remediation: "Replace the `*` with the explicit verbs and resources the subject needs.",
    messages: {
      wildcardVerb: '{{kind}} `{{name}}` grants every verb ("*") on {{resources}}.',
      wildcardResource: '{{kind}} `{{name}}` grants access to every resource ("*") in its API groups.',
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.3"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-WILDCARD"],
    equivalents: {
      trivy: ["KSV-0044", "KSV-0045", "KSV-0046", "KSV-0112"],
      "kube-linter": ["wildcard-in-rules"],
      kubescape: ["C-0187"],
      checkov: ["CKV_K8S_49"],
      kics: ["6b896afb-ca07-467a-b256-1a0077a1c08e"],
    },
    notes:
      'Only `verbs` and `resources` are checked: `apiGroups: ["*"]` with named resources, `*/subresource` entries and `nonResourceURLs` wildcards are not reported. Admin roles meant for cluster operators legitimately use wildcards; suppress the rule on them. Aggregated ClusterRoles have no rules of their own and are not reported.',
  },
  create(context) {
    return {
      resource(resource) {
        const data = { kind: resource.ref.kind, name: resource.ref.name };
        for (const view of policyRulesOf(resource)) {
          const verb = view.rule.verbs.indexOf("*");
          if (verb >= 0) {
            const targets = view.rule.resources ?? view.rule.nonResourceURLs ?? [];
            const resources = targets.includes("*")
              ? "every resource"
              : listOf(targets.map((value) => ({ value })));
            context.report({
              resource,
              path: [...view.path, "verbs", verb],
              messageId: "wildcardVerb",
              data: { ...data, resources },
            });
          }
          const res = (view.rule.resources ?? []).indexOf("*");
          if (res >= 0) {
            context.report({
              resource,
              path: [...view.path, "resources", res],
              messageId: "wildcardResource",
              data,
            });
          }
        }
      },
    };
  },
});
