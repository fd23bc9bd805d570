// `netpol lint`'s "policy selects nothing" check as a scan rule, for the cluster-wide admin policy
// kinds only (NetworkPolicies: `network-policy-dangling`). A scan is not the cluster, so a policy is
// judged only when its subject is bounded to namespaces named by `kubernetes.io/metadata.name`
// whose pods (or labels) the scan shows.
import { defineRule } from "../../core/rule.js";
import type { Path, Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { NETPOL_CHECKS, netpolOfScan } from "../../netpol/lint.js";
import { METADATA_NAME_LABEL, type Model } from "../../netpol/model.js";
import type { Policy } from "../../netpol/policies.js";
import { customResourceNames } from "../lib/workload-pods.js";
import { ADMIN_POLICY_KINDS, netpolRuleMeta } from "../lib/netpol-rule.js";

/**
 * The namespace names a selector is limited to by `kubernetes.io/metadata.name` (matchLabels, `In`),
 * or undefined when it may select a namespace of any name (or its shape is not understood).
 */
function boundedNames(selector: unknown): Set<string> | undefined {
  if (!isRecord(selector)) return undefined;
  let names: Set<string> | undefined;
  const narrow = (values: string[]) => {
    names = new Set(values.filter((v) => names === undefined || names.has(v)));
  };
  const ml = selector["matchLabels"];
  if (ml !== undefined && ml !== null && !isRecord(ml)) return undefined;
  if (isRecord(ml) && METADATA_NAME_LABEL in ml) narrow([String(ml[METADATA_NAME_LABEL])]);
  const me = selector["matchExpressions"];
  if (Array.isArray(me))
    for (const e of me) {
      if (!isRecord(e) || typeof e["key"] !== "string") return undefined;
      if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(String(e["operator"]))) return undefined;
      if (e["key"] === METADATA_NAME_LABEL && e["operator"] === "In")
        narrow(Array.isArray(e["values"]) ? e["values"].map(String) : []);
    }
  return names;
}

interface Subject {
  names: Set<string>;
  /** The selector a user edits when no named namespace can match / when no pod matches. */
  namespacePath: Path;
  podPath: Path;
  podMatchLabels: unknown;
}

/** The subject of an admin policy when its namespaces are bounded by name. */
function boundedSubject(p: Policy): Subject | undefined {
  const subject = getIn(p.resource.object, ["spec", "subject"]);
  if (!isRecord(subject)) return undefined;
  if (subject["namespaces"] !== undefined) {
    const names = boundedNames(subject["namespaces"]);
    const path: Path = ["spec", "subject", "namespaces"];
    return names && { names, namespacePath: path, podPath: path, podMatchLabels: undefined };
  }
  const pods = subject["pods"];
  if (!isRecord(pods)) return undefined;
  const names = boundedNames(pods["namespaceSelector"] ?? {});
  return (
    names && {
      names,
      namespacePath: ["spec", "subject", "pods", "namespaceSelector"],
      podPath: ["spec", "subject", "pods", "podSelector"],
      podMatchLabels: getIn(pods, ["podSelector", "matchLabels"]),
    }
  );
}

type Verdict = { messageId: "noNamespaces" | "noPods"; path: Path } | undefined;

function judge(model: Model, resources: readonly Resource[], p: Policy, s: Subject): Verdict {
  let podsChecked = false;
  for (const name of s.names) {
    const ns = model.namespaces.get(name);
    // A Namespace object of the scan gives the namespace's labels: one that fails the selector is out.
    if (ns?.declared === true && !p.subject.namespaces(ns.labels)) continue;
    // Otherwise the namespace's pods must be known: the scan must put some pod there by name.
    const pods = model.pods.filter((pod) => pod.namespace === name && pod.resource.namespace === name);
    if (pods.length === 0) return undefined;
    // Pods of namespace-less objects may be installed into this namespace too (`helm -n`).
    const candidates = [...pods, ...model.pods.filter((pod) => pod.resource.namespace === undefined)];
    // Host-network pods are never subjects; an undeclared namespace's other labels are unknown.
    if (candidates.some((pod) => !pod.hostNetwork && p.subject.pods(pod.labels))) return undefined;
    podsChecked = true;
  }
  if (!podsChecked) return { messageId: "noNamespaces", path: s.namespacePath };
  // Operators label the pods of their custom resources with the resource's name.
  const crNames = customResourceNames(resources);
  if (isRecord(s.podMatchLabels) && Object.values(s.podMatchLabels).some((v) => crNames.has(String(v))))
    return undefined;
  return { messageId: "noPods", path: s.podPath };
}

const list = (names: Set<string>) => {
  const quoted = [...names].sort().map((n) => `\`${n}\``);
  if (quoted.length === 0) return "no namespace (its name requirements contradict each other)";
  return `${quoted.length === 1 ? "namespace" : "namespaces"} ${quoted.join(", ")}`;
};

export default defineRule({
  meta: {
    ...NETPOL_CHECKS.selectsNothing,
    id: "netpol-admin-selects-nothing",
    title: "Admin network policy selects no pod",
    description:
      "An AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy whose subject matches no pod enforces nothing: the guardrail it was written for (usually after a namespace or label typo) is silently absent.",
    remediation:
      "Fix the subject's namespace or pod selector so that it matches the pods the policy should govern, or delete the policy.",
    messages: {
      noPods:
        "{{kind}} `{{name}}` selects no pod: its subject is limited to {{namespaces}}, and no pod of the scan there matches it.",
      noNamespaces:
        "{{kind}} `{{name}}` selects no namespace: its subject is limited to {{namespaces}}, and the scan's Namespace objects do not carry the labels its namespace selector requires.",
    },
    ...netpolRuleMeta(ADMIN_POLICY_KINDS),
    notes:
      "A scan is not the cluster: an admin policy may govern pods that other repositories deploy. A policy is judged only when its subject's namespaces are limited by name (`kubernetes.io/metadata.name` in `matchLabels` or an `In` expression) and, for each named namespace, either the scan's Namespace object has labels that the namespace selector rejects, or the scan puts pods into that namespace by name and none of them, nor any pod of a namespace-less object, matches the subject; subjects that select namespaces by other labels (`env: prod`, `{}`) or name a namespace the scan holds no pod of are never reported. Pods that other releases or operators put into a namespace the scan holds are not seen, so scan the policies together with the workloads of the namespaces they name; a pod selector whose `matchLabels` value is the name of a custom resource in the scan is not reported, as operators label the pods they create with it. Labels added to a Namespace outside the scan (by a controller or `kubectl label`) are not seen either. Host-network pods are never subjects of admin policies. NetworkPolicies are checked by `network-policy-dangling`; `kubeward netpol lint` judges every policy against the whole input instead.",
  },
  create(context) {
    return {
      end(resources) {
        const netpol = netpolOfScan(resources);
        if (netpol === undefined) return;
        for (const p of netpol.model.policies) {
          if (p.stage === "np") continue;
          const s = boundedSubject(p);
          if (s === undefined) continue;
          const verdict = judge(netpol.model, resources, p, s);
          if (verdict === undefined) continue;
          context.report({
            resource: p.resource,
            path: verdict.path,
            messageId: verdict.messageId,
            data: { kind: p.resource.ref.kind, name: p.id, namespaces: list(s.names) },
          });
        }
      },
    };
  },
});
