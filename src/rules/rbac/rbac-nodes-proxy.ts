import { defineRule } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

export default defineRule({
  meta: {
    id: "rbac-nodes-proxy",
    title: "Role can use the nodes/proxy subresource",
    category: "rbac",
    severity: "high",
    description:
      "`nodes/proxy` gives direct access to the kubelet API of every node, which can run commands in any container on it; requests through it bypass admission control and audit logging of pod exec.",
    remediation:
      "Remove `nodes/proxy` from the rule; read node metrics through `nodes/metrics` and `nodes/stats` instead.",
    messages: {
      nodesProxy: "{{kind}} `{{name}}` can {{verbs}} nodes/proxy (the kubelet API).",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.10"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-NODEPROXY"],
    equivalents: {
      trivy: ["KSV-0047"],
      kubescape: ["C-0279"],
      checkov: ["CKV2_K8S_2"],
    },
    notes:
      'Every verb is reported, `get` included: the kubelet maps a WebSocket upgrade (a GET request) to `get`, which is enough to open `/exec` on kubelets that do not force `create` for it. Monitoring agents (Prometheus, Datadog) often ask for nodes/proxy only to scrape metrics: move them to `nodes/metrics`/`nodes/stats` where they support it, else suppress with a reason. `resources: ["*"]` is left to `rbac-wildcard`.',
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          // Any verb on nodes/proxy reaches some kubelet endpoint; see the notes for `get`.
          const m = matchGrant(view.rule, {
            apiGroups: [""],
            resources: ["nodes/proxy"],
            verbs: view.rule.verbs,
          });
          const first = m?.verbs[0];
          if (m === undefined || first === undefined) continue;
          context.report({
            resource,
            path: [...view.path, "verbs", first.index],
            messageId: "nodesProxy",
            data: { kind: resource.ref.kind, name: resource.ref.name, verbs: listOf(m.verbs, "use") },
          });
        }
      },
    };
  },
});
