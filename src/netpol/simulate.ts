// The simulator: for a connection (source, destination, port, protocol), the decision of each side
// (source egress, destination ingress) and the tier, policy and rule that decided it.
//
// Pods are grouped into classes by everything a policy can look at (namespace and its labels, pod
// labels, host networking and node labels, named ports, and which CIDR peers contain the pod's IPs).
// Which policies select a class is computed once per class (the index), and decisions are cached per
// pair of classes, so the cost grows with the number of distinct label sets, not with pods.
import { UsageError } from "../core/errors.js";
import { cidrContains, isIp } from "./cidr.js";
import { labelKey, type Labels } from "./labels.js";
import {
  nodeOf,
  normalizeProtocol,
  type Model,
  type NamedPort,
  type Namespace,
  type Node,
  type Pod,
  type Protocol,
} from "./model.js";
import type { Action, Direction, Peer, Policy, PolicyRule, TierName } from "./policies.js";

export type OutcomeTier = TierName | "Default" | "Self" | "n/a";
export type Verdict = "allow" | "deny" | "ambiguous";

export interface Outcome {
  tier: OutcomeTier;
  action: Action;
  policy?: string;
  rule?: string;
  /** NetworkPolicies that allowed; or, when denied, all that isolate the pod. */
  policies?: string[];
  /** The Admin/Baseline rule that passed the connection on to the next tier. */
  passedBy?: { policy: string; rule: string };
  /** Plain-English reason. */
  reason: string;
  /** Equal-priority policies that disagree: the outcomes an implementation may pick instead. */
  ambiguous?: boolean;
  alternatives?: Outcome[];
}

export interface Decision {
  verdict: Verdict;
  egress: Outcome;
  ingress: Outcome;
}

export interface Traffic {
  port: number;
  protocol: Protocol;
}

export interface PodClass {
  id: number;
  key: string;
  namespace: Namespace;
  labels: Labels;
  hostNetwork: boolean;
  node: Node | undefined;
  ports: NamedPort[];
  ips: string[];
  pods: Pod[];
}

export type Endpoint =
  { kind: "pod"; pod: Pod; cls: PodClass } | { kind: "ip"; ip: string; node: Node | undefined };

const ADMIN = 0;
const NETWORK_POLICY = 1;
const BASELINE = 2;

interface SideContext {
  idx: SideIndex;
  direction: Direction;
  peer: Endpoint;
  dst: Endpoint;
  t: Traffic;
}

interface SideIndex {
  /** Admin-tier policies selecting the class, grouped by priority (ascending), each group by name. */
  admin: Policy[][];
  /** NetworkPolicies isolating the class for this direction. */
  np: Policy[];
  baseline: Policy[][];
}

const byName = (a: Policy, b: Policy) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function groupByPriority(policies: Policy[]): Policy[][] {
  const sorted = [...policies].sort((a, b) => a.priority - b.priority || byName(a, b));
  const groups: Policy[][] = [];
  for (const p of sorted) {
    const last = groups.at(-1);
    if (last?.[0]?.priority === p.priority) last.push(p);
    else groups.push([p]);
  }
  return groups;
}

export function endpointName(e: Endpoint): string {
  return e.kind === "pod" ? e.pod.id : e.node !== undefined ? `${e.ip} (node ${e.node.name})` : e.ip;
}

export class Simulator {
  readonly model: Model;
  readonly classes: PodClass[] = [];
  private readonly classByPod = new Map<Pod, PodClass>();
  private readonly podById = new Map<string, Pod>();
  private readonly podByIp = new Map<string, Pod>();
  /** Decisions between pod classes, by traffic, then by from/to class pair. */
  private readonly cache = new Map<string, Map<number, Decision>>();
  private readonly peerMemo = new Map<PolicyRule, Int8Array>();
  /** Outcomes are immutable once made: share the common ones (no Pass involved) between decisions. */
  private readonly outcomeMemo = new Map<object, Outcome[]>();
  private readonly sideIndexByClass: (SideIndex | undefined)[] = [];
  private readonly adminPolicies: Policy[];
  private readonly baselinePolicies: Policy[];
  private readonly npPolicies: Policy[];

