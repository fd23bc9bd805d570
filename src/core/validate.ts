// Shape checks for the fields kubeward reads (see k8s.ts). A field that fails them gets an
// `invalid-object` finding, and rules see the object without it (prune.ts), so they can trust
// the types they are handed (but for null, which Kubernetes reads as unset: rules guard it).
import type { Path, Resource } from "./types.js";
import { isRecord } from "./workloads.js";

type Shape =
  | "string"
  | "integer"
  | "boolean"
  | "int-or-string"
  | "quantity"
  | "any"
  | { object: Record<string, Shape> | "string-map" | "any-map"; required?: readonly string[] }
  | { array: Shape };

export interface ShapeProblem {
  path: Path;
  messageId: "wrongType" | "missingField";
  data: { field: string; expected?: string; actual?: string };
  /** The wrong field is required in its parent, so the parent is unusable too. */
  required?: true;
}

const str: Shape = "string";
const int: Shape = "integer";
const bool: Shape = "boolean";
const strMap: Shape = { object: "string-map" };
const strList: Shape = { array: str };
const anyMap: Shape = { object: "any-map" };
const obj = (fields: Record<string, Shape>, required?: readonly string[]): Shape =>
  required === undefined ? { object: fields } : { object: fields, required };

const metadata = obj({ name: str, namespace: str, generateName: str, labels: strMap, annotations: strMap });
const selector = obj({
  matchLabels: strMap,
  matchExpressions: { array: obj({ key: str, operator: str, values: strList }, ["key", "operator"]) },
});
const securityContext = obj({
  privileged: bool,
  allowPrivilegeEscalation: bool,
  readOnlyRootFilesystem: bool,
  runAsNonRoot: bool,
  runAsUser: int,
  runAsGroup: int,
  procMount: str,
  capabilities: obj({ add: strList, drop: strList }),
  seccompProfile: obj({ type: str, localhostProfile: str }),
  appArmorProfile: obj({ type: str, localhostProfile: str }),
  seLinuxOptions: strMap,
  windowsOptions: anyMap,
});
const probe = obj({
  httpGet: obj({ path: str, port: "int-or-string" }),
  tcpSocket: obj({ port: "int-or-string" }),
  grpc: obj({ port: int }),
  exec: obj({ command: strList }),
});
const container = obj(
  {
    name: str,
    image: str,
    imagePullPolicy: str,
    command: strList,
    args: strList,
    ports: { array: obj({ name: str, containerPort: int, hostPort: int, protocol: str }) },
    env: {
      array: obj(
        {
          name: str,
          value: str,
          valueFrom: obj({
            secretKeyRef: obj({ name: str, key: str }),
            configMapKeyRef: obj({ name: str, key: str }),
          }),
        },
        ["name"],
      ),
    },
    envFrom: { array: obj({ secretRef: anyMap, configMapRef: anyMap, prefix: str }) },
    resources: obj({ limits: { object: "any-map" }, requests: { object: "any-map" } }),
    securityContext,
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    volumeMounts: {
      array: obj({ name: str, mountPath: str, readOnly: bool, subPath: str }, ["name", "mountPath"]),
    },
    restartPolicy: str,
  },
  ["name"],
);
const podSpec = obj(
  {
    containers: { array: container },
    initContainers: { array: container },
    ephemeralContainers: { array: container },
    volumes: { array: obj({ name: str, hostPath: obj({ path: str, type: str }, ["path"]) }, ["name"]) },
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    serviceAccountName: str,
    serviceAccount: str,
    automountServiceAccountToken: bool,
    securityContext: obj({
      runAsNonRoot: bool,
      runAsUser: int,
      runAsGroup: int,
      fsGroup: int,
      supplementalGroups: { array: int },
      seccompProfile: obj({ type: str, localhostProfile: str }),
      appArmorProfile: obj({ type: str, localhostProfile: str }),
      sysctls: { array: obj({ name: str, value: str }, ["name"]) },
      seLinuxOptions: strMap,
      windowsOptions: anyMap,
    }),
    affinity: anyMap,
    nodeSelector: strMap,
    priorityClassName: str,
    restartPolicy: str,
  },
  ["containers"],
);
const template = obj({ metadata, spec: podSpec });
const workloadSpec = (extra: Record<string, Shape> = {}): Shape =>
  obj({ replicas: int, selector, template, ...extra });

const policyRule = obj(
  {
    apiGroups: strList,
    resources: strList,
    verbs: strList,
    resourceNames: strList,
    nonResourceURLs: strList,
  },
  ["verbs"],
);
const subject = obj({ kind: str, name: str, namespace: str, apiGroup: str }, ["kind", "name"]);
const roleRef = obj({ apiGroup: str, kind: str, name: str }, ["kind", "name"]);

/** Per-kind shapes for the top-level fields other than metadata. */
const KIND_SHAPES: Readonly<Record<string, Record<string, Shape>>> = {
  Pod: { spec: podSpec },
  PodTemplate: { template },
  Deployment: { spec: workloadSpec({ strategy: obj({ type: str }) }) },
  ReplicaSet: { spec: workloadSpec() },
  ReplicationController: { spec: obj({ replicas: int, selector: strMap, template }) },
  StatefulSet: { spec: workloadSpec({ serviceName: str }) },
  DaemonSet: { spec: workloadSpec({ updateStrategy: obj({ type: str }) }) },
  Job: { spec: obj({ template, parallelism: int, completions: int, backoffLimit: int }) },
  CronJob: {
    spec: obj({ schedule: str, jobTemplate: obj({ metadata, spec: obj({ template }) }) }),
  },
  Service: {
    spec: obj({
      type: str,
      selector: strMap,
      externalIPs: strList,
      ports: {
        array: obj({ name: str, port: int, targetPort: "int-or-string", nodePort: int, protocol: str }),
      },
    }),
  },
  Role: { rules: { array: policyRule } },
  ClusterRole: { rules: { array: policyRule } },
  RoleBinding: { subjects: { array: subject }, roleRef },
  ClusterRoleBinding: { subjects: { array: subject }, roleRef },
  NetworkPolicy: {
    spec: obj({
      podSelector: selector,
      policyTypes: strList,
      ingress: { array: anyMap },
      egress: { array: anyMap },
    }),
  },
  HorizontalPodAutoscaler: {
    spec: obj({
      minReplicas: int,
      maxReplicas: int,
      scaleTargetRef: obj({ apiVersion: str, kind: str, name: str }),
    }),
  },
  Ingress: { spec: obj({ tls: { array: anyMap }, rules: { array: anyMap } }) },
  ServiceAccount: { automountServiceAccountToken: bool },
  ConfigMap: { data: anyMap },
};

