import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { asLabelSelector, isEmptySelector } from "../lib/selectors.js";
import { isNetworkPolicy } from "../lib/network-policies.js";

/** A rule entry with no peers and no ports allows everything in its direction. */
function allowsAll(rule: unknown, peers: string): boolean {
  if (!isRecord(rule)) return rule === null;
  const p = rule[peers];
  const ports = rule["ports"];
  return (!Array.isArray(p) || p.length === 0) && (!Array.isArray(ports) || ports.length === 0);
}

export default defineRule({
  meta: {
    id: "netpol-allow-all",
    title: "NetworkPolicy allows all traffic to or from every pod of its namespace",
    category: "network",
    severity: "medium",
    description:
      "A NetworkPolicy that selects every pod (`podSelector: {}`) with an empty ingress or egress rule (`- {}`) allows all traffic in that direction for the whole namespace, undoing any default-deny policy beside it, since policies only add up.",
    remediation:
      "Replace the empty rule with rules that name the peers (podSelector, namespaceSelector, ipBlock) and ports the pods need.",
    messages: {
      ingress: "NetworkPolicy `{{name}}` allows all ingress to every pod of its namespace.",
      egress: "NetworkPolicy `{{name}}` allows all egress from every pod of its namespace.",
    },
    kinds: ["NetworkPolicy"],
    fix: "none",
    concepts: ["N-NP-ALLOWALL"],
    equivalents: {
      kubeaudit: ["netpols/AllowAllIngressNetworkPolicyExists", "netpols/AllowAllEgressNetworkPolicyExists"],
    },
    notes:
      "Namespaces that are meant to be open (a sandbox, a namespace whose isolation comes from elsewhere) can keep such a policy with a suppression that says so.",
  },
  create(context) {
    return {
      resource(np) {
        if (!isNetworkPolicy(np)) return;
        const selector = asLabelSelector(getIn(np.object, ["spec", "podSelector"]));
        if (selector === undefined || !isEmptySelector(selector)) return;
        const types = getIn(np.object, ["spec", "policyTypes"]);
        const data = { name: np.ref.name };
        for (const [field, peers, type] of [
          ["ingress", "from", "Ingress"],
          ["egress", "to", "Egress"],
        ] as const) {
          const rules = getIn(np.object, ["spec", field]);
          if (!Array.isArray(rules)) continue;
          // policyTypes, when given, decides which directions the policy governs.
          if (Array.isArray(types) && !types.includes(type)) continue;
          const i = rules.findIndex((r: unknown) => allowsAll(r, peers));
          if (i >= 0) context.report({ resource: np, path: ["spec", field, i], messageId: field, data });
        }
      },
    };
  },
});