  constructor(model: Model) {
    this.model = model;
    this.adminPolicies = model.policies.filter((p) => p.stage === "admin");
    this.baselinePolicies = model.policies.filter((p) => p.stage === "baseline");
    this.npPolicies = model.policies.filter((p) => p.stage === "np");
    // Distinct CIDR peers (many policies repeat the same block): a pod's class records which contain it.
    const ipPeers = new Map<string, Peer>();
    for (const p of model.policies)
      for (const r of [...p.ingress, ...p.egress])
        for (const peer of r.peers)
          if (peer.kind === "ipBlock" || peer.kind === "networks")
            ipPeers.set(`${peer.kind}:${peer.text}`, peer);
    const byKey = new Map<string, PodClass>();
    for (const pod of model.pods) {
      this.podById.set(pod.id, pod);
      for (const ip of pod.ips) if (!this.podByIp.has(ip)) this.podByIp.set(ip, pod);
      const ns = model.namespaces.get(pod.namespace) ?? { name: pod.namespace, labels: {}, declared: false };
      const node = pod.hostNetwork ? nodeOf(model, pod) : undefined;
      let ipSig = "";
      if (pod.ips.length > 0)
        for (const peer of ipPeers.values()) ipSig += peerMatchesIps(peer, pod.ips) ? "1" : "0";
      const portSig = pod.ports
        .map((p) => `${p.name ?? ""}:${p.port}/${p.protocol}`)
        .sort()
        .join(",");
      const key = pod.hostNetwork
        ? `host|${node?.name ?? ""}|${labelKey(node?.labels ?? {})}|${ipSig}`
        : `${pod.namespace}|${labelKey(ns.labels)}|${labelKey(pod.labels)}|${portSig}|${ipSig}`;
      let cls = byKey.get(key);
      if (cls === undefined) {
        cls = {
          id: this.classes.length,
          key,
          namespace: ns,
          labels: pod.labels,
          hostNetwork: pod.hostNetwork,
          node,
          ports: pod.ports,
          ips: pod.ips,
          pods: [],
        };
        byKey.set(key, cls);
        this.classes.push(cls);
      }
      cls.pods.push(pod);
      this.classByPod.set(pod, cls);
    }
  }

  classOf(pod: Pod): PodClass {
    const c = this.classByPod.get(pod);
    if (c === undefined) throw new Error(`pod ${pod.id} is not in the model`);
    return c;
  }

  podEndpoint(pod: Pod): Endpoint {
    return { kind: "pod", pod, cls: this.classOf(pod) };
  }

  /** `NS/POD`, `POD` (namespace default) or an IP address; an IP of a known pod becomes that pod. */
  resolve(spec: string): Endpoint {
    if (isIp(spec)) {
      const pod = this.podByIp.get(spec);
      if (pod !== undefined) return this.podEndpoint(pod);
      return { kind: "ip", ip: spec, node: this.model.nodes.find((n) => n.ips.includes(spec)) };
    }
    const id = spec.includes("/") ? spec : `default/${spec}`;
    const pod = this.podById.get(id);
    if (pod === undefined) {
      const hint = this.model.representative ? " (pods are named after their workloads: NS/WORKLOAD)" : "";
      throw new UsageError(`no pod "${id}" in the input${hint}`);
    }
    return this.podEndpoint(pod);
  }

  /** A port given as a number or a name; a name is resolved on the destination pod's containerPorts. */
  traffic(port: string | number, protocol: string | undefined, dst: Endpoint): Traffic {
    const proto = protocol === undefined ? undefined : normalizeProtocol(protocol);
    if (protocol !== undefined && proto === undefined)
      throw new UsageError(`unknown protocol "${protocol}" (expected TCP, UDP or SCTP)`);
    const n = typeof port === "number" ? port : /^\d+$/.test(port) ? Number(port) : undefined;
    if (n !== undefined) {
      if (!Number.isInteger(n) || n < 1 || n > 65535)
        throw new UsageError(`port ${port} is out of range 1-65535`);
      return { port: n, protocol: proto ?? "TCP" };
    }
    if (dst.kind !== "pod") throw new UsageError(`named port "${port}" needs a pod destination`);
    const matches = dst.pod.ports.filter(
      (p) => p.name === port && (proto === undefined || p.protocol === proto),
    );
    const found = matches[0];
    if (found === undefined)
      throw new UsageError(
        `pod ${dst.pod.id} has no container port named "${port}"${proto !== undefined ? ` with protocol ${proto}` : ""}`,
      );
    return { port: found.port, protocol: found.protocol };
  }

