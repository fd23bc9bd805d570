// Plain-English pieces shared by explanations and lint messages.
import type { PolicyRule, PortMatch } from "./policies.js";

export function describePort(pm: PortMatch): string {
  switch (pm.kind) {
    case "protocol":
      return `any ${pm.protocol} port`;
    case "range":
      return pm.start === pm.end ? `${pm.protocol} ${pm.start}` : `${pm.protocol} ${pm.start}-${pm.end}`;
    case "named":
      return `named port "${pm.name}"${pm.protocol !== undefined ? `/${pm.protocol}` : ""}`;
  }
}

export function describePorts(ports: PortMatch[] | undefined): string {
  if (ports === undefined) return "any port";
  if (ports.length === 0) return "no port";
  return ports.map(describePort).join(", ");
}

/** "allows ingress from pods (app=web) in namespace prod on TCP 80" */
export function describeRule(rule: PolicyRule): string {
  const verb = rule.action === "Allow" ? "allows" : rule.action === "Deny" ? "denies" : "passes on";
  const dir = rule.direction === "ingress" ? "ingress from" : "egress to";
  const peers = rule.peers.length === 0 ? "nothing" : rule.peers.map((p) => p.text).join(" or ");
  return `${verb} ${dir} ${peers} on ${describePorts(rule.ports)}`;
}
