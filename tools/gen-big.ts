// Generates one large multi-document manifest for the scaling benchmark (issue 9 item 4).
// Usage: npx tsx tools/gen-big.ts [--docs N] [--mix varied|pods|keys] [--out FILE]   (default 50,000 varied, stdout)
//
// varied: a deterministic mix of ConfigMaps, Services, bare and hardened Pods, Deployments and
// StatefulSets, with NetworkPolicies, PodDisruptionBudgets, HPAs and Ingresses that refer to them
// (about 120 bytes per document on average, so 50,000 documents are about 6 MB); about a third of
// the objects give findings. pods: only bare Pods (18 findings each), the worst case per byte.
// keys: one ConfigMap with N keys instead of N documents (a large mapping, issue 9 item 5).
import { writeFileSync } from "node:fs";

export type Mix = "varied" | "pods" | "keys";

const barePod = (i: number) => `apiVersion: v1
kind: Pod
metadata:
  name: p${i}
spec:
  containers:
    - name: c
      image: nginx
`;

// Objects carry no namespace (as a Helm render without --namespace): every object may then share
// one with every other, the worst case for the cross-object rules' lookups.
const configMap = (i: number) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cm${i}}
data: {key: v${i}}
`;

// Every fourth Service selects a Deployment of the file; the others select nothing.
const service = (i: number) => `apiVersion: v1
kind: Service
metadata: {name: s${i}}
spec: {selector: {app: d${i % 4 === 0 ? i - (i % 100) + 85 : i}}, ports: [{port: 80}]}
`;

// No finding from the default rules beyond the namespace ones: every hardening field is set.
const hardPod = (i: number) => `apiVersion: v1
kind: Pod
metadata: {name: h${i}, labels: {app: h${i}}}
spec:
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: r.io/a@sha256:${i.toString(16).padStart(64, "0")}
    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
    resources: {requests: {cpu: 10m, memory: 8Mi}, limits: {cpu: 10m, memory: 8Mi}}
`;

// Deployments read a ConfigMap of the file; StatefulSets run three replicas.
const workload = (kind: string, i: number) => `apiVersion: apps/v1
kind: ${kind}
metadata: {name: d${i}}
spec:
  ${kind === "StatefulSet" ? "replicas: 3" : "revisionHistoryLimit: 3"}
  selector: {matchLabels: {app: d${i}}}
  template:
    metadata: {labels: {app: d${i}}}
    spec: {containers: [{name: c, image: "nginx:1.${i % 30}", envFrom: [{configMapRef: {name: cm${i - 60}}}]}]}
`;

const networkPolicy = (i: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np${i}}
spec: {podSelector: {matchLabels: {app: d${i - 10}}}, policyTypes: [Ingress]}
`;

const pdb = (i: number) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb${i}}
spec: {minAvailable: 1, selector: {matchLabels: {app: d${i - 11}}}}
`;

const hpa = (i: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa${i}}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d${i - 12}}, minReplicas: 2, maxReplicas: 4}
`;

const ingress = (i: number) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing${i}}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s${i - 46}, port: {number: 80}}}}]}}]}
`;

/** One ConfigMap with `keys` keys (issue 9 item 5: large mappings), about 30 bytes a key. */
function bigConfigMap(keys: number): string {
  const parts = ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n"];
  for (let i = 0; i < keys; i++) parts.push(`  key-${i}: value-${i}\n`);
  return parts.join("");
}

/** The i-th document of the mix (a pure function of i, so every run writes the same file). */
export function documentOf(i: number, mix: Mix): string {
  if (mix !== "varied") return barePod(i);
  const k = i % 100;
  if (k < 45) return configMap(i); // 45 %
  if (k < 70) return service(i); // 25 %
  if (k < 80) return barePod(i); // 10 %
  if (k < 85) return hardPod(i); // 5 %
  if (k < 95) return workload("Deployment", i); // 10 %
  if (k === 95) return networkPolicy(i);
  if (k === 96) return pdb(i);
  if (k === 97) return hpa(i);
  if (k === 98) return ingress(i);
  return workload("StatefulSet", i);
}

export function generate(docs: number, mix: Mix): string {
  if (mix === "keys") return bigConfigMap(docs);
  const parts: string[] = [];
  for (let i = 0; i < docs; i++) parts.push("---\n", documentOf(i, mix));
  return parts.join("");
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    return at === -1 ? undefined : args[at + 1];
  };
  const docs = Number(value("--docs") ?? 50_000);
  const mix = value("--mix") ?? "varied";
  if (!Number.isInteger(docs) || docs < 1 || (mix !== "varied" && mix !== "pods" && mix !== "keys")) {
    process.stderr.write("usage: gen-big.ts [--docs N] [--mix varied|pods|keys] [--out FILE]\n");
    process.exit(2);
  }
  const text = generate(docs, mix);
  const out = value("--out");
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}
