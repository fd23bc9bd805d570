// NetworkPolicy (networking.k8s.io/v1) semantics, one pitfall per test. Scenarios follow the
// Kubernetes NetworkPolicy docs and the e2e suite (test/e2e/network/netpol/network_policy.go);
// each cites the e2e case it mirrors where there is one.
import { describe, expect, it } from "vitest";
import { can, simOf, verdict } from "./helpers.js";

/** Namespaces a (team=red) and b (team=blue); pods x and y in a, x in b; c/z has no Namespace object. */
const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: red}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: blue}}
---
apiVersion: v1
kind: Pod
metadata: {name: x, namespace: a, labels: {app: x}}
spec:
  containers:
    - name: c
      ports:
        - {name: http, containerPort: 80}
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: assoc, containerPort: 7777, protocol: SCTP}
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: 'y', namespace: a, labels: {app: 'y'}}
spec:
  containers:
    - name: c
      ports: [{name: http, containerPort: 8080}]
status: {podIP: 10.1.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: x, namespace: b, labels: {app: x}}
spec:
  containers: [{name: c, ports: [{name: http, containerPort: 80}]}]
status: {podIP: 10.2.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: z, namespace: c, labels: {app: z}}
spec:
  containers: [{name: c}]
status: {podIP: 10.3.0.1}
`;

const np = (ns: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;

describe("NetworkPolicy isolation", () => {
  it("allows everything when no policy selects the pod", () => {
    const sim = simOf(CLUSTER);
    const d = can(sim, "a/y", "a/x", 80);
    expect(d.verdict).toBe("allow");
    expect(d.egress.tier).toBe("Default");
    expect(d.ingress.tier).toBe("Default");
  });

  it("denies ingress to a pod selected by a policy with no ingress rules (e2e: should support a 'default-deny-ingress' policy)", () => {
    const sim = simOf(CLUSTER, np("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]"));
    const d = can(sim, "a/y", "a/x", 80);
    expect(d.verdict).toBe("deny");
    expect(d.ingress).toMatchObject({ tier: "NetworkPolicy", action: "Deny", policies: ["a/deny"] });
    // Egress of the same pods is not isolated by an Ingress-only policy.
    expect(can(sim, "a/x", "b/x", 80).verdict).toBe("allow");
  });

  it("only selects pods in the policy's own namespace", () => {
    const sim = simOf(
      CLUSTER,
      np("a", "deny", "  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Ingress]"),
    );
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("deny");
    expect(verdict(sim, "a/y", "b/x", 80)).toBe("allow");
  });

  it("defaults policyTypes to Ingress even for a policy that has only egress rules", () => {
    const sim = simOf(CLUSTER, np("a", "eg", "  podSelector: {matchLabels: {app: x}}\n  egress: [{}]"));
    // Ingress to a/x is isolated (Ingress is always in the defaulted policyTypes) with no ingress rule.
    expect(can(sim, "a/y", "a/x", 80).ingress).toMatchObject({ tier: "NetworkPolicy", action: "Deny" });
    // Egress is isolated too (egress rules present) and the empty rule allows everything.
    expect(can(sim, "a/x", "b/x", 80).egress).toMatchObject({
      tier: "NetworkPolicy",
      action: "Allow",
      policy: "a/eg",
    });
  });

  it("does not default Egress for an empty egress list", () => {
    const sim = simOf(CLUSTER, np("a", "eg", "  podSelector: {matchLabels: {app: x}}\n  egress: []"));
    expect(can(sim, "a/x", "b/x", 80).egress.tier).toBe("Default");
  });

  it("respects an explicit Egress-only policyTypes (ingress stays open) (e2e: should enforce egress policy allowing traffic to a server in a different namespace)", () => {
    const sim = simOf(
      CLUSTER,
      np(
        "a",
        "eg",
        "  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Egress]\n  ingress: []\n  egress: []",
      ),
    );
    expect(can(sim, "a/y", "a/x", 80).ingress.tier).toBe("Default");
    expect(can(sim, "a/x", "a/y", 8080).egress).toMatchObject({ tier: "NetworkPolicy", action: "Deny" });
  });

  it("adds up allows from several policies, and lists every allowing one", () => {
    const sim = simOf(
      CLUSTER,
      np(
        "a",
        "p1",
        "  podSelector: {matchLabels: {app: x}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: 'y'}}}]}]",
      ),
      np(
        "a",
        "p2",
        "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {team: blue}}}]}]",
      ),
      np("a", "p3", "  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]"),
    );
    const fromY = can(sim, "a/y", "a/x", 80);
    expect(fromY.verdict).toBe("allow");
    expect(fromY.ingress.policies).toEqual(["a/p1", "a/p3"]);
    expect(can(sim, "b/x", "a/x", 80).ingress.policies).toEqual(["a/p2"]);
  });

  it("names every isolating policy when denied", () => {
    const sim = simOf(
      CLUSTER,
      np(
        "a",
        "p1",
        "  podSelector: {matchLabels: {app: x}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: 'y'}}}]}]",
      ),
      np(
        "a",
        "p2",
        "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {team: blue}}}]}]",
      ),
    );
    const d = can(sim, "c/z", "a/x", 80);
    expect(d.verdict).toBe("deny");
    expect(d.ingress.policies).toEqual(["a/p1", "a/p2"]);
  });
});

describe("NetworkPolicy peers", () => {
  const allowFrom = (peers: string) =>
    np("a", "allow", `  podSelector: {matchLabels: {app: x}}\n  ingress: [{from: ${peers}}]`);

  it("reads a podSelector-only peer as the policy's own namespace (e2e: should enforce policy based on PodSelector)", () => {
    const sim = simOf(CLUSTER, allowFrom("[{podSelector: {matchLabels: {app: x}}}]"));
    // b/x has the right labels but lives in another namespace.
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("deny");
    const sim2 = simOf(CLUSTER, allowFrom("[{podSelector: {matchLabels: {app: 'y'}}}]"));
    expect(verdict(sim2, "a/y", "a/x", 80)).toBe("allow");
  });

  it("selects all pods of matching namespaces with a namespaceSelector-only peer (e2e: should enforce policy based on NamespaceSelector with MatchLabels)", () => {
    const sim = simOf(CLUSTER, allowFrom("[{namespaceSelector: {matchLabels: {team: blue}}}]"));
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("deny");
  });

  it("ANDs namespaceSelector and podSelector in one peer, ORs separate peers (e2e: should enforce policy based on PodSelector and NamespaceSelector)", () => {
    const and = simOf(
      CLUSTER,
      allowFrom("[{namespaceSelector: {matchLabels: {team: blue}}, podSelector: {matchLabels: {app: 'y'}}}]"),
    );
    expect(verdict(and, "b/x", "a/x", 80)).toBe("deny");
    const or = simOf(
      CLUSTER,
      allowFrom(
        "[{namespaceSelector: {matchLabels: {team: blue}}}, {podSelector: {matchLabels: {app: 'y'}}}]",
      ),
    );
    expect(verdict(or, "b/x", "a/x", 80)).toBe("allow");
    expect(verdict(or, "a/y", "a/x", 80)).toBe("allow");
  });

  it("gives every namespace kubernetes.io/metadata.name, declared or not", () => {
    const sim = simOf(
      CLUSTER,
      allowFrom(
        "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}}, {namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [b]}]}}]",
      ),
    );
    expect(verdict(sim, "c/z", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("deny");
  });

  it("supports matchExpressions NotIn / Exists / DoesNotExist", () => {
    const sim = simOf(
      CLUSTER,
      allowFrom(
        "[{namespaceSelector: {matchExpressions: [{key: team, operator: NotIn, values: [red]}, {key: team, operator: Exists}]}}]",
      ),
    );
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "c/z", "a/x", 80)).toBe("deny"); // c has no team label
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("deny");
    const sim2 = simOf(
      CLUSTER,
      allowFrom("[{namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}}]"),
    );
    expect(verdict(sim2, "c/z", "a/x", 80)).toBe("allow");
  });

  it("matches ipBlock with except, for external addresses and pod IPs (e2e: should allow ingress access from a specific IP block except a sub-range)", () => {
    const sim = simOf(CLUSTER, allowFrom("[{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}}]"));
    expect(verdict(sim, "10.9.9.9", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "192.168.0.1", "a/x", 80)).toBe("deny");
    expect(verdict(sim, "10.2.5.5", "a/x", 80)).toBe("deny");
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("allow"); // 10.1.0.2
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("deny"); // 10.2.0.1 is in the except range
  });

  it("treats an empty from list as every source, including external ones", () => {
    const sim = simOf(CLUSTER, np("a", "open", "  podSelector: {}\n  ingress: [{ports: [{port: 80}]}]"));
    expect(verdict(sim, "203.0.113.9", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "203.0.113.9", "a/x", 53, "UDP")).toBe("deny");
  });
});

describe("NetworkPolicy ports", () => {
  const allowPorts = (ports: string) => np("a", "ports", `  podSelector: {}\n  ingress: [{ports: ${ports}}]`);

  it("defaults a port's protocol to TCP", () => {
    const sim = simOf(CLUSTER, allowPorts("[{port: 53}]"));
    expect(verdict(sim, "b/x", "a/x", 53, "TCP")).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 53, "UDP")).toBe("deny");
  });

  it("matches UDP and SCTP ports", () => {
    const sim = simOf(CLUSTER, allowPorts("[{port: 53, protocol: UDP}, {port: 7777, protocol: SCTP}]"));
    expect(verdict(sim, "b/x", "a/x", 53, "UDP")).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 7777, "SCTP")).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 7777, "TCP")).toBe("deny");
  });

  it("matches a range with endPort, inclusive at both ends (e2e: should allow egress access to server in CIDR block / endPort)", () => {
    const sim = simOf(CLUSTER, allowPorts("[{port: 8000, endPort: 8080}]"));
    expect(verdict(sim, "b/x", "a/y", 8000)).toBe("allow");
    expect(verdict(sim, "b/x", "a/y", 8080)).toBe("allow");
    expect(verdict(sim, "b/x", "a/y", 7999)).toBe("deny");
    expect(verdict(sim, "b/x", "a/y", 8081)).toBe("deny");
  });

  it("matches a protocol without a port on every port of that protocol", () => {
    const sim = simOf(CLUSTER, allowPorts("[{protocol: UDP}]"));
    expect(verdict(sim, "b/x", "a/x", 12345, "UDP")).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 12345, "TCP")).toBe("deny");
  });

  it("resolves a named port on the destination pod (e2e: should allow ingress access on one named port)", () => {
    const sim = simOf(CLUSTER, allowPorts("[{port: http}]"));
    // a/x declares http=80, a/y declares http=8080.
    expect(verdict(sim, "b/x", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "b/x", "a/x", 8080)).toBe("deny");
    expect(verdict(sim, "b/x", "a/y", 8080)).toBe("allow");
    expect(verdict(sim, "b/x", "a/y", 80)).toBe("deny");
  });

  it("uses the named port's own protocol, not a guess from its name", () => {
    // `dns` is UDP on a/x; a rule naming it with the default protocol (TCP) can never match.
    const tcp = simOf(CLUSTER, allowPorts("[{port: dns}]"));
    expect(verdict(tcp, "b/x", "a/x", 53, "UDP")).toBe("deny");
    const udp = simOf(CLUSTER, allowPorts("[{port: dns, protocol: UDP}]"));
    expect(verdict(udp, "b/x", "a/x", 53, "UDP")).toBe("allow");
    // A query by name takes the protocol from the destination's containerPort.
    expect(udp.traffic("dns", undefined, udp.resolve("a/x"))).toEqual({ port: 53, protocol: "UDP" });
    expect(() => udp.traffic("dns", "TCP", udp.resolve("a/x"))).toThrow(/no container port named "dns"/);
  });

  it("resolves egress named ports on the destination, not the source (e2e: should allow egress access on one named port)", () => {
    const sim = simOf(
      CLUSTER,
      np("b", "eg", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: http}]}]"),
    );
    expect(verdict(sim, "b/x", "a/y", 8080)).toBe("allow");
    expect(verdict(sim, "b/x", "a/y", 80)).toBe("deny");
    // An external destination has no named ports.
    expect(verdict(sim, "b/x", "198.51.100.1", 80)).toBe("deny");
  });
});

describe("connections", () => {
  it("needs both the source's egress and the destination's ingress", () => {
    const sim = simOf(
      CLUSTER,
      np("b", "eg-open", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]"),
      np("a", "in-closed", "  podSelector: {}\n  policyTypes: [Ingress]"),
    );
    const d = can(sim, "b/x", "a/x", 80);
    expect(d.egress.action).toBe("Allow");
    expect(d.ingress.action).toBe("Deny");
    expect(d.verdict).toBe("deny");
    const sim2 = simOf(
      CLUSTER,
      np("b", "eg-closed", "  podSelector: {}\n  policyTypes: [Egress]"),
      np("a", "in-open", "  podSelector: {}\n  ingress: [{}]"),
    );
    const d2 = can(sim2, "b/x", "a/x", 80);
    expect([d2.egress.action, d2.ingress.action, d2.verdict]).toEqual(["Deny", "Allow", "deny"]);
  });

  it("always allows a pod to reach itself, also by its own IP", () => {
    const sim = simOf(CLUSTER, np("a", "deny-all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]"));
    expect(can(sim, "a/x", "a/x", 80)).toMatchObject({
      verdict: "allow",
      egress: { tier: "Self" },
      ingress: { tier: "Self" },
    });
    expect(verdict(sim, "10.1.0.1", "a/x", 80)).toBe("allow");
    expect(verdict(sim, "a/y", "a/x", 80)).toBe("deny");
  });

  it("marks the outside side n/a for external addresses", () => {
    const sim = simOf(CLUSTER);
    const d = can(sim, "a/x", "8.8.8.8", 443);
    expect(d.ingress.tier).toBe("n/a");
    expect(d.egress.tier).toBe("Default");
    expect(can(sim, "8.8.8.8", "a/x", 80).egress.tier).toBe("n/a");
  });

  it("never treats host-network pods as policy subjects or podSelector peers", () => {
    const host = `
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: a, labels: {app: 'y'}}
spec: {hostNetwork: true, nodeName: n1, containers: [{name: c, ports: [{containerPort: 9100}]}]}
status: {podIP: 192.168.1.5}
`;
    const sim = simOf(
      CLUSTER,
      host,
      np("a", "deny-all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]"),
      np(
        "a",
        "from-y",
        "  podSelector: {matchLabels: {app: x}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: 'y'}}}]}]",
      ),
    );
    // The host-network pod is not isolated by the deny-all policy...
    expect(can(sim, "a/x", "a/agent", 9100).ingress.tier).toBe("n/a");
    // ...and the app=y podSelector does not match it (though a/y itself is allowed).
    expect(can(sim, "a/agent", "a/x", 80).ingress.action).toBe("Deny");
    expect(can(sim, "a/y", "a/x", 80).ingress.action).toBe("Allow");
  });
});

describe("representative pods", () => {
  it("turns workloads into one pod each when there are no Pod objects, and says so", () => {
    const sim = simOf(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: report}}}], ports: [{port: http}]}]
`);
    expect(sim.model.representative).toBe(true);
    expect(sim.model.pods.map((p) => [p.id, p.representativeOf])).toEqual([
      ["shop/report", "CronJob/report"],
      ["shop/web", "Deployment/web"],
    ]);
    expect(verdict(sim, "shop/report", "shop/web", "http")).toBe("allow");
    expect(verdict(sim, "shop/report", "shop/web", 80)).toBe("deny");
  });

  it("ignores workloads when Pod objects are given", () => {
    const sim = simOf(
      CLUSTER,
      `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
`,
    );
    expect(sim.model.representative).toBe(false);
    expect(sim.model.pods.some((p) => p.name === "web")).toBe(false);
  });
});
