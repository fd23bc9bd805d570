// matrix, explain, who-can-reach, diff and lint over small fixtures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explainPod, formatExplanations } from "../../src/netpol/explain.js";
import { lintNetpol } from "../../src/netpol/lint.js";
import { computeMatrix, MATRIX_FORMATS } from "../../src/netpol/matrix.js";
import { diffReachability, whoCanReach } from "../../src/netpol/reach.js";
import { FIXTURES, modelOf, simOf } from "./helpers.js";

const read = (p: string) => readFileSync(join(FIXTURES, p), "utf8");
const SHOP = [read("shop/cluster.yaml"), read("shop/policies.yaml")];
const TCP = (port: number) => ({ port, protocol: "TCP" as const });

describe("matrix", () => {
  it("groups pods that behave identically and fills the table from the simulator", () => {
    const sim = simOf(...SHOP);
    const m = computeMatrix(sim, [TCP(5432), TCP(9000)]);
    expect(m.groups.map((g) => g.pods)).toEqual([
      ["shop/backend"],
      ["shop/db"],
      ["shop/frontend-1", "shop/frontend-2"],
    ]);
    const [backend, db, frontend] = [0, 1, 2];
    // 5432: only the backend reaches the db.
    expect(m.cells[0]?.[backend]?.[db]).toBe("allow");
    expect(m.cells[0]?.[frontend]?.[db]).toBe("deny");
    // 9000: only the frontends reach the backend; the frontends reach each other.
    expect(m.cells[1]?.[frontend]?.[backend]).toBe("allow");
    expect(m.cells[1]?.[db]?.[backend]).toBe("deny");
    expect(m.cells[1]?.[frontend]?.[frontend]).toBe("allow");
  });

  it("merges different label sets whose rows and columns are equal", () => {
    // Without policies every pod behaves the same: one group, even though there are three label sets.
    const sim = simOf(read("shop/cluster.yaml"));
    const m = computeMatrix(sim, [TCP(80)]);
    expect(m.classes).toBe(3);
    expect(m.groups).toHaveLength(1);
    expect(m.groups[0]?.pods).toHaveLength(4);
  });

  it("renders every format", () => {
    const m = computeMatrix(simOf(...SHOP), [TCP(5432)]);
    const text = MATRIX_FORMATS["text"]?.(m) ?? "";
    expect(text).toContain("G3: shop/frontend-1, shop/frontend-2");
    const json = JSON.parse(MATRIX_FORMATS["json"]?.(m) ?? "") as {
      ports: { allowed: { from: string; to: string }[] }[];
    };
    expect(json.ports[0]?.allowed).toContainEqual({ from: "G1", to: "G2", verdict: "allow" });
    expect(json.ports[0]?.allowed).not.toContainEqual({ from: "G3", to: "G2", verdict: "allow" });
    expect(MATRIX_FORMATS["csv"]?.(m)).toContain("5432,TCP,G1,G2,allow,shop/backend,shop/db");
    expect(MATRIX_FORMATS["markdown"]?.(m)).toContain("| from \\ to | G1 | G2 | G3 |");
    expect(MATRIX_FORMATS["dot"]?.(m)).toContain('G1 -> G2 [label="5432/TCP"]');
    expect(MATRIX_FORMATS["mermaid"]?.(m)).toContain("G1 -->|5432/TCP| G2");
    expect(MATRIX_FORMATS["mermaid"]?.(m)).not.toContain("G3 -->|5432/TCP| G2");
  });
});

