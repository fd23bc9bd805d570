// A rule template for RBAC: "a Role or ClusterRole grants these verbs on these resources". Each
// instance is one rule file with its own ID, messages, fixtures and docs; the matching (wildcards,
// subresources, API groups) is written once here, on top of lib/rbac.ts.
import { defineRule, type Rule, type RuleMeta } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS, type Grant } from "./rbac.js";

export interface GrantRuleSpec {
  meta: Omit<RuleMeta<"grant">, "kinds" | "category" | "fix" | "messages"> & {
    /** The message; `{{kind}}`, `{{name}}`, `{{verbs}}` and `{{resources}}` are filled. */
    message: string;
  };
  /** Any of these grants is reported (one finding per rule entry, on its first matching verb). */
  grants: readonly Grant[];
  /** Rule entries limited to these object names are not reported (e.g. one known ConfigMap). */
  onlyNames?: (names: readonly string[]) => boolean;
}

export function grantRule(spec: GrantRuleSpec): Rule<"grant"> {
  const { message, ...meta } = spec.meta;
  return defineRule({
    meta: { ...meta, category: "rbac", kinds: ROLE_KINDS, fix: "none", messages: { grant: message } },
    create(context) {
      return {
        resource(resource) {
          for (const view of policyRulesOf(resource)) {
            if (spec.onlyNames !== undefined && !spec.onlyNames(view.rule.resourceNames ?? [])) continue;
            for (const grant of spec.grants) {
              const m = matchGrant(view.rule, grant);
              const first = m?.verbs[0];
              if (m === undefined || first === undefined) continue;
              context.report({
                resource,
                path: [...view.path, "verbs", first.index],
                messageId: "grant",
                data: {
                  kind: resource.ref.kind,
                  name: resource.ref.name,
                  verbs: listOf(m.verbs, "every verb"),
                  resources: listOf(m.resources),
                },
              });
              break;
            }
          }
        },
      };
    },
  });
}
