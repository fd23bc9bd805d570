// `netpol who-can-reach` and `netpol diff`: questions answered over every pair of pod classes.
import type { Pod } from "./model.js";
import type { Decision, Endpoint, Simulator, Traffic, Verdict } from "./simulate.js";

export interface Reacher {
  /** Pods that behave identically as sources, listed together. */
  pods: string[];
  verdict: Verdict;
  decision: Decision;
}

/** Sources (grouped by class) whose connection to `target` is allowed or ambiguous. */
export function whoCanReach(
  sim: Simulator,
  target: Endpoint,
  traffic: (dst: Endpoint) => Traffic,
): Reacher[] {
  const t = traffic(target);
  const out: Reacher[] = [];
  for (const cls of sim.classes) {
    const src = cls.pods.find((p) => target.kind !== "pod" || p !== target.pod);
    if (src === undefined) continue;
    const decision = sim.decide(sim.podEndpoint(src), target, t);
    if (decision.verdict === "deny") continue;
    const pods = cls.pods.filter((p) => target.kind !== "pod" || p !== target.pod).map((p) => p.id);
    out.push({ pods, verdict: decision.verdict, decision });
  }
  return out;
}

export interface Change {
  from: string[];
  to: string[];
  port: number;
  protocol: string;
  before: Verdict;
  after: Verdict;
}

/**
 * Connections whose verdict differs between two sets of objects, for pods present in both (by
 * namespace/name). Pods are grouped by their class in both models, so the work is per pair of groups.
 */
export function diffReachability(before: Simulator, after: Simulator, ports: readonly Traffic[]): Change[] {
  const oldById = new Map(before.model.pods.map((p) => [p.id, p]));
  const groups = new Map<string, { pods: Pod[]; old: Pod[] }>();
  for (const p of after.model.pods) {
    const o = oldById.get(p.id);
    if (o === undefined) continue;
    const key = `${before.classOf(o).id}/${after.classOf(p).id}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { pods: [], old: [] }));
    g.pods.push(p);
    g.old.push(o);
  }
  const list = [...groups.values()];
  const changes: Change[] = [];
  for (const t of ports)
    for (const a of list)
      for (const b of list) {
        // Two distinct pods when the groups are the same (and it has two); self-traffic never changes.
        const ai = 0;
        const bi = a === b ? 1 : 0;
        const newSrc = a.pods[ai];
        const newDst = b.pods[bi];
        const oldSrc = a.old[ai];
        const oldDst = b.old[bi];
        if (newSrc === undefined || newDst === undefined || oldSrc === undefined || oldDst === undefined)
          continue;
        const v0 = before.decide(before.podEndpoint(oldSrc), before.podEndpoint(oldDst), t).verdict;
        const v1 = after.decide(after.podEndpoint(newSrc), after.podEndpoint(newDst), t).verdict;
        if (v0 === v1) continue;
        changes.push({
          from: a.pods.map((p) => p.id),
          to: b.pods.map((p) => p.id),
          port: t.port,
          protocol: t.protocol,
          before: v0,
          after: v1,
        });
      }
  return changes;
}

/** Ports worth comparing when none are given: every port the policies or the pods name. */
export function portsInPlay(...sims: Simulator[]): Traffic[] {
  const seen = new Map<string, Traffic>();
  const add = (port: number, protocol: Traffic["protocol"]) =>
    seen.set(`${port}/${protocol}`, { port, protocol });
  for (const sim of sims) {
    for (const p of sim.model.policies)
      for (const r of [...p.ingress, ...p.egress])
        for (const pm of r.ports ?? []) if (pm.kind === "range") add(pm.start, pm.protocol);
    for (const pod of sim.model.pods) for (const np of pod.ports) add(np.port, np.protocol);
  }
  if (seen.size === 0) add(80, "TCP");
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}
