// Policy objects (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy)
// normalised into one shape: a subject, and ordered rules of peers, ports and an action.
import type { Path, Resource } from "../core/types.js";
import { getIn, isRecord } from "../core/workloads.js";
import { parseCidr, type Cidr } from "./cidr.js";
import { compileSelector, describeSelector, type LabelPredicate, type SelectorProblem } from "./labels.js";
import { METADATA_NAME_LABEL, normalizeProtocol, type Protocol, type Warning } from "./model.js";

export type TierName =
  | "AdminNetworkPolicy"
  | "NetworkPolicy"
  | "BaselineAdminNetworkPolicy"
  | "ClusterNetworkPolicy/Admin"
  | "ClusterNetworkPolicy/Baseline";
export type Stage = "admin" | "np" | "baseline";
export type Action = "Allow" | "Deny" | "Pass";
export type Direction = "ingress" | "egress";

export type PortMatch =
  | { kind: "protocol"; protocol: Protocol }
  | { kind: "range"; protocol: Protocol; start: number; end: number }
  /** A named port, resolved on the destination pod; `protocol` undefined means any (ANP/CNP). */
  | { kind: "named"; name: string; protocol: Protocol | undefined };

export type Peer =
  | { kind: "all"; text: string }
  | { kind: "none"; text: string }
  | { kind: "pods"; namespaces: LabelPredicate; pods: LabelPredicate; text: string }
  | { kind: "ipBlock"; cidr: Cidr; except: Cidr[]; text: string }
  | { kind: "nodes"; nodes: LabelPredicate; text: string }
  | { kind: "networks"; cidrs: Cidr[]; text: string };

export interface PolicyRule {
  policy: Policy;
  direction: Direction;
  index: number;
  /** The rule's own name (ANP/CNP), or `ingress[0]` style for NetworkPolicy rules. */
  name: string;
  action: Action;
  peers: Peer[];
  /** Undefined: every port and protocol. */
  ports: PortMatch[] | undefined;
  path: Path;
}

export interface Policy {
  tier: TierName;
  stage: Stage;
  name: string;
  namespace: string | undefined;
  /** `ns/name` for NetworkPolicies, the name for cluster-scoped policies. */
  id: string;
  priority: number;
  subject: { namespaces: LabelPredicate; pods: LabelPredicate; text: string; path: Path };
  /** Directions this policy affects (NetworkPolicy: its policyTypes; others: directions with rules). */
  affects: Record<Direction, boolean>;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  resource: Resource;
}

const ANP_API = "policy.networking.k8s.io/v1alpha1";
const CNP_API = "policy.networking.k8s.io/v1alpha2";

export function parsePolicies(resources: readonly Resource[]): { policies: Policy[]; warnings: Warning[] } {
  const policies: Policy[] = [];
  const warnings: Warning[] = [];
  for (const r of resources) {
    const { kind, apiVersion } = r.ref;
    const warn = (message: string) => warnings.push({ message, resource: r.ref });
    if (kind === "NetworkPolicy" && apiVersion === "networking.k8s.io/v1")
      policies.push(parseNetworkPolicy(r, warn));
    else if (kind === "AdminNetworkPolicy" && apiVersion === ANP_API)
      policies.push(parseAdmin(r, "anp", warn));
    else if (kind === "BaselineAdminNetworkPolicy" && apiVersion === ANP_API)
      policies.push(parseAdmin(r, "banp", warn));
    else if (kind === "ClusterNetworkPolicy" && apiVersion === CNP_API)
      policies.push(parseAdmin(r, "cnp", warn));
  }
  return { policies, warnings };
}

const nsNamed =
  (name: string): LabelPredicate =>
  (l) =>
    l[METADATA_NAME_LABEL] === name;
const all: LabelPredicate = () => true;

