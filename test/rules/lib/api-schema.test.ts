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
  // (read from the client models of each release) must agree.
  it.each([
    ["v1/Container", "restartPolicy", [27, 28]], // sidecar containers, KEP-753, alpha in 1.28
    ["v1/PodSpec", "hostUsers", [24, 25]], // user namespaces, KEP-127, alpha in 1.25
    ["v1/PodSpec", "resources", [30, 32]], // pod-level resources, KEP-2837, alpha in 1.32
    ["v1/PodSpec", "resourceClaims", [25, 27]], // dynamic resource allocation, alpha in 1.26
    ["v1/PodSpec", "os", [22, 24]], // pod OS field, KEP-2802, alpha in 1.23
    ["v1/Probe", "grpc", [22, 24]], // gRPC probes, alpha in 1.23
  ] as const)("knows when %s.%s came", (def, field, range) => {
    expect(K8S_VERSIONS.fields[def]?.[field]).toEqual(range);
  });

  it.each([
    ["batch/v1 CronJob", [20, 21]], // GA in 1.21
    ["policy/v1 PodDisruptionBudget", [20, 21]], // GA in 1.21
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

  it("claims nothing for a release between two known ones that may have added the field", () => {
    const text = pod([
      "resources: {limits: {cpu: 1}}",
      "containers: [{name: app, image: registry.example.com/app:1.0}]",
    ]);
    expect(scan(text, "1.30")).toEqual(["fieldNotInRelease spec.resources"]);
    expect(scan(text, "1.31")).toEqual([]); // 1.31 is not among the releases read
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