  decide(src: Endpoint, dst: Endpoint, t: Traffic): Decision {
    if (src.kind === "pod" && dst.kind === "pod" && src.pod === dst.pod) {
      const self: Outcome = { tier: "Self", action: "Allow", reason: "a pod can always reach itself" };
      return { verdict: "allow", egress: self, ingress: { ...self } };
    }
    if (src.kind === "ip" && dst.kind === "ip")
      throw new UsageError("at least one side of a connection must be a pod");
    let cache: Map<number, Decision> | undefined;
    let key = 0;
    if (src.kind === "pod" && dst.kind === "pod") {
      const tk = `${t.protocol}:${t.port}`;
      cache = this.cache.get(tk);
      if (cache === undefined) this.cache.set(tk, (cache = new Map<number, Decision>()));
      key = src.cls.id * this.classes.length + dst.cls.id;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
    }
    const egressBranches = this.side("egress", src, dst, t);
    const ingressBranches = this.side("ingress", dst, src, t);
    const decision: Decision = {
      verdict: verdictOf(egressBranches, ingressBranches),
      egress: summarise(egressBranches),
      ingress: summarise(ingressBranches),
    };
    cache?.set(key, decision);
    return decision;
  }

  /** The policies that apply to a class for one direction, by tier: the compiled index. */
  indexFor(cls: PodClass, direction: Direction): SideIndex {
    const slot = cls.id * 2 + (direction === "ingress" ? 0 : 1);
    let idx = this.sideIndexByClass[slot];
    if (idx !== undefined) return idx;
    const selects = (p: Policy) =>
      p.affects[direction] &&
      !cls.hostNetwork &&
      p.subject.namespaces(cls.namespace.labels) &&
      p.subject.pods(cls.labels);
    idx = {
      admin: groupByPriority(this.adminPolicies.filter(selects)),
      np: this.npPolicies.filter(selects).sort(byName),
      baseline: groupByPriority(this.baselinePolicies.filter(selects)),
    };
    this.sideIndexByClass[slot] = idx;
    return idx;
  }

  /** All outcomes one side can have (more than one only when equal-priority policies disagree). */
  private side(direction: Direction, subject: Endpoint, peer: Endpoint, t: Traffic): Outcome[] {
    if (subject.kind === "ip")
      return [
        {
          tier: "n/a",
          action: "Allow",
          reason: `${subject.ip} is outside the pod network; no policy applies to it`,
        },
      ];
    if (subject.cls.hostNetwork)
      return [
        {
          tier: "n/a",
          action: "Allow",
          reason: "host-network pods are not selected by NetworkPolicies or Admin/Baseline policies",
        },
      ];
    const ctx: SideContext = {
      idx: this.indexFor(subject.cls, direction),
      direction,
      peer,
      dst: direction === "egress" ? peer : subject,
      t,
    };
    return this.fromStage(ADMIN, ctx, undefined);
  }

