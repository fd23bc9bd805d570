// The API-schema validator: how it reads what Kubernetes accepts, CRD schemas, and its interplay
// with invalid-object (one report per field).
import { describe, expect, it } from "vitest";
import { K8S_SCHEMA } from "../../../src/rules/lib/k8s-schema.generated.js";
import { K8S_VERSIONS } from "../../../src/rules/lib/k8s-schema-versions.generated.js";
import {
  BuiltinSchemas,
  crdSchemaNode,
  firstAppears,
  validateNode,
  type SchemaProblem,
} from "../../../src/rules/lib/api-schema.js";
import { scanText } from "../../helpers/scan.js";

const builtin = new BuiltinSchemas(K8S_SCHEMA);

function problems(apiVersion: string, kind: string, object: Record<string, unknown>): string[] {
  const node = builtin.kind(apiVersion, kind);
  if (node === undefined) throw new Error(`no schema for ${apiVersion} ${kind}`);
  const out: SchemaProblem[] = [];
  validateNode({ apiVersion, kind, ...object }, node, [], out);
  return out.map((p) => `${p.messageId} ${p.path.join(".")}`);
}

describe("built-in schemas", () => {
  it("knows the common kinds and none of the List kinds", () => {
    for (const k of ["v1 Pod", "apps/v1 Deployment", "batch/v1 CronJob", "networking.k8s.io/v1 Ingress"]) {
      expect(K8S_SCHEMA.kinds[k], k).toBeDefined();
    }
    expect(K8S_SCHEMA.kinds["v1 PodList"]).toBeUndefined();
  });

  it("takes booleans in boolean fields, no string (a plain `yes` arrives as true from the YAML input)", () => {
    const pod = (stdin: unknown) => ({
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", stdin }] },
    });
    expect(problems("v1", "Pod", pod(true))).toEqual([]);
    expect(problems("v1", "Pod", pod(false))).toEqual([]);
    // What a quoted "yes" or "true" is: a string, which the API server rejects for a boolean.
    expect(problems("v1", "Pod", pod("yes"))).toEqual(["wrongType spec.containers.0.stdin"]);
    expect(problems("v1", "Pod", pod("true"))).toEqual(["wrongType spec.containers.0.stdin"]);
  });

  it("reads quantities as the API server does", () => {
    const limits = (memory: unknown) => ({
      spec: { containers: [{ name: "c", resources: { limits: { memory } } }] },
    });
    for (const ok of [1, 0.5, "512Mi", "1e3", "100m", " 1Gi "])
      expect(problems("v1", "Pod", limits(ok))).toEqual([]);
    for (const bad of ["", "1GB", "lots", true]) {
      expect(problems("v1", "Pod", limits(bad)), String(bad)).toEqual([
        "wrongType spec.containers.0.resources.limits.memory",
      ]);
    }
  });

  it("takes null as unset, even for required fields' parents, and anything in RawExtension fields", () => {
    expect(problems("v1", "Pod", { metadata: { creationTimestamp: null }, spec: null })).toEqual([]);
    expect(
      problems("apps/v1", "ControllerRevision", { revision: 1, data: { any: { nested: [1, "x"] } } }),
    ).toEqual([]);
  });

  it("does not require apiVersion/kind of embedded objects (StatefulSet volumeClaimTemplates)", () => {
    const sts = {
      spec: {
        selector: {},
        template: {},
        volumeClaimTemplates: [{ metadata: { name: "d" }, spec: { accessModes: ["ReadWriteOnce"] } }],
      },
    };
    expect(problems("apps/v1", "StatefulSet", sts)).toEqual([]);
  });
});

