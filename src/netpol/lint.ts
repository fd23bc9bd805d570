// `netpol lint`: policy mistakes found by simulation over the model. Each check reports ordinary
// kubeward findings, so the same functions can run as cluster-scoped scan rules.
import { formatMessage } from "../core/rule.js";
import type { Finding, Path, Resource, Severity } from "../core/types.js";
import { getIn, isRecord, podSpecOf } from "../core/workloads.js";
import { compileSelector, type Labels } from "./labels.js";
import { buildModel, METADATA_NAME_LABEL, type Model, type Pod } from "./model.js";
import type { Direction, Policy, PolicyRule } from "./policies.js";
import { Simulator, type Endpoint, type PodClass, type Traffic } from "./simulate.js";

export interface LintCheck {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  messages: Record<string, string>;
}

export const NETPOL_CHECKS = {
  selectsNothing: {
    id: "netpol-selects-nothing",
    title: "Network policy selects no pod",
    severity: "low",
    description: "A policy whose subject matches no pod has no effect; usually a label or namespace typo.",
    remediation:
      "Fix the policy's pod or namespace selector so that it matches the intended pods, or delete it.",
    messages: { noPods: "{{kind}} `{{name}}` selects no pod in the input." },
  },
  shadowedRule: {
    id: "netpol-shadowed-rule",
    title: "Rule shadowed by an earlier rule",
    severity: "medium",
    description:
      "Admin and baseline rules are evaluated in order; a rule whose every connection is matched by an earlier rule of the same policy never takes effect.",
    remediation: "Remove the shadowed rule or move it above the rule that shadows it.",
    messages: {
      shadowed:
        "Rule `{{rule}}` of {{kind}} `{{name}}` never applies: every connection it matches is decided first by rule `{{by}}`.",
    },
  },
  priorityOverlap: {
    id: "netpol-priority-overlap",
    title: "Admin policies with equal priority overlap",
    severity: "medium",
    description:
      "When two admin-tier policies with the same priority select the same pods, the API leaves the winner to the implementation.",
    remediation: "Give every admin-tier policy that selects the same pods a distinct priority.",
    messages: {
      samePriority:
        "{{kind}} `{{name}}` and `{{other}}` share priority {{priority}} and select the same pods; which one wins is implementation-defined.",
    },
  },
  unmatchableRule: {
    id: "netpol-unmatchable-rule",
    title: "Rule that can never match",
    severity: "medium",
    description:
      "A named port must be declared by the destination pod's containers, with the rule's protocol.",
    remediation: "Use a port name (and protocol) that the destination pods declare in their containerPorts.",
    messages: {
      namedPortAbsent:
        "Rule `{{rule}}` of {{kind}} `{{name}}` uses named port `{{port}}`, which no destination pod declares.",
      protocolMismatch:
        "Rule `{{rule}}` of {{kind}} `{{name}}` uses named port `{{port}}` with {{expected}}, but the destination pods declare it as {{actual}}.",
    },
  },
  blocksDns: {
    id: "netpol-blocks-dns",
    title: "Egress policy blocks DNS",
    severity: "high",
    description:
      "Pods whose egress is restricted without an allowance for DNS cannot resolve names, which breaks almost every workload.",
    remediation: "Add an egress rule allowing UDP and TCP port 53 to kube-dns in kube-system.",
    messages: {
      blocksDns: "{{kind}} `{{name}}` blocks DNS (UDP 53 to kube-dns) for pods such as `{{pod}}`.",
    },
  },
} as const satisfies Record<string, LintCheck>;

type CheckKey = keyof typeof NETPOL_CHECKS;
/** The message IDs of one check (distributes over a union of checks). */
type MessageIdOf<K extends CheckKey> = K extends CheckKey
  ? keyof (typeof NETPOL_CHECKS)[K]["messages"] & string
  : never;

