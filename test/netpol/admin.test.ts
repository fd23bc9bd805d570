// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy tiers. Scenarios mirror the
// upstream network-policy-api conformance tests (conformance/tests/*.go and conformance/base/**) over
// our own copy of the conformance base cluster (fixtures/base.yaml); each cites the scenario.
import { describe, expect, it } from "vitest";
import { BASE, G, H, R, S, can, simOf, verdict } from "./helpers.js";

const anp = (name: string, priority: number, body: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${body}`;
const banp = (body: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n${body}`;
const cnp = (name: string, tier: string, priority: number, body: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n${body}`;
const house = (h: string) => `{matchLabels: {conformance-house: ${h}}}`;

// conformance/base/api_integration/core-anp-np-banp.yaml, with the action the test patches in.
function integration(ingressAction: string, egressAction: string, withNetworkPolicy = true): string[] {
  const docs = [
    anp(
      "pass-example",
      10,
      `  subject: {namespaces: ${house("gryffindor")}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: ${ingressAction}, from: [{namespaces: ${house("slytherin")}}]}
  egress:
  - {name: deny-all-egress-to-slytherin, action: ${egressAction}, to: [{namespaces: ${house("slytherin")}}]}`,
    ),
    banp(`  subject: {namespaces: ${house("gryffindor")}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: Deny, from: [{namespaces: ${house("slytherin")}}]}
  egress:
  - {name: deny-all-egress-to-slytherin, action: Deny, to: [{namespaces: ${house("slytherin")}}]}`),
  ];
  if (withNetworkPolicy)
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-gress-from-to-slytherin-to-gryffindor, namespace: ${G}}
spec:
  podSelector:
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: ${house("slytherin")}}]}]
  egress: [{to: [{namespaceSelector: ${house("slytherin")}}]}]`);
  return docs;
}