describe("CRD schemas", () => {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          count: { type: "integer" },
          ratio: { type: "number" },
          open: {
            type: "object",
            "x-kubernetes-preserve-unknown-fields": true,
            properties: { a: { type: "string" } },
          },
          untyped: {},
        },
      },
    },
  };
  const node = crdSchemaNode(schema, "Widget", builtin.objectMeta());
  const check = (spec: unknown): string[] => {
    const out: SchemaProblem[] = [];
    validateNode({ apiVersion: "x/v1", kind: "Widget", metadata: { name: "w" }, spec }, node, [], out);
    return out.map((p) => `${p.messageId} ${p.path.join(".")}`);
  };

  it("tells integers from numbers", () => {
    expect(check({ count: 2, ratio: 0.5 })).toEqual([]);
    expect(check({ count: 2.5 })).toEqual(["wrongType spec.count"]);
  });

  it("keeps checking known fields of an object that preserves unknown ones", () => {
    expect(check({ open: { a: "x", b: 1 } })).toEqual([]);
    expect(check({ open: { a: 1 } })).toEqual(["wrongType spec.open.a"]);
  });

  it("accepts anything in an untyped field and checks the root's metadata as ObjectMeta", () => {
    expect(check({ untyped: [1, { x: 2 }] })).toEqual([]);
    const out: SchemaProblem[] = [];
    validateNode({ metadata: { nmae: "w" } }, node, [], out);
    expect(out.map((p) => `${p.messageId} ${p.path.join(".")} ${p.data["hint"] ?? ""}`)).toEqual([
      "unknownField metadata.nmae  Did you mean `name`?",
    ]);
  });

  it("survives hostile schemas: deep nesting and non-object parts", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 500; i++) deep = { type: "object", properties: { x: deep } };
    expect(() => crdSchemaNode(deep, "Deep", undefined)).not.toThrow();
    expect(crdSchemaNode("nonsense", "Bad", undefined)).toEqual({ type: "any" });
  });
});

describe("with the engine", () => {
  it("leaves a field invalid-object already reports to it (one finding per field)", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "spec:",
      '  replicas: "three"',
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    metadata: {labels: {app: web}}",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          image: registry.example.com/web:1.0",
      "          imagePullPolcy: Always",
      "",
    ].join("\n");
    const findings = scanText(text, "d.yaml").filter(
      (f) => f.ruleId === "invalid-object" || f.ruleId === "schema",
    );
    expect(findings.map((f) => `${f.ruleId} ${String(f.line)}:${String(f.column)}`)).toEqual([
      "invalid-object 6:3",
      "schema 14:11",
    ]);
  });

  it("leaves a missing apps/v1 spec.selector to selector-mismatch (one finding, not two)", () => {
    const deployment = (apiVersion: string, template: boolean) =>
      [
        `apiVersion: ${apiVersion}`,
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "spec:",
        "  replicas: 2",
        ...(template
          ? [
              "  template:",
              "    metadata: {labels: {app: web}}",
              "    spec:",
              "      containers: [{name: web, image: registry.example.com/web:1.0}]",
            ]
          : []),
        "",
      ].join("\n");
    const found = (text: string) =>
      scanText(text, "d.yaml")
        .filter((f) => f.ruleId === "schema" || f.ruleId === "selector-mismatch")
        .map((f) => `${f.ruleId} ${f.path.join(".")}`)
        .sort();
    expect(found(deployment("apps/v1", true))).toEqual(["selector-mismatch spec"]);
    expect(found(deployment("apps/v1beta2", true))).toEqual(["selector-mismatch spec"]);
    // Other required fields stay schema's.
    expect(found(deployment("apps/v1", false))).toEqual(["schema spec.template", "selector-mismatch spec"]);
  });
});