describe("explain", () => {
  it("lists the rules that apply per tier and what happens otherwise", () => {
    const sim = simOf(
      ...SHOP,
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: 3
  subject: {namespaces: {}}
  ingress: [{name: no-monitoring, action: Deny, from: [{namespaces: {matchLabels: {team: monitoring}}}], ports: [{portNumber: {protocol: TCP, port: 5432}}]}]`,
    );
    const db = sim.model.pods.find((p) => p.id === "shop/db");
    if (db === undefined) throw new Error("no db");
    const e = explainPod(sim, db);
    const ingress = e.sides.find((s) => s.direction === "ingress");
    expect(ingress?.isolatedBy).toEqual(["shop/db"]);
    expect(ingress?.tiers.map((t) => t.tier)).toEqual(["AdminNetworkPolicy", "NetworkPolicy"]);
    const text = formatExplanations([e]);
    expect(text).toContain(
      "guard [priority 3] no-monitoring: denies ingress from pods in namespaces (team=monitoring) on TCP 5432",
    );
    expect(text).toContain(
      "shop/db ingress[0]: allows ingress from pods (app=backend) in namespace shop on TCP 5432",
    );
    expect(text).toContain("isolated for ingress by shop/db");
    expect(e.sides.find((s) => s.direction === "egress")?.isolatedBy).toEqual([]);
  });
});

describe("who-can-reach", () => {
  it("lists the sources that may connect, grouped", () => {
    const sim = simOf(...SHOP);
    const backend = sim.resolve("shop/backend");
    const r = whoCanReach(sim, backend, () => TCP(9000));
    expect(r.map((x) => x.pods)).toEqual([["shop/frontend-1", "shop/frontend-2"]]);
  });
});

describe("diff", () => {
  it("reports exactly the connections that change", () => {
    const before = simOf(...SHOP);
    const after = simOf(read("shop-v2/cluster.yaml"), read("shop-v2/policies.yaml"));
    const changes = diffReachability(before, after, [TCP(5432), TCP(9000)]);
    expect(changes).toEqual([
      {
        from: ["shop/frontend-1", "shop/frontend-2"],
        to: ["shop/db"],
        port: 5432,
        protocol: "TCP",
        before: "deny",
        after: "allow",
      },
    ]);
    expect(diffReachability(before, simOf(...SHOP), [TCP(5432), TCP(9000)])).toEqual([]);
  });
});

describe("lint", () => {
  const findings = () => lintNetpol(modelOf(read("shop/cluster.yaml"), read("lint/policies.yaml")));

  it("finds each problem in the lint fixture, on the right line", () => {
    const got = findings().map((f) => `${f.ruleId}:${f.messageId}:${f.line}`);
    expect(got.sort()).toEqual(
      [
        "netpol-selects-nothing:noPods:6",
        "netpol-unmatchable-rule:namedPortAbsent:15",
        "netpol-unmatchable-rule:protocolMismatch:15",
        "netpol-blocks-dns:blocksDns:22",
        "netpol-shadowed-rule:shadowed:34",
        "netpol-priority-overlap:samePriority:40",
      ].sort(),
    );
    for (const f of findings()) {
      expect(f.category).toBe("network");
      expect(f.remediation).toMatch(/\.$/);
    }
  });

  it("is quiet on a clean set of policies", () => {
    expect(lintNetpol(modelOf(...SHOP))).toEqual([]);
  });

  it("does not flag an egress policy that allows DNS", () => {
    const m = modelOf(
      read("shop/cluster.yaml"),
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lockdown, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`,
    );
    expect(lintNetpol(m)).toEqual([]);
  });

  it("flags an admin deny of DNS on the rule", () => {
    const m = modelOf(
      read("shop/cluster.yaml"),
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-egress}
spec:
  priority: 1
  subject: {namespaces: {}}
  egress: [{name: deny-all, action: Deny, to: [{namespaces: {}}]}]`,
    );
    expect(lintNetpol(m).map((f) => `${f.ruleId} ${f.line}`)).toEqual(["netpol-blocks-dns 7"]);
  });

  it("does not report equal priorities whose subjects do not overlap", () => {
    const m = modelOf(
      read("shop/cluster.yaml"),
      ...["frontend", "db"].map(
        (app) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${app}}
spec:
  priority: 9
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: ${app}}}}}
  ingress: [{name: allow, action: Allow, from: [{namespaces: {}}]}]`,
      ),
    );
    expect(lintNetpol(m).filter((f) => f.ruleId === "netpol-priority-overlap")).toEqual([]);
  });
});

describe("cost follows label sets, not pods", () => {
  const cluster = (replicas: number) =>
    ["a", "b", "c"]
      .flatMap((app) =>
        Array.from(
          { length: replicas },
          (_, i) =>
            `apiVersion: v1\nkind: Pod\nmetadata: {name: ${app}-${i}, namespace: shop, labels: {app: ${app}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.9.${"abc".indexOf(app)}.${i + 1}}`,
        ),
      )
      .join("\n---\n");
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{from: [{podSelector: {matchLabels: {app: a}}}]}]`;

  it("builds the same classes and the same matrix for 2 and 100 replicas", () => {
    // (Not 1: with one pod per label set the diagonal is a pod talking to itself.)
    const small = computeMatrix(simOf(cluster(2), policy), [TCP(80)]);
    const large = computeMatrix(simOf(cluster(100), policy), [TCP(80)]);
    expect(small.classes).toBe(3);
    expect(large.classes).toBe(3);
    expect(large.pods).toBe(300);
    expect(large.cells).toEqual(small.cells);
    expect(large.groups.map((g) => g.pods.length)).toEqual([100, 100, 100]);
  });
});