function selector(v: unknown, where: string, warn: (m: string) => void): LabelPredicate {
  const problems: SelectorProblem[] = [];
  const p = compileSelector(v ?? {}, problems);
  for (const x of problems) warn(`${where}: ${x.message}; it selects nothing`);
  return p;
}

function toPortNumber(v: unknown): number | string | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

function parseNetworkPolicy(r: Resource, warn: (m: string) => void): Policy {
  const namespace = r.ref.namespace ?? "default";
  const spec = isRecord(r.object["spec"]) ? r.object["spec"] : {};
  const podSelector = spec["podSelector"];
  const policy: Policy = {
    tier: "NetworkPolicy",
    stage: "np",
    name: r.ref.name,
    namespace,
    id: `${namespace}/${r.ref.name}`,
    priority: 0,
    subject: {
      namespaces: nsNamed(namespace),
      pods: selector(podSelector, "spec.podSelector", warn),
      text: `pods (${describeSelector(podSelector ?? {})}) in namespace ${namespace}`,
      path: ["spec", "podSelector"],
    },
    affects: { ingress: true, egress: false },
    ingress: [],
    egress: [],
    resource: r,
  };
  const types = spec["policyTypes"];
  const egressList = spec["egress"];
  if (Array.isArray(types) && types.length > 0) {
    policy.affects = { ingress: types.includes("Ingress"), egress: types.includes("Egress") };
  } else {
    // API defaulting: Ingress always; Egress only when egress rules are present.
    policy.affects = { ingress: true, egress: Array.isArray(egressList) && egressList.length > 0 };
  }
  for (const direction of ["ingress", "egress"] as const) {
    const list = spec[direction];
    if (!Array.isArray(list)) continue;
    list.forEach((rule: unknown, index) => {
      const rec = isRecord(rule) ? rule : {};
      const peersKey = direction === "ingress" ? "from" : "to";
      const rawPeers = rec[peersKey];
      const path: Path = ["spec", direction, index];
      const peers: Peer[] = [];
      if (!Array.isArray(rawPeers) || rawPeers.length === 0) peers.push({ kind: "all", text: "anywhere" });
      else
        for (const p of rawPeers) {
          if (!isRecord(p)) continue;
          const ipBlock = p["ipBlock"];
          if (isRecord(ipBlock)) {
            const cidr = typeof ipBlock["cidr"] === "string" ? parseCidr(ipBlock["cidr"]) : undefined;
            if (cidr === undefined) {
              warn(`${direction}[${index}]: invalid ipBlock cidr; the peer matches nothing`);
              peers.push({ kind: "none", text: "an invalid ipBlock" });
              continue;
            }
            const except: Cidr[] = [];
            if (Array.isArray(ipBlock["except"]))
              for (const e of ipBlock["except"]) {
                const c = typeof e === "string" ? parseCidr(e) : undefined;
                if (c === undefined) warn(`${direction}[${index}]: invalid ipBlock except "${String(e)}"`);
                else except.push(c);
              }
            const exceptText = except.length > 0 ? ` except ${except.map((c) => c.text).join(", ")}` : "";
            peers.push({ kind: "ipBlock", cidr, except, text: `IPs in ${cidr.text}${exceptText}` });
            continue;
          }
          const nsSel = p["namespaceSelector"];
          const podSel = p["podSelector"];
          if (nsSel === undefined && podSel === undefined) {
            warn(`${direction}[${index}]: a peer with no selector matches nothing`);
            peers.push({ kind: "none", text: "an empty peer" });
            continue;
          }
          const namespaces =
            nsSel === undefined ? nsNamed(namespace) : selector(nsSel, "namespaceSelector", warn);
          const pods = podSel === undefined ? all : selector(podSel, "podSelector", warn);
          const nsText =
            nsSel === undefined ? `namespace ${namespace}` : `namespaces (${describeSelector(nsSel)})`;
          peers.push({
            kind: "pods",
            namespaces,
            pods,
            text: `pods (${describeSelector(podSel ?? {})}) in ${nsText}`,
          });
        }
      const rawPorts = rec["ports"];
      let ports: PortMatch[] | undefined;
      if (Array.isArray(rawPorts) && rawPorts.length > 0) {
        ports = [];
        for (const p of rawPorts) {
          if (!isRecord(p)) continue;
          const protocol = normalizeProtocol(p["protocol"]);
          if (protocol === undefined) {
            warn(
              `${direction}[${index}]: unknown protocol "${String(p["protocol"])}"; the port matches nothing`,
            );
            continue;
          }
          const port = toPortNumber(p["port"]);
          const endPort = typeof p["endPort"] === "number" ? p["endPort"] : undefined;
          if (port === undefined) ports.push({ kind: "protocol", protocol });
          else if (typeof port === "string") ports.push({ kind: "named", name: port, protocol });
          else ports.push({ kind: "range", protocol, start: port, end: endPort ?? port });
        }
      }
      const policyRule: PolicyRule = {
        policy,
        direction,
        index,
        name: `${direction}[${index}]`,
        action: "Allow",
        peers,
        ports,
        path,
      };
      policy[direction].push(policyRule);
    });
  }
  return policy;
}