  /** Evaluation from one stage on: Admin tier, NetworkPolicy, Baseline tier, default allow. */
  private fromStage(stage: number, ctx: SideContext, passedBy: Outcome["passedBy"]): Outcome[] {
    const verb = ctx.direction === "egress" ? "egress from the source" : "ingress to the destination";
    switch (stage) {
      case ADMIN:
        return this.runTier(ctx.idx.admin, ADMIN, ctx, passedBy);
      case NETWORK_POLICY: {
        const np = ctx.idx.np;
        if (np.length === 0) return this.fromStage(BASELINE, ctx, passedBy);
        let allowing: { policy: Policy; rule: PolicyRule }[] | undefined;
        for (const p of np) {
          for (const rule of p[ctx.direction])
            if (this.ruleMatches(rule, ctx.peer, ctx.dst, ctx.t)) {
              (allowing ??= []).push({ policy: p, rule });
              break;
            }
        }
        const first = allowing?.[0];
        if (allowing !== undefined && first !== undefined) {
          const list = allowing;
          const ids = list.map((a) => a.policy.id);
          return this.memo(passedBy === undefined && list.length === 1 ? first.rule : undefined, () => [
            withPass(
              {
                tier: "NetworkPolicy",
                action: "Allow",
                policy: first.policy.id,
                rule: first.rule.name,
                policies: ids,
                reason: `NetworkPolicy ${ids.join(", ")} ${ids.length > 1 ? "allow" : "allows"} ${verb}`,
              },
              passedBy,
            ),
          ]);
        }
        const ids = np.map((p) => p.id);
        return this.memo(passedBy === undefined ? np : undefined, () => [
          withPass(
            {
              tier: "NetworkPolicy",
              action: "Deny",
              policy: ids[0] ?? "",
              policies: ids,
              reason: `the pod is isolated for ${ctx.direction} by NetworkPolicy ${ids.join(", ")} and no rule of them allows this`,
            },
            passedBy,
          ),
        ]);
      }
      case BASELINE:
        return this.runTier(ctx.idx.baseline, BASELINE, ctx, passedBy);
      default:
        return this.memo(passedBy === undefined ? DEFAULT_KEYS[ctx.direction] : undefined, () => [
          withPass(
            {
              tier: "Default",
              action: "Allow",
              reason: `no policy decides ${verb}; Kubernetes allows by default`,
            },
            passedBy,
          ),
        ]);
    }
  }

  /**
   * One priority-ordered tier. The first priority group with a matching rule decides; inside a
   * policy the first matching rule wins. Pass (or no match) continues with the next stage.
   */
  private runTier(
    groups: Policy[][],
    stage: number,
    ctx: SideContext,
    passedBy: Outcome["passedBy"],
  ): Outcome[] {
    for (const group of groups) {
      let hits: PolicyRule[] | undefined;
      for (const p of group) {
        for (const rule of p[ctx.direction])
          if (this.ruleMatches(rule, ctx.peer, ctx.dst, ctx.t)) {
            (hits ??= []).push(rule);
            break;
          }
      }
      if (hits === undefined) continue;
      const only = hits.length === 1 ? hits[0] : undefined;
      if (only !== undefined && only.action !== "Pass" && passedBy === undefined)
        return this.memo(only, () => [ruleOutcome(only, undefined)]);
      const byAction = new Map<Action, PolicyRule>();
      for (const h of hits) if (!byAction.has(h.action)) byAction.set(h.action, h);
      const out: Outcome[] = [];
      for (const [action, rule] of byAction) {
        const pol = rule.policy;
        if (action === "Pass") {
          for (const o of this.fromStage(stage + 1, ctx, { policy: pol.id, rule: rule.name })) out.push(o);
        } else out.push(ruleOutcome(rule, passedBy));
      }
      return out;
    }
    return this.fromStage(stage + 1, ctx, passedBy);
  }

  private memo(key: object | undefined, make: () => Outcome[]): Outcome[] {
    if (key === undefined) return make();
    let v = this.outcomeMemo.get(key);
    if (v === undefined) this.outcomeMemo.set(key, (v = make()));
    return v;
  }

  ruleMatches(rule: PolicyRule, peer: Endpoint, dst: Endpoint, t: Traffic): boolean {
    if (!portsMatch(rule, dst, t)) return false;
    if (peer.kind !== "pod") return rule.peers.some((p) => this.peerMatches(p, peer));
    // Whether a rule's peers match a pod depends only on its class: remember it per rule and class.
    let memo = this.peerMemo.get(rule);
    if (memo === undefined) {
      memo = new Int8Array(this.classes.length);
      this.peerMemo.set(rule, memo);
    }
    const id = peer.cls.id;
    let v = memo[id] ?? 0;
    if (v === 0) {
      v = rule.peers.some((p) => this.peerMatches(p, peer)) ? 1 : -1;
      memo[id] = v;
    }
    return v === 1;
  }