describe("AdminNetworkPolicyIntegration (conformance/tests/admin-network-policy-core-integration.go)", () => {
  it("Should Deny traffic from slytherin to gryffindor respecting ANP", () => {
    const sim = simOf(BASE, ...integration("Deny", "Deny"));
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("deny");
    expect(d.ingress).toMatchObject({
      tier: "AdminNetworkPolicy",
      action: "Deny",
      policy: "pass-example",
      rule: "deny-all-ingress-from-slytherin",
    });
    expect(verdict(sim, `${S}/draco-malfoy-1`, `${G}/harry-potter-0`, 8080)).toBe("deny");
  });

  it("Should Deny traffic to slytherin from gryffindor respecting ANP", () => {
    const sim = simOf(BASE, ...integration("Deny", "Deny"));
    const d = can(sim, `${G}/harry-potter-0`, `${S}/draco-malfoy-0`, 80);
    expect(d.egress).toMatchObject({
      tier: "AdminNetworkPolicy",
      action: "Deny",
      rule: "deny-all-egress-to-slytherin",
    });
    expect(d.verdict).toBe("deny");
  });

  it("Should support a 'pass-ingress' policy for ANP and respect the match for network policy", () => {
    const sim = simOf(BASE, ...integration("Pass", "Deny"));
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("allow");
    expect(d.ingress).toMatchObject({
      tier: "NetworkPolicy",
      action: "Allow",
      policies: [`${G}/allow-gress-from-to-slytherin-to-gryffindor`],
      passedBy: { policy: "pass-example", rule: "deny-all-ingress-from-slytherin" },
    });
  });

  it("Should support a 'pass-egress' policy for ANP and respect the match for network policy", () => {
    const sim = simOf(BASE, ...integration("Deny", "Pass"));
    expect(verdict(sim, `${G}/harry-potter-1`, `${S}/draco-malfoy-0`, 8080)).toBe("allow");
  });

  it("Should support a 'pass-ingress' policy for ANP and respect the match for baseline admin network policy", () => {
    const sim = simOf(BASE, ...integration("Pass", "Pass", false));
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("deny");
    expect(d.ingress).toMatchObject({
      tier: "BaselineAdminNetworkPolicy",
      action: "Deny",
      policy: "default",
    });
    expect(d.ingress.passedBy?.policy).toBe("pass-example");
  });

  it("Should support a 'pass-egress' policy for ANP and respect the match for baseline admin network policy", () => {
    const sim = simOf(BASE, ...integration("Pass", "Pass", false));
    expect(can(sim, `${G}/harry-potter-0`, `${S}/draco-malfoy-0`, 80).egress).toMatchObject({
      tier: "BaselineAdminNetworkPolicy",
      action: "Deny",
    });
  });

  it("lets a NetworkPolicy deny win over a BANP allow (BANP is consulted only for pods NetworkPolicy does not isolate)", () => {
    const sim = simOf(
      BASE,
      banp(
        `  subject: {namespaces: {}}\n  ingress: [{name: allow-all, action: Allow, from: [{namespaces: {}}]}]`,
      ),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${G}}\nspec: {podSelector: {}}`,
    );
    expect(can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      tier: "NetworkPolicy",
      action: "Deny",
    });
    expect(can(sim, `${S}/draco-malfoy-0`, `${H}/cedric-diggory-0`, 80).ingress).toMatchObject({
      tier: "BaselineAdminNetworkPolicy",
      action: "Allow",
    });
  });
});

describe("AdminNetworkPolicyPriorityField (conformance/base/admin_network_policy/core-priority-field.yaml)", () => {
  // The base file uses the older `pods.namespaces.namespaceSelector` peer shape; keep it to test that path too.
  const policies = (passPriority: number) => [
    anp(
      "priority-50-example",
      50,
      `  subject: {pods: {namespaceSelector: ${house("gryffindor")}, podSelector: ${house("gryffindor")}}}
  ingress:
  - name: deny-all-ingress-from-slytherin
    action: Deny
    from: [{pods: {namespaces: {namespaceSelector: ${house("slytherin")}}, podSelector: ${house("slytherin")}}}]`,
    ),
    anp(
      "old-priority-60-new-priority-40-example",
      passPriority,
      `  subject: {pods: {namespaceSelector: ${house("gryffindor")}, podSelector: ${house("gryffindor")}}}
  ingress:
  - name: pass-all-ingress-from-slytherin
    action: Pass
    from: [{pods: {namespaces: {namespaceSelector: ${house("slytherin")}}, podSelector: ${house("slytherin")}}}]`,
    ),
    banp(`  subject: {pods: {namespaceSelector: ${house("gryffindor")}, podSelector: ${house("gryffindor")}}}
  ingress:
  - name: allow-all-ingress-from-slytherin
    action: Allow
    from: [{pods: {namespaceSelector: ${house("slytherin")}, podSelector: ${house("slytherin")}}}]`),
  ];

  it("applies the lower priority number first (Deny at 50 beats Pass at 60)", () => {
    const sim = simOf(BASE, ...policies(60));
    expect(can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      action: "Deny",
      policy: "priority-50-example",
    });
  });

  it("after the update to 40 the Pass wins and the BANP allows", () => {
    const sim = simOf(BASE, ...policies(40));
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("allow");
    expect(d.ingress).toMatchObject({
      tier: "BaselineAdminNetworkPolicy",
      passedBy: { policy: "old-priority-60-new-priority-40-example" },
    });
  });

  it("warns about the deprecated peer shape", () => {
    const sim = simOf(BASE, ...policies(60));
    expect(sim.model.warnings.some((w) => /older ANP peer shape .* deprecated/.test(w.message))).toBe(true);
  });
});

describe("same priority (conformance/base/admin_tier/same-priority-1.yaml, standard-same-priority.yaml)", () => {
  it("decides by rule order inside one policy", () => {
    const sim = simOf(
      BASE,
      cnp(
        "same-priority-1",
        "Admin",
        15,
        `  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ${G}}}}
  ingress:
  - {name: allow-from-ravenclaw, action: Accept, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${R}}}}]}
  - {name: deny-all-else, action: Deny, from: [{namespaces: {matchLabels: {}}}]}`,
      ),
    );
    expect(can(sim, `${R}/luna-lovegood-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      tier: "ClusterNetworkPolicy/Admin",
      action: "Allow",
      rule: "allow-from-ravenclaw",
    });
    expect(can(sim, `${H}/cedric-diggory-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      action: "Deny",
      rule: "deny-all-else",
    });
  });

  it("reports equal-priority policies that disagree as ambiguous, with both outcomes", () => {
    const sim = simOf(
      BASE,
      anp(
        "a-allow",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: allow, action: Allow, from: [{namespaces: {}}]}]`,
      ),
      anp(
        "b-deny",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: deny, action: Deny, from: [{namespaces: {}}]}]`,
      ),
    );
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("ambiguous");
    expect(d.ingress.ambiguous).toBe(true);
    expect([d.ingress.policy, ...(d.ingress.alternatives ?? []).map((a) => a.policy)]).toEqual([
      "a-allow",
      "b-deny",
    ]);
    expect(d.ingress.alternatives?.[0]?.action).toBe("Deny");
  });

  it("follows a Pass branch to the end before calling it ambiguous", () => {
    // Pass goes on to the NetworkPolicy tier, which allows: both branches allow, so no ambiguity.
    const sim = simOf(
      BASE,
      anp(
        "a-allow",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: allow, action: Allow, from: [{namespaces: {}}]}]`,
      ),
      anp(
        "b-pass",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: pass, action: Pass, from: [{namespaces: {}}]}]`,
      ),
    );
    const d = can(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80);
    expect(d.verdict).toBe("allow");
    expect(d.ingress.ambiguous).toBeUndefined();
    // With a NetworkPolicy that isolates and denies, the Pass branch denies: now it is ambiguous.
    const sim2 = simOf(
      BASE,
      anp(
        "a-allow",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: allow, action: Allow, from: [{namespaces: {}}]}]`,
      ),
      anp(
        "b-pass",
        5,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: pass, action: Pass, from: [{namespaces: {}}]}]`,
      ),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${G}}\nspec: {podSelector: {}}`,
    );
    expect(verdict(sim2, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80)).toBe("ambiguous");
  });
});