function parseAdmin(r: Resource, flavour: "anp" | "banp" | "cnp", warn: (m: string) => void): Policy {
  const spec = isRecord(r.object["spec"]) ? r.object["spec"] : {};
  let tier: TierName;
  let stage: Stage;
  if (flavour === "anp") [tier, stage] = ["AdminNetworkPolicy", "admin"];
  else if (flavour === "banp") [tier, stage] = ["BaselineAdminNetworkPolicy", "baseline"];
  else if (spec["tier"] === "Baseline") [tier, stage] = ["ClusterNetworkPolicy/Baseline", "baseline"];
  else {
    if (spec["tier"] !== "Admin")
      warn(`spec.tier "${String(spec["tier"])}" is not Admin or Baseline; treated as Admin`);
    [tier, stage] = ["ClusterNetworkPolicy/Admin", "admin"];
  }
  let priority = 0;
  if (flavour !== "banp") {
    if (typeof spec["priority"] === "number") priority = spec["priority"];
    else {
      warn("spec.priority is missing; treated as 1000 (lowest precedence)");
      priority = 1000;
    }
  } else if (r.ref.name !== "default") {
    warn(`a BaselineAdminNetworkPolicy must be named "default" (the API rejects "${r.ref.name}")`);
  }
  const subject = parseSubject(spec["subject"], warn);
  const policy: Policy = {
    tier,
    stage,
    name: r.ref.name,
    namespace: undefined,
    id: r.ref.name,
    priority,
    subject,
    affects: { ingress: false, egress: false },
    ingress: [],
    egress: [],
    resource: r,
  };
  for (const direction of ["ingress", "egress"] as const) {
    const list = spec[direction];
    if (!Array.isArray(list)) continue;
    list.forEach((rule: unknown, index) => {
      const rec = isRecord(rule) ? rule : {};
      const where = `${direction}[${index}]`;
      let action: Action;
      const rawAction = rec["action"];
      if (rawAction === "Allow" || rawAction === "Accept" || rawAction === "Deny" || rawAction === "Pass") {
        action = rawAction === "Accept" ? "Allow" : rawAction;
        const expected = flavour === "cnp" ? "Accept" : "Allow";
        if ((rawAction === "Allow" || rawAction === "Accept") && rawAction !== expected)
          warn(`${where}: action "${rawAction}" belongs to another API version; use "${expected}"`);
        if (flavour === "banp" && action === "Pass") {
          warn(`${where}: a BaselineAdminNetworkPolicy cannot Pass; the rule is ignored`);
          return;
        }
      } else {
        warn(`${where}: unknown action "${String(rawAction)}"; the rule is ignored`);
        return;
      }
      const rawPeers = rec[direction === "ingress" ? "from" : "to"];
      const peers: Peer[] = [];
      if (Array.isArray(rawPeers))
        for (const p of rawPeers) peers.push(parseAdminPeer(p, action, direction, where, warn));
      if (peers.length === 0) warn(`${where}: no peers; the rule matches nothing`);
      const ports =
        flavour === "cnp"
          ? parseCnpProtocols(rec["protocols"], where, warn)
          : parseAnpPorts(rec["ports"], where, warn);
      policy[direction].push({
        policy,
        direction,
        index,
        name: typeof rec["name"] === "string" && rec["name"] !== "" ? rec["name"] : where,
        action,
        peers,
        ports,
        path: ["spec", direction, index],
      });
    });
    policy.affects[direction] = policy[direction].length > 0;
  }
  return policy;
}

