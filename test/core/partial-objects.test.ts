// An object with one invalid or null field is still checked by every rule that does not read that
// field (issue 10, "Accuracy on real charts"), and no rule crashes on null or mistyped fields.
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parseDocument } from "yaml";
import { touchesField, unreadableField, withoutFields } from "../../src/core/prune.js";
import { EMPTY_CONFIG, type Config } from "../../src/core/config.js";
import { RULES } from "../../src/rules/index.js";
import { scanText } from "../helpers/scan.js";

const privileged = (envValue: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      hostPID: true
      hostIPC: true
      hostNetwork: true
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          securityContext:
            privileged: true
          env:
            - name: DEBUG
              value: ${envValue}
            - name: DB_PASSWORD
              value: hunter2
`;

const ids = (text: string, only?: readonly string[]) =>
  scanText(text)
    .filter((f) => only === undefined || only.includes(f.ruleId))
    .map((f) => `${f.line} ${f.ruleId}`);

describe("an invalid field silences only the rules that read it", () => {
  const host = ["invalid-object", "privileged-container", "host-pid", "host-ipc", "host-network"];
  it("a boolean env value does not hide a privileged pod with host namespaces", () => {
    expect(ids(privileged("true"), host)).toEqual([
      "12 host-pid",
      "13 host-ipc",
      "14 host-network",
      "19 privileged-container",
      "22 invalid-object",
    ]);
    // The same as with a valid value, but for the invalid-object finding.
    expect(ids(privileged('"true"'), host)).toEqual([
      "12 host-pid",
      "13 host-ipc",
      "14 host-network",
      "19 privileged-container",
    ]);
  });

  it("findings about the invalid env item are dropped, the other items still checked", () => {
    const env = ["hardcoded-secret-in-env", "duplicate-env-var"];
    expect(ids(privileged("true"), env)).toEqual(["24 hardcoded-secret-in-env"]);
  });

  it("a wrong-typed security context drops the container-level findings about it, not the pod's", () => {
    const text = privileged('"1"').replace("privileged: true", "privileged: yes-please");
    const found = ids(text);
    expect(found).toContain("19 invalid-object");
    expect(found.filter((f) => f.includes("privileged-container"))).toEqual([]);
    expect(found).toContain("12 host-pid");
  });
});

describe("null fields are unset, never a crash", () => {
  it("image: null does not crash the image rules (regression: internal-error)", () => {
    const text = privileged('"1"').replace("image: registry.example.com/web:1.0.0", "image: null");
    const found = scanText(text);
    expect(found.filter((f) => f.ruleId === "internal-error").map((f) => f.message)).toEqual([]);
    expect(found.filter((f) => f.ruleId === "invalid-object")).toEqual([]);
    expect(found.map((f) => f.ruleId)).toContain("privileged-container");
  });

  // Every field of a rich workload, set in turn to null, to a number and to a string: no rule may crash.
  const rich = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: prod
  labels: { app: db }
  annotations: { note: x }
spec:
  replicas: 2
  serviceName: db
  selector:
    matchLabels: { app: db }
    matchExpressions: [{ key: tier, operator: In, values: [a] }]
  template:
    metadata:
      labels: { app: db }
      annotations: { container.apparmor.security.beta.kubernetes.io/db: runtime/default }
    spec:
      serviceAccountName: db
      automountServiceAccountToken: false
      hostNetwork: false
      nodeSelector: { disk: ssd }
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 2000
        seccompProfile: { type: RuntimeDefault }
        sysctls: [{ name: net.core.somaxconn, value: "1024" }]
      volumes:
        - name: data
          hostPath: { path: /var/lib/db, type: Directory }
        - name: cfg
          configMap: { name: cfg }
      initContainers:
        - name: init
          image: busybox:1.36
          command: [sh, -c, "true"]
      containers:
        - name: db
          image: postgres:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          imagePullPolicy: IfNotPresent
          args: [--port, "5432"]
          ports: [{ name: pg, containerPort: 5432, hostPort: 5432, protocol: TCP }]
          env:
            - name: PGPASSWORD
              valueFrom: { secretKeyRef: { name: db, key: password } }
            - name: MODE
              value: primary
          envFrom: [{ configMapRef: { name: cfg } }]
          resources:
            limits: { cpu: "1", memory: 1Gi }
            requests: { cpu: 500m, memory: 512Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
          livenessProbe: { tcpSocket: { port: 5432 } }
          readinessProbe: { exec: { command: [pg_isready] } }
          volumeMounts: [{ name: data, mountPath: /data, readOnly: false }]
`;
  const others = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: r }