describe("ANP ports (conformance core-ingress-tcp/udp/sctp-rules, standard-port-range-rules)", () => {
  const withPorts = (ports: string) =>
    anp(
      "ports",
      16,
      `  subject: {namespaces: ${house("gryffindor")}}
  ingress:
  - {name: deny-ports, action: Deny, from: [{namespaces: ${house("slytherin")}}], ports: ${ports}}`,
    );
  const from = `${S}/draco-malfoy-0`;
  const to = `${G}/harry-potter-0`;

  it("portNumber with TCP, UDP and SCTP", () => {
    const sim = simOf(
      BASE,
      withPorts(
        "[{portNumber: {protocol: TCP, port: 80}}, {portNumber: {protocol: UDP, port: 53}}, {portNumber: {protocol: SCTP, port: 9003}}]",
      ),
    );
    expect(verdict(sim, from, to, 80)).toBe("deny");
    expect(verdict(sim, from, to, 8080)).toBe("allow");
    expect(verdict(sim, from, to, 53, "UDP")).toBe("deny");
    expect(verdict(sim, from, to, 5353, "UDP")).toBe("allow");
    expect(verdict(sim, from, to, 9003, "SCTP")).toBe("deny");
    expect(verdict(sim, from, to, 9005, "SCTP")).toBe("allow");
  });

  it("portRange is inclusive", () => {
    const sim = simOf(BASE, withPorts("[{portRange: {protocol: TCP, start: 80, end: 8080}}]"));
    expect(verdict(sim, from, to, 80)).toBe("deny");
    expect(verdict(sim, from, to, 8080)).toBe("deny");
    expect(verdict(sim, from, to, 8081)).toBe("allow");
    expect(verdict(sim, from, to, 80, "UDP")).toBe("allow");
  });

  it("namedPort uses the destination's containerPort and its protocol", () => {
    const sim = simOf(BASE, withPorts("[{namedPort: dns}]"));
    expect(verdict(sim, from, to, 53, "UDP")).toBe("deny");
    expect(verdict(sim, from, to, 53, "TCP")).toBe("allow");
    expect(verdict(sim, from, to, "dns")).toBe("deny");
  });
});