function parseSubject(v: unknown, warn: (m: string) => void): Policy["subject"] {
  if (isRecord(v)) {
    if (v["namespaces"] !== undefined)
      return {
        namespaces: selector(v["namespaces"], "subject.namespaces", warn),
        pods: all,
        text: `pods in namespaces (${describeSelector(v["namespaces"])})`,
        path: ["spec", "subject", "namespaces"],
      };
    const pods = v["pods"];
    if (isRecord(pods))
      return {
        namespaces: selector(pods["namespaceSelector"], "subject.pods.namespaceSelector", warn),
        pods: selector(pods["podSelector"], "subject.pods.podSelector", warn),
        text: `pods (${describeSelector(pods["podSelector"] ?? {})}) in namespaces (${describeSelector(pods["namespaceSelector"] ?? {})})`,
        path: ["spec", "subject", "pods"],
      };
  }
  warn("spec.subject selects neither namespaces nor pods; the policy applies to nothing");
  const none: LabelPredicate = () => false;
  return { namespaces: none, pods: none, text: "nothing", path: ["spec", "subject"] };
}

function parseAdminPeer(
  p: unknown,
  action: Action,
  direction: Direction,
  where: string,
  warn: (m: string) => void,
): Peer {
  // Fail closed (upstream API): an unknown peer matches nothing in Allow rules, everything otherwise.
  const unknown = (why: string): Peer => {
    warn(
      `${where}: ${why}; failing closed (${action === "Allow" ? "matches nothing" : "matches everything"})`,
    );
    return action === "Allow"
      ? { kind: "none", text: "an unknown peer" }
      : { kind: "all", text: "an unknown peer (anything)" };
  };
  if (!isRecord(p)) return unknown("a peer is not an object");
  const namespaces = p["namespaces"];
  if (namespaces !== undefined) {
    if (
      isRecord(namespaces) &&
      ("namespaceSelector" in namespaces || "sameLabels" in namespaces || "notSameLabels" in namespaces)
    ) {
      warn(
        `${where}: the older ANP peer shape "namespaces.namespaceSelector" is deprecated; use "namespaces: <selector>"`,
      );
      if ("sameLabels" in namespaces || "notSameLabels" in namespaces)
        return unknown("sameLabels/notSameLabels are not supported");
      const sel = namespaces["namespaceSelector"];
      return {
        kind: "pods",
        namespaces: selector(sel, where, warn),
        pods: all,
        text: `pods in namespaces (${describeSelector(sel)})`,
      };
    }
    return {
      kind: "pods",
      namespaces: selector(namespaces, where, warn),
      pods: all,
      text: `pods in namespaces (${describeSelector(namespaces)})`,
    };
  }
  const pods = p["pods"];
  if (isRecord(pods)) {
    let nsSel = pods["namespaceSelector"];
    const old = pods["namespaces"];
    if (nsSel === undefined && isRecord(old)) {
      warn(
        `${where}: the older ANP peer shape "pods.namespaces.namespaceSelector" is deprecated; use "pods.namespaceSelector"`,
      );
      if ("sameLabels" in old || "notSameLabels" in old)
        return unknown("sameLabels/notSameLabels are not supported");
      nsSel = old["namespaceSelector"];
    }
    return {
      kind: "pods",
      namespaces: selector(nsSel, where, warn),
      pods: selector(pods["podSelector"], where, warn),
      text: `pods (${describeSelector(pods["podSelector"] ?? {})}) in namespaces (${describeSelector(nsSel ?? {})})`,
    };
  }
  if (direction === "egress" && p["nodes"] !== undefined)
    return {
      kind: "nodes",
      nodes: selector(p["nodes"], where, warn),
      text: `nodes (${describeSelector(p["nodes"])})`,
    };
  if (direction === "egress" && Array.isArray(p["networks"])) {
    const cidrs: Cidr[] = [];
    for (const n of p["networks"]) {
      const c = typeof n === "string" ? parseCidr(n) : undefined;
      if (c === undefined) warn(`${where}: invalid network "${String(n)}" ignored`);
      else cidrs.push(c);
    }
    return { kind: "networks", cidrs, text: `networks ${cidrs.map((c) => c.text).join(", ")}` };
  }
  if (direction === "egress" && p["domainNames"] !== undefined)
    return unknown("domainNames peers cannot be simulated without DNS");
  return unknown(`unknown peer type (${Object.keys(p).join(", ") || "empty"})`);
}