rules:
  - { apiGroups: [""], resources: [pods/exec, secrets], verbs: [create, get], resourceNames: [a] }
  - { nonResourceURLs: ["/metrics"], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: b, namespace: prod }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: db, namespace: prod }, { kind: Group, name: system:authenticated }]
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: prod }
spec:
  type: NodePort
  selector: { app: db }
  externalIPs: [1.2.3.4]
  ports: [{ name: pg, port: 5432, targetPort: pg, nodePort: 30001 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: np, namespace: prod }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress, Egress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 5432 }] }]
  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }] }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ing, namespace: prod, annotations: { nginx.ingress.kubernetes.io/server-snippet: x } }
spec:
  tls: [{ hosts: [a.example.com], secretName: tls }]
  rules: [{ host: a.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: db, port: { number: 5432 } } } }] } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: hpa, namespace: prod }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: db }
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: cj, namespace: prod }
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: c, image: busybox, env: [{ name: API_TOKEN, value: abc }] }]
`;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(x, [...path, i]);
      });
    } else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(parseDocument(rich).toJS(), []);

  const otherDocs = parseAllDocuments(others);
  const otherPaths: [number, (string | number)[]][] = [];
  otherDocs.forEach((d, i) => {
    const before = paths.length;
    walk(d.toJS(), []);
    for (const p of paths.splice(before)) otherPaths.push([i, p]);
  });

  it("walks enough fields to mean something", () => {
    expect(paths.length).toBeGreaterThan(100);
    expect(otherPaths.length).toBeGreaterThan(100);
  });

  // Every rule on, those off by default included.
  const allOn: Config = {
    ...EMPTY_CONFIG,
    rules: Object.fromEntries(RULES.map((r) => [r.meta.id, { enabled: true }])),
  };
  const crashesOf = (text: string, where: string): string[] =>
    scanText(text, "fuzz.yaml", { config: allOn })
      .filter((f) => f.ruleId === "internal-error" || f.ruleId === "parse-error")
      .map((f) => `${where}: ${f.message}`);

  for (const replacement of [null, 7, "x", true, [], {}]) {
    it(`no rule crashes when any one field is ${JSON.stringify(replacement)}`, () => {
      const crashes: string[] = [];
      for (const path of paths) {
        const doc = parseDocument(rich);
        doc.setIn(path, doc.createNode(replacement));
        crashes.push(...crashesOf(doc.toString(), path.join(".")));
      }
      for (const [i, path] of otherPaths) {
        const docs = parseAllDocuments(others);
        const doc = docs[i];
        if (doc === undefined) continue;
        doc.setIn(path, doc.createNode(replacement));
        crashes.push(...crashesOf(docs.map((d) => d.toString()).join("---\n"), `doc ${i} ${path.join(".")}`));
      }
      expect(crashes).toEqual([]);
    });
  }
});

describe("pruning helpers", () => {
  it("map a problem to the field rules must not read", () => {
    expect(
      unreadableField({ path: ["spec", "x", 2, "name"], messageId: "missingField", data: { field: "" } }),
    ).toEqual({ field: ["spec", "x"], emptyList: true });
    expect(unreadableField({ path: ["spec", "x"], messageId: "wrongType", data: { field: "" } })).toEqual({
      field: ["spec", "x"],
      emptyList: false,
    });
  });
  it("copy on write, deleting or emptying", () => {
    const obj = { spec: { a: 1, list: [1, 2], keep: { b: 2 } } };
    const out = withoutFields(obj, [
      { field: ["spec", "a"], emptyList: false },
      { field: ["spec", "list"], emptyList: true },
    ]);
    expect(out).toEqual({ spec: { list: [], keep: { b: 2 } } });
    expect(obj).toEqual({ spec: { a: 1, list: [1, 2], keep: { b: 2 } } });
  });
  it("a finding touches a field it is in or whose holder it points at", () => {
    expect(touchesField(["c", "env", 0], ["c", "env", 0, "value"])).toBe(true);
    expect(touchesField(["c", "env", 0, "value"], ["c", "env", 0, "value"])).toBe(true);
    expect(touchesField(["c"], ["c", "env", 0, "value"])).toBe(false);
    expect(touchesField(["c", "image"], ["c", "env", 0, "value"])).toBe(false);
  });
});

describe("a workload without its spec is invalid, not silently clean (issue 9 item 10)", () => {
  it("a Pod without spec is one invalid-object finding at the Pod", () => {
    const text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\n";
    const found = scanText(text).map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message}`);
    expect(found).toEqual(["1:1 invalid-object `spec` is required."]);
  });
  it("so are `spec: null` on a Pod and a Deployment without spec", () => {
    expect(ids("apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n", ["invalid-object"])).toEqual([
      "5 invalid-object",
    ]);
    expect(ids("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n", ["invalid-object"])).toEqual([
      "1 invalid-object",
    ]);
  });
});
