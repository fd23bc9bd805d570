// `netpol explain`: for each pod and direction, the rules that apply to it by tier, in plain English.
import { escapeControl as esc } from "../core/escape.js";
import { describeRule } from "./describe.js";
import type { Pod } from "./model.js";
import type { Direction, TierName } from "./policies.js";
import type { Simulator } from "./simulate.js";

export interface TierExplanation {
  tier: TierName;
  rules: { policy: string; priority?: number; rule: string; action: string; text: string }[];
}

export interface SideExplanation {
  direction: Direction;
  isolatedBy: string[];
  tiers: TierExplanation[];
  /** What happens to traffic no rule above matches. */
  otherwise: string;
}

export interface PodExplanation {
  pod: string;
  representativeOf?: string;
  hostNetwork: boolean;
  sides: SideExplanation[];
}

export function explainPod(sim: Simulator, pod: Pod): PodExplanation {
  const cls = sim.classOf(pod);
  const out: PodExplanation = { pod: pod.id, hostNetwork: pod.hostNetwork, sides: [] };
  if (pod.representativeOf !== undefined) out.representativeOf = pod.representativeOf;
  for (const direction of ["ingress", "egress"] as const) {
    if (pod.hostNetwork) {
      out.sides.push({
        direction,
        isolatedBy: [],
        tiers: [],
        otherwise:
          "host-network pod: no NetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy applies to it",
      });
      continue;
    }
    const idx = sim.indexFor(cls, direction);
    const tiers: TierExplanation[] = [];
    const add = (tier: TierName, entry: TierExplanation["rules"][number]) => {
      let t = tiers.find((x) => x.tier === tier);
      if (t === undefined) tiers.push((t = { tier, rules: [] }));
      t.rules.push(entry);
    };
    for (const group of [...idx.admin, ...idx.np.map((p) => [p]), ...idx.baseline])
      for (const p of group)
        for (const r of p[direction])
          add(p.tier, {
            policy: p.id,
            ...(p.stage !== "np" ? { priority: p.priority } : {}),
            rule: r.name,
            action: r.action,
            text: describeRule(r),
          });
    const isolatedBy = idx.np.map((p) => p.id);
    const baselineDenies = idx.baseline.length > 0;
    const otherwise =
      isolatedBy.length > 0
        ? `isolated for ${direction} by ${isolatedBy.join(", ")}: anything the rules above do not allow is denied`
        : baselineDenies
          ? "not isolated by any NetworkPolicy: the baseline rules above decide, anything else is allowed by default"
          : "not isolated by any NetworkPolicy: anything the admin rules above do not decide is allowed by default";
    out.sides.push({ direction, isolatedBy, tiers, otherwise });
  }
  return out;
}

/** Names, labels and rule texts come from the scanned objects: escaped, so they cannot drive the terminal. */
export function formatExplanations(list: readonly PodExplanation[]): string {
  const lines: string[] = [];
  for (const e of list) {
    lines.push(
      `${esc(e.pod)}${e.representativeOf !== undefined ? ` (representative pod of ${esc(e.representativeOf)})` : ""}`,
    );
    for (const s of e.sides) {
      lines.push(`  ${s.direction === "ingress" ? "Ingress" : "Egress"}:`);
      if (s.tiers.length === 0) lines.push("    no rule applies");
      for (const t of s.tiers) {
        lines.push(
          `    ${t.tier}${t.tier === "NetworkPolicy" ? " (additive: any allow wins)" : " (first match by priority, then rule order)"}:`,
        );
        for (const r of t.rules)
          lines.push(
            `      - ${esc(r.policy)}${r.priority !== undefined ? ` [priority ${r.priority}]` : ""} ${esc(r.rule)}: ${esc(r.text)}`,
          );
      }
      lines.push(`    Otherwise: ${esc(s.otherwise)}.`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