/**
 * Top-level fields the API server requires per kind (a Pod without `spec` has no containers and is
 * rejected with "spec.containers: Required value"; so is a workload without a spec or template).
 */
const KIND_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template"],
  Deployment: ["spec"],
  ReplicaSet: ["spec"],
  ReplicationController: ["spec"],
  StatefulSet: ["spec"],
  DaemonSet: ["spec"],
  Job: ["spec"],
  CronJob: ["spec"],
};

export function validateResource(resource: Resource): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const o = resource.object;
  check(o["metadata"], metadata, ["metadata"], problems);
  for (const field of KIND_REQUIRED[resource.ref.kind] ?? []) {
    if (o[field] === undefined || o[field] === null) {
      problems.push({ path: [field], messageId: "missingField", data: { field } });
    }
  }
  const shapes = KIND_SHAPES[resource.ref.kind];
  if (shapes !== undefined) {
    for (const [field, shape] of Object.entries(shapes)) check(o[field], shape, [field], problems);
  }
  return problems;
}

/** How a value reads in a message ("the string \"x\"", "a list", ...). */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  // JSON has no Infinity or NaN (JSON.stringify would say "null"): use YAML's spelling.
  if (typeof v === "number" && !Number.isFinite(v))
    return `the number ${v > 0 ? ".inf" : v < 0 ? "-.inf" : ".nan"}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * An env var's value may be a credential that secret-detecting rules cannot see once it is invalid
 * (`DB_PASSWORD: 12345678`): its message names the type only, never the value.
 */
function isEnvValue(path: Path): boolean {
  const n = path.length;
  return n >= 3 && path[n - 1] === "value" && path[n - 3] === "env";
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return typeof v === "number" ? "a number" : typeof v === "boolean" ? "a boolean" : `a ${typeof v}`;
}

function expectedName(shape: Shape): string {
  if (typeof shape === "string") {
    return {
      string: "a string",
      integer: "an integer",
      boolean: "a boolean (true or false)",
      "int-or-string": "an integer or a string",
      quantity: "a quantity",
      any: "a value",
    }[shape];
  }
  return "array" in shape ? "a list" : "a mapping";
}

/** A path as a field name: `spec.containers[0].image`. */
export function fieldName(path: Path): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : p))
    .join(".")
    .replace(/\.\[/g, "[");
}

function check(value: unknown, shape: Shape, path: Path, out: ShapeProblem[]): void {
  // null stands for "unset" in Kubernetes manifests (e.g. `resources:` with nothing under it).
  if (value === undefined || value === null || shape === "any") return;
  const wrong = (): void => {
    out.push({
      path,
      messageId: "wrongType",
      data: {
        field: fieldName(path),
        expected: expectedName(shape),
        actual: isEnvValue(path) ? describeType(value) : describe(value),
      },
    });
  };
  if (typeof shape === "string") {
    const ok =
      (shape === "string" && typeof value === "string") ||
      (shape === "integer" && typeof value === "number" && Number.isInteger(value)) ||
      (shape === "boolean" && typeof value === "boolean") ||
      (shape === "int-or-string" &&
        (typeof value === "string" || (typeof value === "number" && Number.isInteger(value)))) ||
      (shape === "quantity" && (typeof value === "string" || typeof value === "number"));
    if (!ok) wrong();
    return;
  }
  if ("array" in shape) {
    if (!Array.isArray(value)) {
      wrong();
      return;
    }
    value.forEach((item, i) => {
      // A null list item is not "unset": the API server rejects it (e.g. `env: [null]`).
      if (item === null && typeof shape.array !== "string") {
        out.push({
          path: [...path, i],
          messageId: "wrongType",
          data: { field: fieldName([...path, i]), expected: expectedName(shape.array), actual: "null" },
        });
        return;
      }
      check(item, shape.array, [...path, i], out);
    });
    return;
  }
  if (!isRecord(value)) {
    wrong();
    return;
  }
  for (const req of shape.required ?? []) {
    if (value[req] === undefined || value[req] === null) {
      out.push({
        path: [...path, req],
        messageId: "missingField",
        data: { field: fieldName([...path, req]) },
      });
    }
  }
  if (shape.object === "any-map") return;
  if (shape.object === "string-map") {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string" && v !== null) {
        out.push({
          path: [...path, k],
          messageId: "wrongType",
          data: {
            field: fieldName([...path, k]),
            expected: "a string (quote numbers and booleans)",
            actual: describe(v),
          },
        });
      }
    }
    return;
  }
  for (const [k, sub] of Object.entries(shape.object)) {
    const before = out.length;
    check(value[k], sub, [...path, k], out);
    if (shape.required?.includes(k) === true) {
      for (const p of out.slice(before)) if (p.path.length === path.length + 1) p.required = true;
    }
  }
}