export interface LintReport<K extends CheckKey = CheckKey> {
  check: K;
  resource: Resource;
  path: Path;
  messageId: MessageIdOf<K>;
  data: Record<string, string | number>;
}

export function toFinding(r: LintReport): Finding {
  const check: LintCheck = NETPOL_CHECKS[r.check];
  const { loc, exact } = r.resource.source.locate(r.path);
  const f: Finding = {
    ruleId: check.id,
    severity: check.severity,
    category: "network",
    message: formatMessage(check.messages[r.messageId] ?? r.messageId, r.data),
    messageId: r.messageId,
    remediation: check.remediation,
    resource: r.resource.ref,
    path: r.path,
    file: loc.file,
    line: loc.line,
    column: loc.column,
  };
  if (!exact) f.exact = false;
  return f;
}

const kindName = (p: Policy) => p.resource.ref.kind;

function selectedClasses(sim: Simulator, p: Policy): PodClass[] {
  return sim.classes.filter(
    (c) => !c.hostNetwork && p.subject.namespaces(c.namespace.labels) && p.subject.pods(c.labels),
  );
}

export function lintSelectsNothing(model: Model, sim = new Simulator(model)): LintReport<"selectsNothing">[] {
  if (model.pods.length === 0) return [];
  return model.policies
    .filter((p) => selectedClasses(sim, p).length === 0)
    .map((p) => ({
      check: "selectsNothing" as const,
      resource: p.resource,
      path: p.subject.path,
      messageId: "noPods",
      data: { kind: kindName(p), name: p.id },
    }));
}

/** Connections to try: every pod class and every CIDR and node address named anywhere, on the ports in play. */
function probes(sim: Simulator): { endpoints: Endpoint[]; traffic: Traffic[] } {
  const endpoints: Endpoint[] = sim.classes.map((c) => sim.podEndpoint(c.pods[0] as Pod));
  const ips = new Set<string>();
  const traffic = new Map<string, Traffic>();
  const addT = (port: number, protocol: Traffic["protocol"]) =>
    traffic.set(`${port}/${protocol}`, { port, protocol });
  for (const n of sim.model.nodes) for (const ip of n.ips) ips.add(ip);
  for (const p of sim.model.policies)
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        const cidrs =
          peer.kind === "ipBlock" ? [peer.cidr, ...peer.except] : peer.kind === "networks" ? peer.cidrs : [];
        for (const c of cidrs) ips.add(c.text.slice(0, c.text.indexOf("/")));
      }
      for (const pm of r.ports ?? []) {
        if (pm.kind === "range") {
          addT(pm.start, pm.protocol);
          addT(pm.end, pm.protocol);
        } else if (pm.kind === "protocol") addT(1, pm.protocol);
      }
    }
  for (const pod of sim.model.pods) for (const np of pod.ports) addT(np.port, np.protocol);
  if (traffic.size === 0) addT(80, "TCP");
  for (const ip of ips) endpoints.push(sim.resolve(ip));
  return { endpoints, traffic: [...traffic.values()] };
}

/**
 * Label sets that satisfy a selector as written: its matchLabels, plus one set per value of each
 * `In` requirement (others at their first value). Requirements that absence satisfies add nothing.
 */
function labelSetsFor(selector: unknown): Labels[] {
  if (!isRecord(selector)) return [];
  const base: Record<string, string> = {};
  const ml = selector["matchLabels"];
  if (isRecord(ml)) for (const [k, v] of Object.entries(ml)) base[k] = String(v);
  const alternatives: [string, string[]][] = [];
  const me = selector["matchExpressions"];
  if (Array.isArray(me))
    for (const e of me) {
      if (!isRecord(e) || typeof e["key"] !== "string") continue;
      const values = Array.isArray(e["values"]) ? e["values"].map(String) : [];
      if (e["operator"] === "In" && values[0] !== undefined) {
        base[e["key"]] = values[0];
        alternatives.push([e["key"], values.slice(1)]);
      } else if (e["operator"] === "Exists") base[e["key"]] ??= "probe";
    }
  const sets: Labels[] = [base];
  for (const [key, values] of alternatives) for (const v of values) sets.push({ ...base, [key]: v });
  const matches = compileSelector(selector);
  return sets.filter((l) => matches(l));
}

