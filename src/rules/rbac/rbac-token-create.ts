import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-token-create",
    title: "Role can create ServiceAccount tokens",
    severity: "high",
    description:
      "`create` on `serviceaccounts/token` mints a token for a ServiceAccount: the subject gains every permission of that ServiceAccount (of every ServiceAccount in reach, without `resourceNames`), for as long as the token lives.",
    remediation:
      "Remove `create` on `serviceaccounts/token`, or limit it with `resourceNames` to the one ServiceAccount the subject must act as.",
    message: "{{kind}} `{{name}}` can create ServiceAccount tokens ({{verbs}} on {{resources}}).",
    concepts: ["RB-TOKEN"],
    equivalents: { kubescape: ["C-0282"] },
    standards: { cis: ["5.1.13"], mitre: ["T1528"] },
    notes:
      "Rule entries limited by `resourceNames` are still reported when they name more than one ServiceAccount; a single named ServiceAccount is the least-privilege form and is not reported. Token brokers (Vault's Kubernetes secrets engine, CI OIDC bridges) need it: suppress with a reason.",
  },
  grants: [{ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }],
  onlyNames: (names) => names.length !== 1,
});