describe("per --kube-version", () => {
  const scan = (text: string, kubeVersion?: string) =>
    scanText(text, "p.yaml", kubeVersion === undefined ? {} : { kubeVersion })
      .filter((f) => f.ruleId === "schema")
      .map((f) => `${f.messageId} ${f.path.join(".")}`);
  const pod = (spec: string[]) =>
    ["apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", ...spec.map((l) => "  " + l), ""].join(
      "\n",
    );
  const sidecar = pod([
    "initContainers: [{name: proxy, image: registry.example.com/proxy:1.0, restartPolicy: Always}]",
    "containers: [{name: app, image: registry.example.com/app:1.0}]",
  ]);

  // When each field and kind came, from the Kubernetes changelogs and KEPs; the generated data
  // (read from the client models or pulumi types of each release) must agree.
  it.each([
    ["v1/Container", "restartPolicy", [27, 28]], // sidecar containers, KEP-753, alpha in 1.28
    ["v1/PodSpec", "hostUsers", [24, 25]], // user namespaces, KEP-127, alpha in 1.25
    ["v1/PodSpec", "resources", [31, 32]], // pod-level resources, KEP-2837, alpha in 1.32
    ["v1/PodSpec", "resourceClaims", [25, 26]], // dynamic resource allocation, alpha in 1.26
    ["v1/PodSpec", "schedulingGates", [25, 26]], // pod scheduling readiness, KEP-3521, alpha in 1.26
    ["apps/v1/StatefulSetSpec", "ordinals", [25, 26]], // StatefulSet start ordinal, KEP-3335, alpha in 1.26
    ["v1/Container", "resizePolicy", [26, 27]], // in-place pod resize, KEP-1287, alpha in 1.27
    ["v1/PodSpec", "os", [22, 23]], // pod OS field, KEP-2802, alpha in 1.23
    ["v1/Probe", "grpc", [22, 23]], // gRPC probes, KEP-2727, alpha in 1.23
    ["batch/v1/CronJobSpec", "timeZone", [23, 24]], // CronJob time zones, KEP-3140, alpha in 1.24
    ["v1/Volume", "image", [30, 31]], // image volumes, KEP-4639, alpha in 1.31
    ["v1/PodSecurityContext", "supplementalGroupsPolicy", [30, 31]], // KEP-3619, alpha in 1.31
    ["v1/PodSecurityContext", "seLinuxChangePolicy", [31, 32]], // KEP-1710, in 1.32
    ["v1/NodeStatus", "declaredFeatures", [34, 35]], // node declared features, KEP-5328, alpha in 1.35
    ["storage.k8s.io/v1/CSIDriverSpec", "serviceAccountTokenInSecrets", [34, 35]], // KEP-5538, in 1.35
    ["v1/PodSpec", "schedulingGroup", [35, 36]], // in 1.36 (1.35 had the alpha workloadRef)
  ] as const)("knows when %s.%s came", (def, field, range) => {
    expect(K8S_VERSIONS.fields[def]?.[field]).toEqual(range);
  });

  it.each([
    ["batch/v1 CronJob", [20, 21]], // GA in 1.21
    ["policy/v1 PodDisruptionBudget", [20, 21]], // GA in 1.21
    ["autoscaling/v2 HorizontalPodAutoscaler", [22, 23]], // GA in 1.23
    ["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema", [25, 26]], // new in 1.26
    ["admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy", [29, 30]], // GA in 1.30
    ["resource.k8s.io/v1 ResourceClaim", [33, 34]], // DRA GA in 1.34
  ] as const)("knows when kind %s came", (key, range) => {
    expect(K8S_VERSIONS.kinds[key]).toEqual(range);
  });

  it("names only definitions, fields and kinds of the schema, and known releases in order", () => {
    for (const [def, fields] of Object.entries(K8S_VERSIONS.fields)) {
      const schema = K8S_SCHEMA.defs[def];
      expect(schema, def).toBeDefined();
      for (const [field, [lastAbsent, firstPresent]] of Object.entries(fields)) {
        expect(schema?.[0][field], `${def}.${field}`).toBeDefined();
        expect(lastAbsent).toBeLessThan(firstPresent);
        expect(K8S_VERSIONS.known).toContain(lastAbsent);
        expect(K8S_VERSIONS.known).toContain(firstPresent);
      }
    }
    for (const key of Object.keys(K8S_VERSIONS.kinds)) expect(K8S_SCHEMA.kinds[key], key).toBeDefined();
    expect(K8S_VERSIONS.known).toEqual([...K8S_VERSIONS.known].sort((a, b) => a - b));
    expect(K8S_VERSIONS.known.at(-1)).toBe(36);
    // Every release from 1.20 to 1.36 is read: no gap where a field's release is unsure.
    expect(K8S_VERSIONS.known).toEqual(Array.from({ length: 17 }, (_, i) => 20 + i));
  });

  it("says which release(s) added a field", () => {
    expect(firstAppears([27, 28])).toBe("1.28");
    expect(firstAppears([30, 32])).toBe("1.31 or 1.32");
    expect(firstAppears([25, 29])).toBe("1.26 to 1.29");
  });

  it("reports a sidecar restartPolicy for 1.27 and older, not for 1.28, the default or newer", () => {
    const found = ["fieldNotInRelease spec.initContainers.0.restartPolicy"];
    expect(scan(sidecar, "1.27")).toEqual(found);
    expect(scan(sidecar, "v1.19")).toEqual(found);
    expect(scan(sidecar, "1.28")).toEqual([]);
    expect(scan(sidecar)).toEqual([]);
    expect(scan(sidecar, "1.40")).toEqual([]);
  });

  // The releases read from @pulumi/kubernetes (no client-node version was generated from them):
  // a field each added is reported for the release before and not for that release, and a field
  // the next release added is reported for it (before, neither release was read, so a field of
  // either was reported for neither).
  const app = "containers: [{name: app, image: registry.example.com/app:1.0}]";
  const cronJob = (spec: string) =>
    [
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata: {name: c}",
      `spec: {schedule: '@daily', ${spec}jobTemplate: {spec: {template: {spec: {restartPolicy: Never, ${app}}}}}}`,
      "",
    ].join("\n");
  const csiDriver = ["apiVersion: storage.k8s.io/v1", "kind: CSIDriver", "metadata: {name: csi.example.com}"];
  it.each([
    [
      "1.23",
      "1.22",
      pod(["os: {name: linux}", app]),
      "spec.os",
      cronJob("timeZone: Etc/UTC, "),
      "spec.timeZone",
    ],
    [
      "1.26",
      "1.25",
      pod(["schedulingGates: [{name: wait}]", app]),
      "spec.schedulingGates",
      pod([
        "containers: [{name: app, image: registry.example.com/app:1.0, resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]}]",
      ]),
      "spec.containers.0.resizePolicy",
    ],
    [
      "1.31",
      "1.30",
      pod([app, "volumes: [{name: v, image: {reference: registry.example.com/data:1.0}}]"]),
      "spec.volumes.0.image",
      pod(["resources: {limits: {cpu: 1}}", app]),
      "spec.resources",
    ],
    [
      "1.35",
      "1.34",
      [...csiDriver, "spec: {serviceAccountTokenInSecrets: true}", ""].join("\n"),
      "spec.serviceAccountTokenInSecrets",
      [...csiDriver, "spec: {preventPodSchedulingIfMissing: true}", ""].join("\n"),
      "spec.preventPodSchedulingIfMissing",
    ],
  ])(
    "%s: its field is reported for %s and not for it; the next release's field is reported for it",
    (release, before, text, path, nextText, nextPath) => {
      expect(scan(text, before)).toEqual([`fieldNotInRelease ${path}`]);
      expect(scan(text, release)).toEqual([]);
      expect(scan(nextText, release)).toEqual([`fieldNotInRelease ${nextPath}`]);
    },
  );

  it("reports a 1.36 field at the default --kube-version 1.35, and accepts 1.35's alpha workloadRef", () => {
    const text = pod([
      "schedulingGroup: {podGroupName: g}",
      "containers: [{name: app, image: registry.example.com/app:1.0}]",
    ]);
    expect(scan(text)).toEqual(["fieldNotInRelease spec.schedulingGroup"]);
    expect(scan(text, "1.36")).toEqual([]);
    const workloadRef = pod([
      "workloadRef: {name: w, podGroup: g}",
      "containers: [{name: app, image: registry.example.com/app:1.0}]",
    ]);
    expect(K8S_VERSIONS.removed["v1/PodSpec"]?.["workloadRef"]).toBe(35);
    expect(scan(workloadRef)).toEqual([]);
    expect(scan(workloadRef, "1.36")).toEqual(["unknownField spec.workloadRef"]);
  });

  it("still reports a misspelt field as unknown for an older release", () => {
    const text = pod([
      "containers: [{name: app, image: registry.example.com/app:1.0, restartPolcy: Always}]",
    ]);
    expect(scan(text, "1.27")).toEqual(["unknownField spec.containers.0.restartPolcy"]);
  });

  it("reports a kind the release lacks once, at apiVersion, and does not check its fields", () => {
    const text = [
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata: {name: c}",
      "spec:",
      "  schedule: '@daily'",
      "  bogus: 1",
      "  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: registry.example.com/c:1.0}]}}}}",
      "",
    ].join("\n");
    expect(scan(text, "1.20")).toEqual(["kindNotInRelease apiVersion"]);
    expect(scan(text, "1.21")).toEqual(["unknownField spec.bogus"]);
  });

  it("accepts a field the API later removed for the releases that had it", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: c, clusterName: east}", // ObjectMeta.clusterName, removed in 1.25
      "",
    ].join("\n");
    expect(K8S_VERSIONS.removed["meta:apis/meta/v1/ObjectMeta"]?.["clusterName"]).toBe(24);
    expect(scan(text, "1.24")).toEqual([]);
    expect(scan(text, "1.25")).toEqual(["unknownField metadata.clusterName"]);
  });
});
