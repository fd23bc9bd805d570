// Benchmark of `kubeward netpol` on generated clusters (not a timed test).
// Usage: npx tsx tools/bench-netpol.ts   (BENCH_RUNS=n for more runs; the median is printed)
//
// The reference cluster from issue 4: 2,000 pods in 100 namespaces, 500 NetworkPolicies, 50
// AdminNetworkPolicies and a BaselineAdminNetworkPolicy. It times the full matrix on one port and 10,000
// `can` queries, then varies pods and distinct label sets independently to show that the cost follows
// the number of distinct pod label sets, not the number of pods.
import { writeFileSync } from "node:fs";
import { parseYaml } from "../src/inputs/yaml.js";
import { computeMatrix } from "../src/netpol/matrix.js";
import { buildModel } from "../src/netpol/model.js";
import { Simulator } from "../src/netpol/simulate.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);

interface Shape {
  name: string;
  pods: number;
  namespaces: number;
  /** Distinct `app` labels per namespace: label sets = namespaces x appsPerNs. */
  appsPerNs: number;
  policies: number;
  anps: number;
}

/** A deterministic pseudo-random generator, so every run builds the same cluster. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(shape: Shape): string {
  const docs: unknown[] = [];
  const ns = (i: number) => `ns-${i}`;
  for (let i = 0; i < shape.namespaces; i++)
    docs.push({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns(i), labels: { team: `team-${i % 10}`, env: i % 3 === 0 ? "prod" : "dev" } },
    });
  for (let p = 0; p < shape.pods; p++) {
    const n = p % shape.namespaces;
    const app = Math.floor(p / shape.namespaces) % shape.appsPerNs;
    docs.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `pod-${p}`,
        namespace: ns(n),
        labels: { app: `app-${app}`, tier: app % 2 === 0 ? "web" : "data" },
      },
      spec: {
        containers: [
          {
            name: "c",
            ports: [
              { name: "http", containerPort: 8080 },
              { name: "metrics", containerPort: 9090 },
            ],
          },
        ],
      },
      status: { podIP: `10.${Math.floor(p / 65536) % 256}.${Math.floor(p / 256) % 256}.${p % 256}` },
    });
  }
  const perNs = Math.max(1, Math.floor(shape.policies / shape.namespaces));
  for (let i = 0; i < shape.namespaces; i++)
    for (let k = 0; k < perNs; k++) {
      const name = `np-${k}`;
      const meta = { name, namespace: ns(i) };
      let spec: unknown;
      switch (k % 5) {
        case 0:
          spec = { podSelector: {}, policyTypes: ["Ingress"] };
          break;
        case 1:
          spec = {
            podSelector: { matchLabels: { tier: "data" } },
            ingress: [
              { from: [{ podSelector: { matchLabels: { tier: "web" } } }], ports: [{ port: "http" }] },
            ],
          };
          break;
        case 2:
          spec = {
            podSelector: { matchLabels: { tier: "web" } },
            ingress: [
              {
                from: [{ namespaceSelector: { matchLabels: { team: `team-${(i + 1) % 10}` } } }],
                ports: [{ port: 8080 }, { port: 9000, endPort: 9100 }],
              },
            ],
          };
          break;
        case 3:
          spec = {
            podSelector: { matchLabels: { app: `app-${k % shape.appsPerNs}` } },
            policyTypes: ["Egress"],
            egress: [
              {
                to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ port: 53, protocol: "UDP" }],
              },
              { to: [{ podSelector: {} }] },
              {
                to: [{ ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.1.0/24"] } }],
                ports: [{ port: 443 }],
              },
            ],
          };
          break;
        default:
          spec = {
            podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["app-0", "app-1"] }] },
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "prod" } }, podSelector: {} }] }],
          };
      }
      docs.push({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec });
    }
  const r = rng(42);
  for (let a = 0; a < shape.anps; a++) {
    const action = ["Allow", "Deny", "Pass"][Math.floor(r() * 3)] ?? "Pass";
    docs.push({
      apiVersion: "policy.networking.k8s.io/v1alpha1",
      kind: "AdminNetworkPolicy",
      metadata: { name: `anp-${a}` },
      spec: {
        priority: a + 1,
        subject: { namespaces: { matchLabels: { team: `team-${a % 10}` } } },
        ingress: [
          {
            name: "r0",
            action,
            from: [{ namespaces: { matchLabels: { team: `team-${(a + 3) % 10}` } } }],
            ports: [{ portNumber: { protocol: "TCP", port: 8080 } }],
          },
          {
            name: "r1",
            action: "Pass",
            from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { tier: "web" } } } }],
          },
        ],
        egress: [{ name: "e0", action: "Deny", to: [{ networks: ["203.0.113.0/24"] }] }],
      },
    });
  }
  docs.push({
    apiVersion: "policy.networking.k8s.io/v1alpha1",
    kind: "BaselineAdminNetworkPolicy",
    metadata: { name: "default" },
    spec: {
      subject: { namespaces: {} },
      ingress: [
        { name: "deny-cross-env", action: "Deny", from: [{ namespaces: { matchLabels: { env: "dev" } } }] },
      ],
    },
  });
  return docs.map((d) => JSON.stringify(d)).join("\n---\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

interface Row {
  shape: Shape;
  classes: number;
  groups: number;
  parseMs: number;
  buildMs: number;
  matrixMs: number;
  canMs: number;
}

function measure(shape: Shape, withCan: boolean): Row {
  const text = generate(shape);
  const times = { parse: [] as number[], build: [] as number[], matrix: [] as number[], can: [] as number[] };
  let classes = 0;
  let groups = 0;
  for (let run = 0; run < RUNS; run++) {
    let t0 = performance.now();
    const parsed = parseYaml(text, "bench.yaml");
    times.parse.push(performance.now() - t0);
    t0 = performance.now();
    const sim = new Simulator(buildModel(parsed.resources));
    times.build.push(performance.now() - t0);
    classes = sim.classes.length;
    t0 = performance.now();
    const m = computeMatrix(sim, [{ port: 8080, protocol: "TCP" }]);
    times.matrix.push(performance.now() - t0);
    groups = m.groups.length;
    if (withCan) {
      // 10,000 `can` queries on a fresh simulator (no warm cache from the matrix).
      const fresh = new Simulator(buildModel(parsed.resources));
      const r = rng(7);
      const pods = fresh.model.pods;
      const ports = ["8080", "http", "9090", "53"];
      t0 = performance.now();
      for (let q = 0; q < 10_000; q++) {
        const from = pods[Math.floor(r() * pods.length)];
        const to = pods[Math.floor(r() * pods.length)];
        if (from === undefined || to === undefined) continue;
        const dst = fresh.resolve(to.id);
        const port = ports[q % ports.length] ?? "8080";
        fresh.decide(
          fresh.resolve(from.id),
          dst,
          fresh.traffic(port, port === "53" ? "UDP" : undefined, dst),
        );
      }
      times.can.push(performance.now() - t0);
    }
  }
  return {
    shape,
    classes,
    groups,
    parseMs: median(times.parse),
    buildMs: median(times.build),
    matrixMs: median(times.matrix),
    canMs: withCan ? median(times.can) : NaN,
  };
}

const reference: Shape = {
  name: "reference (issue 4)",
  pods: 2000,
  namespaces: 100,
  appsPerNs: 4,
  policies: 500,
  anps: 50,
};
// BENCH_DUMP=FILE writes the reference cluster as YAML (to try the CLI on it) instead of measuring.
const dump = process.env["BENCH_DUMP"];
if (dump !== undefined) {
  writeFileSync(dump, generate(reference));
  process.exit(0);
}
const shapes: [Shape, boolean][] = [
  [reference, true],
  [{ ...reference, name: "10x pods, same label sets", pods: 20000 }, true],
  [{ ...reference, name: "half the label sets", appsPerNs: 2 }, false],
  [{ ...reference, name: "2x label sets", appsPerNs: 8 }, false],
  [{ ...reference, name: "2x label sets, 10x pods", appsPerNs: 8, pods: 20000 }, false],
];

const fmt = (ms: number) => (Number.isNaN(ms) ? "-" : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const lines = [
  `kubeward netpol benchmark (median of ${RUNS} runs, node ${process.version})`,
  "",
  "| cluster | pods | namespaces | NetworkPolicies | ANPs | distinct label sets | matrix groups | parse ms | model + classes ms | matrix 1 port ms | 10,000 can ms |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const [shape, withCan] of shapes) {
  const r = measure(shape, withCan);
  lines.push(
    `| ${shape.name} | ${shape.pods} | ${shape.namespaces} | ${shape.policies} | ${shape.anps} | ${r.classes} | ${r.groups} | ${fmt(r.parseMs)} | ${fmt(r.buildMs)} | ${fmt(r.matrixMs)} | ${fmt(r.canMs)} |`,
  );
}
console.log(lines.join("\n"));
