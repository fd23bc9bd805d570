// Benchmark of `kubeward diagnose` on a generated snapshot (not a timed test).
// Usage: npx tsx tools/bench-diagnose.ts   (BENCH_RUNS=n for more runs; the median is printed)
//
// Issue 12's size: 5,000 pods, 500 Deployments (with their ReplicaSets and Services, EndpointSlices
// and Ingresses) and 20,000 events in 50 namespaces, one in ten Deployments broken (OOMKilled,
// image pull, unschedulable). It times reading the JSON snapshot and the analysis separately.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diagnose } from "../src/diagnose/diagnose.js";
import { loadSnapshot } from "../src/inputs/cluster-snapshot.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const NAMESPACES = 50;
const DEPLOYMENTS = 500;
const PODS_PER = 10;
const EVENTS = 20_000;

function generate(): { items: unknown[] } {
  const items: unknown[] = [];
  const pods: { ns: string; name: string; broken: number }[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const ns = `ns-${d % NAMESPACES}`;
    const app = `app-${d}`;
    const broken = d % 10 === 0 ? (d / 10) % 3 : -1;
    const uid = `d-${d}`;
    const rsUid = `rs-${d}`;
    items.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: app, namespace: ns, uid, labels: { app } },
      spec: {
        replicas: PODS_PER,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            containers: [
              {
                name: "main",
                image: `registry.example.com/${app}:1`,
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
              },
            ],
          },
        },
      },
      status: { replicas: PODS_PER, readyReplicas: broken >= 0 ? 0 : PODS_PER },
    });
    items.push({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${app}-5d8f`,
        namespace: ns,
        uid: rsUid,
        ownerReferences: [{ kind: "Deployment", name: app, uid, controller: true }],
      },
      spec: { replicas: PODS_PER },
      status: { replicas: PODS_PER },
    });
    items.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: app, namespace: ns },
      spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    items.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: app, namespace: ns },
      spec: {
        rules: [
          {
            http: {
              paths: [
                { path: "/", pathType: "Prefix", backend: { service: { name: app, port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    });
    const endpoints: unknown[] = [];
    for (let p = 0; p < PODS_PER; p++) {
      const name = `${app}-5d8f-${p}`;
      pods.push({ ns, name, broken });
      const container =
        broken === 0
          ? {
              name: "main",
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: "CrashLoopBackOff" } },
              lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } },
            }
          : broken === 1
            ? {
                name: "main",
                ready: false,
                restartCount: 0,
                image: `registry.example.com/${app}:1`,
                state: { waiting: { reason: "ImagePullBackOff" } },
              }
            : { name: "main", ready: true, restartCount: 0, state: { running: {} } };
      items.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: ns,
          uid: `p-${d}-${p}`,
          labels: { app },
          ownerReferences: [{ kind: "ReplicaSet", name: `${app}-5d8f`, uid: rsUid, controller: true }],
        },
        spec: {
          nodeName: `node-${p}`,
          containers: [{ name: "main", image: `registry.example.com/${app}:1` }],
        },
        status:
          broken === 2
            ? {
                phase: "Pending",
                conditions: [
                  {
                    type: "PodScheduled",
                    status: "False",
                    reason: "Unschedulable",
                    message: "0/10 nodes are available: 10 Insufficient cpu.",
                  },
                ],
              }
            : {
                phase: "Running",
                podIP: `10.1.${d % 250}.${p}`,
                conditions: [{ type: "Ready", status: broken >= 0 ? "False" : "True" }],
                containerStatuses: [container],
              },
      });
      endpoints.push({ addresses: [`10.1.${d % 250}.${p}`], conditions: { ready: broken < 0 } });
    }
    items.push({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: `${app}-abc`, namespace: ns, labels: { "kubernetes.io/service-name": app } },
      endpoints,
    });
  }
  for (let e = 0; e < EVENTS; e++) {
    const pod = pods[e % pods.length];
    if (pod === undefined) continue;
    items.push({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${pod.name}.${e}`, namespace: pod.ns },
      involvedObject: { kind: "Pod", name: pod.name, namespace: pod.ns, fieldPath: "spec.containers{main}" },
      type: pod.broken >= 0 ? "Warning" : "Normal",
      reason: pod.broken >= 0 ? "BackOff" : "Pulled",
      message:
        pod.broken >= 0
          ? `Back-off restarting failed container main in pod ${pod.name}`
          : "Container image already present on machine",
      count: 1 + (e % 7),
      lastTimestamp: new Date(Date.UTC(2026, 11, 6, 10, 0, e % 3600)).toISOString(),
    });
  }
  return { items };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const dir = mkdtempSync(join(tmpdir(), "kubeward-bench-diagnose-"));
try {
  const file = join(dir, "snapshot.json");
  const text = JSON.stringify({ apiVersion: "v1", kind: "List", ...generate() });
  writeFileSync(file, text);
  const load: number[] = [];
  const analyse: number[] = [];
  let findings = 0;
  let objects = 0;
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const snap = loadSnapshot(file);
    const t1 = performance.now();
    const r = diagnose({ objects: snap.objects });
    const t2 = performance.now();
    load.push(t1 - t0);
    analyse.push(t2 - t1);
    findings = r.findings.length;
    objects = r.summary.objects;
    events = r.summary.events;
  }
  const l = median(load);
  const a = median(analyse);
  console.log(
    `snapshot: ${(text.length / 1e6).toFixed(1)} MB JSON, ${objects} objects + ${events} events (median of ${RUNS})`,
  );
  console.log("| step | wall time |");
  console.log("| --- | ---: |");
  console.log(`| read snapshot (JSON parse, flatten, sanitise) | ${l.toFixed(0)} ms |`);
  console.log(`| diagnose (graph, 18 analyzers, root-cause merge) | ${a.toFixed(0)} ms |`);
  console.log(`| total | ${(l + a).toFixed(0)} ms |`);
  console.log(`findings: ${findings}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