/**
 * The model plus pods that stand for those the input does not hold: one that no selector names (in
 * a namespace of its own), and, for each pod peer of an admin or baseline rule, one that the peer's
 * selectors select. Without them, a rule that only matters outside the input looks shadowed.
 */
function withPeerProbes(model: Model, policies: readonly Policy[]): { model: Model; real: Set<Pod> } {
  const namespaces = new Map(model.namespaces);
  const pods = [...model.pods];
  const add = (nsLabels: Labels, labels: Labels) => {
    const n = pods.length - model.pods.length;
    const name = nsLabels[METADATA_NAME_LABEL] ?? `\u0000probe-namespace-${n}`;
    if (!namespaces.has(name))
      namespaces.set(name, { name, labels: { ...nsLabels, [METADATA_NAME_LABEL]: name }, declared: false });
    pods.push({
      id: `${name}/\u0000probe-${n}`,
      namespace: name,
      name: `\u0000probe-${n}`,
      labels,
      ips: [],
      hostNetwork: false,
      nodeName: undefined,
      ports: [],
      representativeOf: "a pod outside the input",
      resource: { apiVersion: "v1", kind: "Pod", namespace: name, name: `\u0000probe-${n}` },
    });
  };
  add({}, {});
  for (const p of policies)
    for (const rule of [...p.ingress, ...p.egress]) {
      const raw = getIn(p.resource.object, [...rule.path, rule.direction === "ingress" ? "from" : "to"]);
      if (!Array.isArray(raw)) continue;
      for (const peer of raw) {
        if (!isRecord(peer)) continue;
        const ns = peer["namespaces"];
        const podPeer = peer["pods"];
        if (isRecord(ns)) {
          for (const l of labelSetsFor("namespaceSelector" in ns ? ns["namespaceSelector"] : ns)) add(l, {});
        } else if (isRecord(podPeer)) {
          const old = podPeer["namespaces"];
          const nsSel =
            podPeer["namespaceSelector"] ?? (isRecord(old) ? old["namespaceSelector"] : undefined);
          for (const nl of labelSetsFor(nsSel ?? {}))
            for (const pl of labelSetsFor(podPeer["podSelector"] ?? {})) add(nl, pl);
        }
      }
    }
  return { model: { ...model, namespaces, pods }, real: new Set(model.pods) };
}

/**
 * `openWorld`: the input is a set of manifests, not the whole cluster (scan): connections from and
 * to pods that the input does not hold, but that the rules' peers select, are tried too.
 */
export function lintShadowedRules(
  model: Model,
  sim = new Simulator(model),
  options: { openWorld?: boolean } = {},
): LintReport<"shadowedRule">[] {
  const out: LintReport<"shadowedRule">[] = [];
  const candidates = model.policies.filter((p) => p.stage !== "np" && p.ingress.length + p.egress.length > 1);
  if (candidates.length === 0) return out;
  let isReal: (pod: Pod) => boolean = () => true;
  if (options.openWorld === true) {
    const probed = withPeerProbes(model, candidates);
    sim = new Simulator(probed.model);
    isReal = (pod) => probed.real.has(pod);
  }
  const { endpoints, traffic } = probes(sim);
  for (const p of candidates) {
    // The subject is a pod of the input: a policy that selects none of them is not judged.
    const subjectPod = selectedClasses(sim, p)
      .flatMap((c) => c.pods)
      .find(isReal);
    if (subjectPod === undefined) continue;
    const subjectEp = sim.podEndpoint(subjectPod);
    for (const direction of ["ingress", "egress"] as Direction[]) {
      const rules = p[direction];
      rules.forEach((rule, j) => {
        if (j === 0) return;
        let matched = false;
        let by: PolicyRule | undefined;
        for (const e of endpoints)
          for (const t of traffic) {
            const dst = direction === "ingress" ? subjectEp : e;
            if (!sim.ruleMatches(rule, e, dst, t)) continue;
            matched = true;
            const earlier = rules.slice(0, j).find((r) => sim.ruleMatches(r, e, dst, t));
            if (earlier === undefined) return;
            by ??= earlier;
          }
        if (matched && by !== undefined)
          out.push({
            check: "shadowedRule",
            resource: p.resource,
            path: rule.path,
            messageId: "shadowed",
            data: { rule: rule.name, kind: kindName(p), name: p.id, by: by.name },
          });
      });
    }
  }
  return out;
}