describe("ANP peers", () => {
  it("networks match external addresses and pod IPs (conformance standard-egress-inline-cidr-rules)", () => {
    const sim = simOf(
      BASE,
      anp(
        "cidr",
        70,
        `  subject: {namespaces: ${house("gryffindor")}}
  egress:
  - {name: deny-to-slytherin-ips, action: Deny, to: [{networks: [10.0.2.0/24]}]}
  - {name: deny-to-outside, action: Deny, to: [{networks: [0.0.0.0/0]}]}`,
      ),
    );
    expect(can(sim, `${G}/harry-potter-0`, `${S}/draco-malfoy-0`, 80).egress.rule).toBe(
      "deny-to-slytherin-ips",
    );
    expect(can(sim, `${G}/harry-potter-0`, "1.1.1.1", 443).egress.rule).toBe("deny-to-outside");
    expect(can(sim, `${G}/harry-potter-0`, `${H}/cedric-diggory-0`, 80).egress.rule).toBe("deny-to-outside");
  });

  it("nodes match node addresses and host-network pods on matching nodes (conformance experimental-egress-selector-rules)", () => {
    const nodes = `
apiVersion: v1
kind: Node
metadata: {name: cp, labels: {node-role.kubernetes.io/control-plane: ""}}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
---
apiVersion: v1
kind: Node
metadata: {name: worker, labels: {}}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
---
apiVersion: v1
kind: Pod
metadata: {name: node-exporter, namespace: monitoring, labels: {conformance-house: gryffindor}}
spec: {hostNetwork: true, nodeName: cp, containers: [{name: c}]}
status: {podIP: 172.18.0.2}
`;
    const sim = simOf(
      BASE,
      nodes,
      anp(
        "nodes",
        4,
        `  subject: {namespaces: ${house("gryffindor")}}
  egress:
  - {name: deny-control-plane, action: Deny, to: [{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}]}`,
      ),
    );
    expect(can(sim, `${G}/harry-potter-0`, "172.18.0.2", 6443).egress.action).toBe("Deny");
    expect(can(sim, `${G}/harry-potter-0`, "172.18.0.3", 10250).egress.tier).toBe("Default");
    expect(can(sim, `${G}/harry-potter-0`, "monitoring/node-exporter", 9100).egress.action).toBe("Deny");
  });

  it("never selects host-network pods as subjects or pods peers", () => {
    const sim = simOf(
      BASE,
      `apiVersion: v1\nkind: Pod\nmetadata: {name: h, namespace: ${G}, labels: {conformance-house: gryffindor}}\nspec: {hostNetwork: true, containers: [{name: c}]}\nstatus: {podIP: 172.18.0.9}`,
      anp(
        "deny-all",
        1,
        `  subject: {namespaces: {}}\n  ingress: [{name: deny, action: Deny, from: [{namespaces: {}}]}]`,
      ),
    );
    expect(can(sim, `${S}/draco-malfoy-0`, `${G}/h`, 80).ingress.tier).toBe("n/a");
    expect(can(sim, `${G}/h`, `${S}/draco-malfoy-0`, 80).ingress.tier).toBe("Default");
  });

  it("fails closed on an unknown peer: Deny matches everything, Allow nothing", () => {
    const sim = simOf(
      BASE,
      anp(
        "future",
        3,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: deny, action: Deny, from: [{serviceAccounts: {name: x}}]}]`,
      ),
    );
    expect(verdict(sim, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80)).toBe("deny");
    expect(sim.model.warnings.some((w) => /failing closed/.test(w.message))).toBe(true);
    const sim2 = simOf(
      BASE,
      anp(
        "future",
        3,
        `  subject: {namespaces: ${house("gryffindor")}}\n  ingress: [{name: allow, action: Allow, from: [{serviceAccounts: {name: x}}]}]`,
      ),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${G}}\nspec: {podSelector: {}}`,
    );
    expect(can(sim2, `${S}/draco-malfoy-0`, `${G}/harry-potter-0`, 80).ingress.tier).toBe("NetworkPolicy");
  });
});

