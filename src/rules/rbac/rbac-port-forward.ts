import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-port-forward",
    title: "Role can port-forward to pods",
    severity: "medium",
    description:
      "Port-forwarding opens a tunnel from the caller to any port of a pod, past Services, Ingresses and NetworkPolicies: databases and admin ports that are never exposed become reachable from a laptop.",
    remediation: "Remove `pods/portforward` from the rule, and grant it only to break-glass operator roles.",
    message: "{{kind}} `{{name}}` can port-forward to pods ({{verbs}} on {{resources}}).",
    concepts: ["RB-PORTFWD"],
    equivalents: { kubescape: ["C-0063"], kics: ["38fa11ef-dbcc-4da8-9680-7e1fd855b6fb"] },
    standards: { mitre: ["T1090"] },
    notes:
      '`create` is what kubectl\'s SPDY port-forward needs; the WebSocket variant is a GET request, so `get` is reported too (as for exec, Kubernetes 1.35 also asks for `create`). `resources: ["*"]` is left to rbac-wildcard. Developer roles in development namespaces commonly have it: suppress with a reason there.',
  },
  grants: [{ apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"] }],
});