export function lintPriorityOverlap(
  model: Model,
  sim = new Simulator(model),
): LintReport<"priorityOverlap">[] {
  const out: LintReport<"priorityOverlap">[] = [];
  const admin = model.policies.filter((p) => p.stage === "admin").sort((a, b) => (a.id < b.id ? -1 : 1));
  const selected = new Map(admin.map((p) => [p, new Set(selectedClasses(sim, p))]));
  for (let i = 0; i < admin.length; i++)
    for (let j = i + 1; j < admin.length; j++) {
      const a = admin[i] as Policy;
      const b = admin[j] as Policy;
      if (a.priority !== b.priority) continue;
      if (!((a.affects.ingress && b.affects.ingress) || (a.affects.egress && b.affects.egress))) continue;
      const sa = selected.get(a) ?? new Set();
      const overlap = [...(selected.get(b) ?? [])].some((c) => sa.has(c));
      if (!overlap) continue;
      out.push({
        check: "priorityOverlap",
        resource: b.resource,
        path: ["spec", "priority"],
        messageId: "samePriority",
        data: { kind: kindName(b), name: b.id, other: a.id, priority: b.priority },
      });
    }
  return out;
}

/** Labels of a namespace the input does not hold: a selector matching it reaches beyond the input. */
const UNSEEN_NAMESPACE = { [METADATA_NAME_LABEL]: "\u0000namespace outside the input" };

/**
 * `openWorld`: the input is a set of manifests, not the whole cluster (scan), so a rule whose
 * destination pods may live in namespaces the input does not hold is not judged.
 */
export function lintUnmatchableRules(
  model: Model,
  sim = new Simulator(model),
  options: { openWorld?: boolean } = {},
): LintReport<"unmatchableRule">[] {
  const out: LintReport<"unmatchableRule">[] = [];
  if (model.pods.length === 0) return out;
  for (const p of model.policies)
    for (const rule of [...p.ingress, ...p.egress]) {
      const named = (rule.ports ?? []).filter((pm) => pm.kind === "named");
      if (named.length === 0) continue;
      if (options.openWorld === true) {
        const beyond =
          rule.direction === "ingress"
            ? p.subject.namespaces(UNSEEN_NAMESPACE)
            : rule.peers.some((peer) => peer.kind === "pods" && peer.namespaces(UNSEEN_NAMESPACE));
        if (beyond) continue;
      }
      const dests =
        rule.direction === "ingress"
          ? selectedClasses(sim, p)
          : sim.classes.filter((c) =>
              rule.peers.some(
                (peer) => peer.kind === "pods" && sim.peerMatches(peer, sim.podEndpoint(c.pods[0] as Pod)),
              ),
            );
      if (dests.length === 0) continue;
      const portsKey = p.tier.startsWith("ClusterNetworkPolicy") ? "protocols" : "ports";
      for (const pm of named) {
        const declared = dests.flatMap((c) => c.ports.filter((x) => x.name === pm.name));
        const base = { rule: rule.name, kind: kindName(p), name: p.id, port: pm.name };
        if (declared.length === 0)
          out.push({
            check: "unmatchableRule",
            resource: p.resource,
            path: [...rule.path, portsKey],
            messageId: "namedPortAbsent",
            data: base,
          });
        else if (pm.protocol !== undefined && !declared.some((x) => x.protocol === pm.protocol))
          out.push({
            check: "unmatchableRule",
            resource: p.resource,
            path: [...rule.path, portsKey],
            messageId: "protocolMismatch",
            data: {
              ...base,
              expected: pm.protocol,
              actual: [...new Set(declared.map((x) => x.protocol))].join("/"),
            },
          });
      }
    }
  return out;
}