describe("ClusterNetworkPolicy v1alpha2", () => {
  it("Baseline tier applies after NetworkPolicy; protocols select ports (conformance baseline_tier/standard-ingress-tcp-rules)", () => {
    const sim = simOf(
      BASE,
      cnp(
        "baseline",
        "Baseline",
        10,
        `  subject: {namespaces: ${house("gryffindor")}}
  ingress:
  - name: deny-tcp-80-from-slytherin
    action: Deny
    from: [{namespaces: ${house("slytherin")}}]
    protocols: [{tcp: {destinationPort: {number: 80}}}, {udp: {destinationPort: {range: {start: 50, end: 60}}}}, {destinationNamedPort: sctp-a}]`,
      ),
    );
    const from = `${S}/draco-malfoy-0`;
    const to = `${G}/harry-potter-0`;
    expect(can(sim, from, to, 80).ingress).toMatchObject({
      tier: "ClusterNetworkPolicy/Baseline",
      action: "Deny",
    });
    expect(verdict(sim, from, to, 8080)).toBe("allow");
    expect(verdict(sim, from, to, 53, "UDP")).toBe("deny");
    expect(verdict(sim, from, to, 5353, "UDP")).toBe("allow");
    expect(verdict(sim, from, to, 9003, "SCTP")).toBe("deny");
    expect(verdict(sim, from, to, 9005, "SCTP")).toBe("allow");
  });

  it("Admin-tier Pass goes to NetworkPolicy, then Baseline", () => {
    const sim = simOf(
      BASE,
      cnp(
        "admin",
        "Admin",
        1,
        `  subject: {namespaces: {}}\n  egress: [{name: pass-all, action: Pass, to: [{networks: [0.0.0.0/0]}]}]`,
      ),
      cnp(
        "base",
        "Baseline",
        1,
        `  subject: {namespaces: {}}\n  egress: [{name: deny-outside, action: Deny, to: [{networks: [0.0.0.0/0]}]}]`,
      ),
    );
    const d = can(sim, `${G}/harry-potter-0`, "8.8.8.8", 53, "UDP");
    expect(d.egress).toMatchObject({
      tier: "ClusterNetworkPolicy/Baseline",
      action: "Deny",
      passedBy: { policy: "admin", rule: "pass-all" },
    });
  });

  it("hairpin: a pod reaches itself even when its namespace denies its own ingress (conformance admin-network-policy-hairpin-rules)", () => {
    const sim = simOf(
      BASE,
      cnp(
        "hairpin-ingress-deny",
        "Admin",
        15,
        `  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ${G}}}}
  ingress: [{name: deny-gryffindor-ingress, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${G}}}}]}]`,
      ),
    );
    expect(verdict(sim, `${G}/harry-potter-0`, `${G}/harry-potter-0`, 80)).toBe("allow");
    expect(verdict(sim, `${G}/harry-potter-1`, `${G}/harry-potter-0`, 80)).toBe("deny");
  });
});

describe("the class index", () => {
  it("puts pods with equal labels in one class, and splits them when an ipBlock tells them apart", () => {
    const sim = simOf(BASE);
    expect(sim.classes).toHaveLength(4);
    const split = simOf(
      BASE,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ip, namespace: ${H}}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.1.10/32}}]}]`,
    );
    expect(split.classes).toHaveLength(5);
    expect(verdict(split, `${G}/harry-potter-0`, `${H}/cedric-diggory-0`, 80)).toBe("allow");
    expect(verdict(split, `${G}/harry-potter-1`, `${H}/cedric-diggory-0`, 80)).toBe("deny");
  });
});

describe("Baseline tier Pass", () => {
  it("a ClusterNetworkPolicy Baseline Pass goes to the default allow", () => {
    const sim = simOf(
      BASE,
      cnp(
        "b1",
        "Baseline",
        1,
        `  subject: {namespaces: {}}\n  ingress: [{name: pass-ravenclaw, action: Pass, from: [{namespaces: ${house("ravenclaw")}}]}]`,
      ),
      cnp(
        "b2",
        "Baseline",
        2,
        `  subject: {namespaces: {}}\n  ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]`,
      ),
    );
    expect(can(sim, `${R}/luna-lovegood-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      tier: "Default",
      action: "Allow",
      passedBy: { policy: "b1", rule: "pass-ravenclaw" },
    });
    expect(can(sim, `${H}/cedric-diggory-0`, `${G}/harry-potter-0`, 80).ingress).toMatchObject({
      tier: "ClusterNetworkPolicy/Baseline",
      action: "Deny",
      policy: "b2",
    });
  });
});