function parseAnpPorts(v: unknown, where: string, warn: (m: string) => void): PortMatch[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: PortMatch[] = [];
  for (const p of v) {
    if (!isRecord(p)) continue;
    const pn = p["portNumber"];
    const pr = p["portRange"];
    if (isRecord(pn)) {
      const protocol = normalizeProtocol(pn["protocol"]);
      if (protocol !== undefined && typeof pn["port"] === "number")
        out.push({ kind: "range", protocol, start: pn["port"], end: pn["port"] });
      else warn(`${where}: invalid portNumber ignored`);
    } else if (isRecord(pr)) {
      const protocol = normalizeProtocol(pr["protocol"]);
      if (protocol !== undefined && typeof pr["start"] === "number" && typeof pr["end"] === "number")
        out.push({ kind: "range", protocol, start: pr["start"], end: pr["end"] });
      else warn(`${where}: invalid portRange ignored`);
    } else if (typeof p["namedPort"] === "string")
      out.push({ kind: "named", name: p["namedPort"], protocol: undefined });
    else warn(`${where}: unknown port entry ignored`);
  }
  return out;
}

function parseCnpProtocols(v: unknown, where: string, warn: (m: string) => void): PortMatch[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: PortMatch[] = [];
  for (const p of v) {
    if (!isRecord(p)) continue;
    if (typeof p["destinationNamedPort"] === "string") {
      out.push({ kind: "named", name: p["destinationNamedPort"], protocol: undefined });
      continue;
    }
    let found = false;
    for (const [key, protocol] of [
      ["tcp", "TCP"],
      ["udp", "UDP"],
      ["sctp", "SCTP"],
    ] as const) {
      const x = p[key];
      if (!isRecord(x)) continue;
      found = true;
      const dp = x["destinationPort"];
      if (!isRecord(dp)) out.push({ kind: "protocol", protocol });
      else if (typeof dp["number"] === "number")
        out.push({ kind: "range", protocol, start: dp["number"], end: dp["number"] });
      else if (
        isRecord(dp["range"]) &&
        typeof getIn(dp, ["range", "start"]) === "number" &&
        typeof getIn(dp, ["range", "end"]) === "number"
      )
        out.push({
          kind: "range",
          protocol,
          start: getIn(dp, ["range", "start"]) as number,
          end: getIn(dp, ["range", "end"]) as number,
        });
      else warn(`${where}: invalid destinationPort ignored`);
    }
    if (!found) warn(`${where}: unknown protocols entry ignored`);
  }
  return out;
}