/**
 * The model with a kube-dns pod added when the input has none, so DNS reachability can be tested.
 * `ips`: addresses to give a DNS pod that has none.
 */
function withDns(model: Model, ips: string[] = []): { model: Model; dns: Pod } {
  const existing = model.pods.find((p) => p.labels["k8s-app"] === "kube-dns" && !p.hostNetwork);
  if (existing !== undefined) {
    if (existing.ips.length > 0 || ips.length === 0) return { model, dns: existing };
    const dns = { ...existing, ips };
    return { model: { ...model, pods: model.pods.map((p) => (p === existing ? dns : p)) }, dns };
  }
  const dns: Pod = {
    id: "kube-system/kube-dns",
    namespace: "kube-system",
    name: "kube-dns",
    labels: { "k8s-app": "kube-dns" },
    ips,
    hostNetwork: false,
    nodeName: undefined,
    ports: [
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, protocol: "TCP" },
    ],
    representativeOf: "assumed kube-dns",
    resource: { apiVersion: "v1", kind: "Pod", namespace: "kube-system", name: "kube-dns" },
  };
  const namespaces = new Map(model.namespaces);
  if (!namespaces.has("kube-system"))
    namespaces.set("kube-system", {
      name: "kube-system",
      labels: { [METADATA_NAME_LABEL]: "kube-system" },
      declared: false,
    });
  return { model: { ...model, namespaces, pods: [...model.pods, dns] }, dns };
}

/**
 * Cluster DNS service addresses of common distributions (kubeadm/kind/minikube, AKS, EKS, GKE,
 * k3s/RKE2, MicroK8s), for when the DNS pod's address is unknown.
 */
const USUAL_DNS_IPS = [
  "10.96.0.10",
  "10.0.0.10",
  "10.100.0.10",
  "172.20.0.10",
  "34.118.224.10",
  "10.43.0.10",
  "10.152.183.10",
];

/**
 * `openWorld`: the input is a set of manifests, not the cluster (scan), so the DNS pod's address is
 * unknown. A pod denied DNS is tried again with the DNS pod at the usual cluster DNS addresses, so
 * that an ipBlock holding one gets the benefit of the doubt (whether ipBlock peers match pod and
 * service IPs is up to the network plugin).
 */
