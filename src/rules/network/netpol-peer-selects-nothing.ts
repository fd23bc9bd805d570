import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { selectionResolver } from "../lib/completeness.js";
import { namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { asLabelSelector, isEmptySelector } from "../lib/selectors.js";
import { podsByNamespace } from "../lib/workload-pods.js";
import { isNetworkPolicy } from "../lib/network-policies.js";

export default defineRule({
  meta: {
    id: "netpol-peer-selects-nothing",
    title: "NetworkPolicy peer selects no pod of its namespace",
    category: "network",
    severity: "medium",
    description:
      "A `from`/`to` peer with only a `podSelector` matches pods of the policy's own namespace; when no pod there carries those labels, the rule allows nothing, so the traffic it was written for is dropped (typically after a label was renamed on the workload).",
    remediation:
      "Make the peer's `podSelector` match the labels of the pods it should allow, or add a `namespaceSelector` when they live in another namespace.",
    messages: {
      noMatch:
        "NetworkPolicy `{{name}}` allows {{direction}} {{selector}}, but no workload of its namespace has pods with these labels.",
    },
    kinds: ["NetworkPolicy"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-NP-PEER-DANGLING"],
    equivalents: { "kube-linter": ["dangling-networkpolicypeer-podselector"] },
    notes:
      "Peers with a `namespaceSelector` (pods of other namespaces) and empty pod selectors are not checked. A namespace is judged only when the scan holds workloads in it and looks complete there: its Namespace object is in the scan, or the policy comes from a Helm chart and the selector names the release (`--assume-complete`/`--no-assume-complete` override that, see docs/cross-object.md); a selector value that is the name of a custom resource of the scan is taken to select pods an operator makes for it, and `kube-system` is left alone, as in `service-selector-dangling`.",
  },
  create(context) {
    return {
      end(resources) {
        const scope = namespaceScope(resources);
        const resolve = selectionResolver(resources, context.assumeComplete);
        // Per namespace, computed once: a scan of many objects stays linear.
        const podsIn = podsByNamespace(scope);
        for (const np of resources) {
          if (!isNetworkPolicy(np)) continue;
          const ns = namespaceOf(np);
          if (ns === "kube-system") continue;
          const { pods, crNames } = podsIn(ns);
          if (pods.size === 0) continue;
          for (const [field, peers, direction] of [
            ["ingress", "from", "ingress from"],
            ["egress", "to", "egress to"],
          ] as const) {
            const rules = getIn(np.object, ["spec", field]);
            if (!Array.isArray(rules)) continue;
            rules.forEach((rule: unknown, i) => {
              const list = getIn(rule, [peers]);
              if (!Array.isArray(list)) return;
              list.forEach((peer: unknown, j) => {
                if (!isRecord(peer) || peer["namespaceSelector"] !== undefined) return;
                const selector = asLabelSelector(peer["podSelector"]);
                if (selector === undefined || isEmptySelector(selector)) return;
                if (pods.some(selector)) return;
                const values = [
                  ...Object.values(selector.matchLabels ?? {}),
                  ...(selector.matchExpressions ?? []).flatMap((e) => e.values ?? []),
                ];
                if (values.some((v) => crNames.has(v))) return;
                if (!resolve(np, "Pod", ns, values).complete) return;
                const shown = [
                  ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `\`${k}=${v}\``),
                  ...(selector.matchExpressions ?? []).map(
                    (e) => `\`${e.key} ${e.operator}${e.values ? ` (${e.values.join(", ")})` : ""}\``,
                  ),
                ].join(", ");
                context.report({
                  resource: np,
                  path: ["spec", field, i, peers, j, "podSelector"],
                  messageId: "noMatch",
                  data: { name: np.ref.name, direction, selector: `pods with ${shown}` },
                });
              });
            });
          }
        }
      },
    };
  },
});
