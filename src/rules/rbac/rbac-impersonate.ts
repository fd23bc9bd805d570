import { defineRule } from "../../core/rule.js";
import {
  hasResourceNames,
  listOf,
  matchGrant,
  policyRulesOf,
  ROLE_KINDS,
  type GrantMatch,
} from "../lib/rbac.js";

/** Identities that can be impersonated, by API group. */
const IDENTITIES: readonly { group: string; resources: string[] }[] = [
  { group: "", resources: ["users", "groups", "serviceaccounts"] },
  { group: "authentication.k8s.io", resources: ["uids", "userextras/*"] },
];

export default defineRule({
  meta: {
    id: "rbac-impersonate",
    title: "Role can impersonate users, groups or ServiceAccounts",
    category: "rbac",
    severity: "high",
    description:
      "The impersonate verb lets a subject send requests as another user, group or ServiceAccount; unrestricted, it can impersonate the `system:masters` group and act as cluster-admin.",
    remediation:
      "Remove the `impersonate` verb, or restrict it with `resourceNames` to the specific non-system identities that must be impersonated.",
    messages: {
      impersonate: "{{kind}} `{{name}}` can impersonate all {{resources}}.",
      impersonatePrivileged: "{{kind}} `{{name}}` can impersonate control-plane identities: {{names}}.",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.8"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-IMPERSONATE"],
    equivalents: {
      trivy: ["KSV-0043"],
      kubescape: ["C-0065", "C-0191"],
      checkov: ["CKV2_K8S_3"],
      kics: ["9f85c3f6-26fd-4007-938a-2e0cb0100980"],
    },
    notes:
      'Authenticating proxies and multi-tenancy gateways (kube-oidc-proxy, Rancher, Pinniped) impersonate by design: suppress the rule on their Roles with a reason. A rule restricted with `resourceNames` is reported only when it names a `system:` user or group (such as `system:masters`) or is a kube-system Role naming ServiceAccounts; ServiceAccounts of kube-system named in a ClusterRole are not recognised. `resources: ["*"]` is left to `rbac-wildcard`.',
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          const matches: GrantMatch[] = [];
          for (const { group, resources } of IDENTITIES) {
            const m = matchGrant(view.rule, { apiGroups: [group], resources, verbs: ["impersonate"] });
            if (m !== undefined) matches.push(m);
          }
          const verb = matches[0]?.verbs[0];
          if (verb === undefined) continue;
          const path = [...view.path, "verbs", verb.index];
          const data = { kind: resource.ref.kind, name: resource.ref.name };
          if (!hasResourceNames(view.rule)) {
            const resources = listOf(matches.flatMap((m) => m.resources));
            context.report({ resource, path, messageId: "impersonate", data: { ...data, resources } });
            continue;
          }
          // Users and groups named `system:...` are Kubernetes' own (system:masters, system:admin,
          // system:kube-controller-manager); ServiceAccounts are named without their namespace, so
          // any name in a kube-system Role is one of the control plane's.
          const all = view.rule.resourceNames ?? [];
          const saInKubeSystem =
            resource.ref.namespace === "kube-system" &&
            matches.some((m) =>
              m.resources.some((r) => r.value === "serviceaccounts" || r.value === "*/serviceaccounts"),
            );
          const names = saInKubeSystem ? all : all.filter((n) => n.startsWith("system:"));
          const firstName = names[0];
          if (firstName === undefined) continue;
          context.report({
            resource,
            path: [...view.path, "resourceNames", all.indexOf(firstName)],
            messageId: "impersonatePrivileged",
            data: { ...data, names: names.join(", ") },
          });
        }
      },
    };
  },
});