export function lintBlocksDns(
  model: Model,
  options: { openWorld?: boolean } = {},
): LintReport<"blocksDns">[] {
  const out: LintReport<"blocksDns">[] = [];
  if (model.pods.length === 0) return out;
  const { model: m, dns } = withDns(model);
  const sim = new Simulator(m);
  const dnsEp = sim.podEndpoint(dns);
  const dnsTraffic: Traffic = { port: 53, protocol: "UDP" };
  const reported = new Set<string>();
  let withUsualIps: { sim: Simulator; dnsEp: Endpoint } | undefined;
  const allowedAtUsualIps = (pod: Pod): boolean => {
    if (withUsualIps === undefined) {
      const alt = withDns(model, USUAL_DNS_IPS);
      const altSim = new Simulator(alt.model);
      withUsualIps = { sim: altSim, dnsEp: altSim.podEndpoint(alt.dns) };
    }
    const { sim: altSim, dnsEp: altDns } = withUsualIps;
    return altSim.decide(altSim.podEndpoint(pod), altDns, dnsTraffic).egress.action === "Allow";
  };
  for (const cls of sim.classes) {
    const pod = cls.pods.find((p) => p !== dns);
    if (pod === undefined || cls.hostNetwork) continue;
    const podEp = sim.podEndpoint(pod);
    const d = sim.decide(podEp, dnsEp, dnsTraffic);
    if (d.egress.action !== "Deny") continue;
    if (options.openWorld === true && dns.ips.length === 0 && allowedAtUsualIps(pod)) continue;
    const ids =
      d.egress.tier === "NetworkPolicy"
        ? (d.egress.policies ?? [])
        : d.egress.policy !== undefined
          ? [d.egress.policy]
          : [];
    for (const id of ids) {
      if (reported.has(id)) continue;
      reported.add(id);
      const policy = m.policies.find(
        (p) => p.id === id && (p.tier === d.egress.tier || d.egress.tier !== "NetworkPolicy"),
      );
      if (policy === undefined) continue;
      const rule = policy.egress.find((r) => r.name === d.egress.rule);
      // A NetworkPolicy blocks by isolating: point at what made it egress-isolated.
      const npPath: Path =
        getIn(policy.resource.object, ["spec", "policyTypes"]) === undefined
          ? ["spec", "egress"]
          : ["spec", "policyTypes"];
      const path: Path = policy.stage === "np" ? npPath : (rule?.path ?? ["spec", "egress"]);
      out.push({
        check: "blocksDns",
        resource: policy.resource,
        path,
        messageId: "blocksDns",
        data: { kind: kindName(policy), name: policy.id, pod: pod.id },
      });
    }
  }
  return out;
}

export function lintNetpol(model: Model): Finding[] {
  const sim = new Simulator(model);
  return [
    ...lintSelectsNothing(model, sim),
    ...lintShadowedRules(model, sim),
    ...lintPriorityOverlap(model, sim),
    ...lintUnmatchableRules(model, sim),
    ...lintBlocksDns(model),
  ].map(toFinding);
}

// ---------- as scan rules ----------

const POLICY_KINDS = new Set([
  "NetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "ClusterNetworkPolicy",
]);

/** One model per scan, shared by the netpol scan rules (the engine hands each the same array). */
const scanModels = new WeakMap<readonly Resource[], { model: Model; sim: Simulator } | undefined>();

const isPodObject = (r: Resource) => r.ref.kind === "Pod" && r.ref.apiVersion === "v1";

/**
 * The model of manifests: every Pod object and a representative pod for every workload. (The
 * cluster model takes workloads only when there is no Pod, as a cluster's Pods stand for its
 * workloads; a chart's Helm test Pod must not hide its Deployments.)
 */
function scanModelOf(resources: readonly Resource[]): Model {
  const model = buildModel(resources);
  if (model.representative || !resources.some((r) => !isPodObject(r) && podSpecOf(r) !== undefined))
    return model;
  const workloads = buildModel(resources.filter((r) => !isPodObject(r)));
  const namespaces = new Map([...workloads.namespaces, ...model.namespaces]);
  const pods = [...model.pods, ...workloads.pods].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...model, namespaces, pods, representative: workloads.representative };
}

/**
 * The model and simulator of a scan's resources, for the cluster-scoped scan rules that run the
 * checks above (`netpol-selects-nothing` has none: `network-policy-dangling` covers NetworkPolicies,
 * `netpol-admin-selects-nothing` the admin kinds, judged for a scan). Undefined when the scan holds no
 * policy, so ordinary manifests cost nothing and get no finding.
 */
export function netpolOfScan(resources: readonly Resource[]): { model: Model; sim: Simulator } | undefined {
  if (scanModels.has(resources)) return scanModels.get(resources);
  let built: { model: Model; sim: Simulator } | undefined;
  if (resources.some((r) => POLICY_KINDS.has(r.ref.kind))) {
    const model = scanModelOf(resources);
    built = model.policies.length > 0 ? { model, sim: new Simulator(model) } : undefined;
  }
  scanModels.set(resources, built);
  return built;
}
