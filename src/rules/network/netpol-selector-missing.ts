import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { isNetworkPolicy } from "../lib/network-policies.js";

export default defineRule({
  meta: {
    id: "netpol-selector-missing",
    title: "NetworkPolicy leaves out its pod selector or a peer's selectors",
    category: "network",
    severity: "medium",
    description:
      "A NetworkPolicy without `spec.podSelector` is read as `podSelector: {}` and applies to every pod of the namespace, which an omitted field rarely meant; a `from`/`to` peer with no podSelector, namespaceSelector or ipBlock is rejected by the API server, so the policy is never created.",
    remediation:
      "Set `spec.podSelector` (use `{}` explicitly to select every pod), and give every peer a podSelector, a namespaceSelector or an ipBlock.",
    messages: {
      podSelector:
        "NetworkPolicy `{{name}}` sets no `spec.podSelector`, so it applies to every pod of its namespace.",
      emptyPeer:
        "NetworkPolicy `{{name}}` has a {{direction}} peer without podSelector, namespaceSelector or ipBlock; the API server rejects it.",
    },
    kinds: ["NetworkPolicy"],
    fix: "none",
    concepts: ["N-NP-SELECTOR"],
    equivalents: { trivy: ["KSV-0038"] },
  },
  create(context) {
    return {
      resource(np) {
        // Calico's projectcalico.org NetworkPolicy shares the kind with another shape.
        if (!isNetworkPolicy(np)) return;
        const spec = getIn(np.object, ["spec"]);
        if (!isRecord(spec)) return;
        const data = { name: np.ref.name };
        if (spec["podSelector"] === undefined || spec["podSelector"] === null)
          context.report({ resource: np, path: ["spec", "podSelector"], messageId: "podSelector", data });
        for (const [field, peers] of [
          ["ingress", "from"],
          ["egress", "to"],
        ] as const) {
          const rules = spec[field];
          if (!Array.isArray(rules)) continue;
          rules.forEach((rule: unknown, i) => {
            const list = getIn(rule, [peers]);
            if (!Array.isArray(list)) return;
            list.forEach((peer: unknown, j) => {
              const has = (k: string) => isRecord(peer) && peer[k] !== undefined && peer[k] !== null;
              if (has("podSelector") || has("namespaceSelector") || has("ipBlock")) return;
              context.report({
                resource: np,
                path: ["spec", field, i, peers, j],
                messageId: "emptyPeer",
                data: { ...data, direction: field },
              });
            });
          });
        }
      },
    };
  },
});