  peerMatches(peer: Peer, e: Endpoint): boolean {
    switch (peer.kind) {
      case "all":
        return true;
      case "none":
        return false;
      case "pods":
        return (
          e.kind === "pod" &&
          !e.cls.hostNetwork &&
          peer.namespaces(e.cls.namespace.labels) &&
          peer.pods(e.cls.labels)
        );
      case "nodes":
        if (e.kind === "ip") return e.node !== undefined && peer.nodes(e.node.labels);
        return e.cls.hostNetwork && peer.nodes(e.cls.node?.labels ?? {});
      case "ipBlock":
      case "networks":
        return peerMatchesIps(peer, e.kind === "ip" ? [e.ip] : e.cls.ips);
    }
  }
}

function peerMatchesIps(peer: Peer, ips: readonly string[]): boolean {
  if (peer.kind === "ipBlock")
    return ips.some((ip) => cidrContains(peer.cidr, ip) && !peer.except.some((c) => cidrContains(c, ip)));
  if (peer.kind === "networks") return ips.some((ip) => peer.cidrs.some((c) => cidrContains(c, ip)));
  return false;
}

function portsMatch(rule: PolicyRule, dst: Endpoint, t: Traffic): boolean {
  if (rule.ports === undefined) return true;
  return rule.ports.some((pm) => {
    switch (pm.kind) {
      case "protocol":
        return pm.protocol === t.protocol;
      case "range":
        return pm.protocol === t.protocol && t.port >= pm.start && t.port <= pm.end;
      case "named":
        // Named ports are resolved on the destination pod, with the container port's own protocol.
        if (dst.kind !== "pod" || (pm.protocol !== undefined && pm.protocol !== t.protocol)) return false;
        return dst.pod.ports.some(
          (p) => p.name === pm.name && p.port === t.port && p.protocol === t.protocol,
        );
    }
  });
}

const DEFAULT_KEYS: Record<Direction, object> = { ingress: {}, egress: {} };

function ruleOutcome(rule: PolicyRule, passedBy: Outcome["passedBy"]): Outcome {
  const pol = rule.policy;
  const verb = rule.action === "Allow" ? "allows" : "denies";
  return withPass(
    {
      tier: pol.tier,
      action: rule.action,
      policy: pol.id,
      rule: rule.name,
      reason: `${pol.tier} ${pol.id} (priority ${pol.priority}) rule ${rule.name} ${verb} it`,
    },
    passedBy,
  );
}

function withPass(o: Outcome, passedBy: Outcome["passedBy"]): Outcome {
  if (passedBy !== undefined) {
    o.passedBy = passedBy;
    o.reason = `${o.reason} (passed on by ${passedBy.policy} rule ${passedBy.rule})`;
  }
  return o;
}

function finalActions(branches: Outcome[]): Set<Action> {
  return new Set(branches.map((b) => b.action));
}

function summarise(branches: Outcome[]): Outcome {
  const [first, ...rest] = branches;
  if (first === undefined) throw new Error("no outcome");
  if (rest.length === 0) return first;
  const o: Outcome = { ...first, alternatives: rest };
  if (finalActions(branches).size > 1) {
    o.ambiguous = true;
    o.reason = `${first.reason}; but equal-priority policies disagree, so an implementation may instead apply: ${rest.map((r) => r.reason).join("; ")}`;
  }
  return o;
}

function verdictOf(egress: Outcome[], ingress: Outcome[]): Verdict {
  const e = finalActions(egress);
  const i = finalActions(ingress);
  const canAllow = e.has("Allow") && i.has("Allow");
  const canDeny = e.has("Deny") || i.has("Deny");
  return canAllow && canDeny ? "ambiguous" : canAllow ? "allow" : "deny";
}
