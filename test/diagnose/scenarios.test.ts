// Each broken-cluster scenario gives exactly the root causes a person would name, once, with the
// cause chain through the object graph and the objects it affects.
import { describe, expect, it } from "vitest";
import { DIAGNOSE_CHECKS } from "../../src/diagnose/analyzers/index.js";
import { join } from "node:path";
import { diagnose } from "../../src/diagnose/diagnose.js";
import { loadSnapshot } from "../../src/inputs/cluster-snapshot.js";
import { diagnoseFixture, FIXTURES, summary } from "./helpers.js";

describe("diagnose scenarios", () => {
  it("CrashLoopBackOff with OOMKilled: one root cause behind Ingress → Service → EndpointSlice → Pod", () => {
    const r = diagnoseFixture("crashloop-oom.yaml");
    expect(r.findings.map(summary)).toEqual([
      {
        id: "pod-oom-killed",
        severity: "high",
        object: "pod/web-7c9d8f6b5d-4xk2p -n shop",
        affected: [
          "pod/web-7c9d8f6b5d-4xk2p -n shop",
          "deployment/web -n shop",
          "ingress/shop -n shop",
          "pod/web-7c9d8f6b5d-9wq7m -n shop",
          "service/web -n shop",
        ],
      },
    ]);
    const f = r.findings[0];
    if (f === undefined) throw new Error("no finding");
    expect(f.chain.map((c) => c.text.split(":")[0])).toEqual([
      "ingress/shop -n shop",
      "service/web -n shop",
      "endpointslice/web-8hd2k -n shop",
      "pod/web-7c9d8f6b5d-4xk2p -n shop",
      'container "app" waiting',
      "Warning event BackOff (x31)",
    ]);
    expect(f.explanation).toContain("64Mi");
    expect(f.evidence).toContainEqual({
      object: { kind: "Pod", namespace: "shop", name: "web-7c9d8f6b5d-4xk2p" },
      field: "status.containerStatuses[0].lastState.terminated.reason",
      value: "OOMKilled",
    });
    expect(f.impact).toContain("deployment/web -n shop: 0/2 replicas ready");
  });

  it("ImagePullBackOff names the image and the kubelet's event", () => {
    const [f, ...rest] = diagnoseFixture("imagepull.yaml").findings;
    expect(rest).toEqual([]);
    expect(f?.id).toBe("pod-image-pull");
    expect(f?.message).toContain("ghcr.io/acme/billing-api:v2.3.9");
    expect(f?.chain.at(-1)?.text).toMatch(/^Warning event Failed \(x4\): Failed to pull image/);
  });

  it("unschedulable with taints suggests a toleration", () => {
    const r = diagnoseFixture("unschedulable-taints.yaml");
    expect(r.findings.map((f) => f.id)).toEqual(["pod-unschedulable"]);
    expect(r.findings[0]?.remediation).toContain("toleration");
  });

  it("Service selector mismatch is the root; the Ingress in front is folded into it", () => {
    const r = diagnoseFixture("service-selector-mismatch.yaml");
    expect(r.findings.map(summary)).toEqual([
      {
        id: "service-selector-mismatch",
        severity: "high",
        object: "service/frontend -n web",
        affected: ["service/frontend -n web", "ingress/frontend -n web"],
      },
    ]);
    expect(r.findings[0]?.explanation).toContain("app=front-end");
  });

  it("Ingress to a port the Service does not expose", () => {
    const r = diagnoseFixture("ingress-missing-port.yaml");
    expect(r.findings.map((f) => [f.id, f.message])).toEqual([
      [
        "ingress-backend-port-missing",
        'backend port 8080 is not a port of Service "docs" (it has 80 (http))',
      ],
    ]);
  });

  it("HPA without metrics: missing requests traced to the target; a missing metrics API", () => {
    const r = diagnoseFixture("hpa-no-metrics.yaml");
    expect(r.findings.map((f) => [f.id, f.object.name])).toEqual([
      ["hpa-metrics-unavailable", "api"],
      ["hpa-missing-requests", "worker"],
    ]);
    const worker = r.findings[1];
    if (worker === undefined) throw new Error("no finding");
    expect(worker.chain.map((c) => c.object?.kind)).toEqual(["HorizontalPodAutoscaler", "Deployment"]);
  });

  it("PDB blocking a drain names the cordoned node", () => {
    const r = diagnoseFixture("pdb-blocking-drain.yaml");
    expect(r.findings.map((f) => f.id)).toEqual(["pdb-blocks-eviction", "node-cordoned"]);
    expect(r.findings[0]?.explanation).toContain("node worker-3 (pod/db-0 -n data)");
  });

  it("a custom resource whose Ready condition is False (and a healthy one that is not reported)", () => {
    const r = diagnoseFixture("crd-ready-false.yaml");
    expect(r.findings.map(summary)).toEqual([
      {
        id: "resource-condition-false",
        severity: "high",
        object: "certificate/shop-tls -n shop",
        affected: ["certificate/shop-tls -n shop"],
      },
    ]);
  });

  it("a failing webhook Service raises its pod's crash to critical and shows the webhook on top", () => {
    const r = diagnoseFixture("webhook-failing.yaml");
    expect(r.findings.map(summary)).toEqual([
      {
        id: "pod-crash-loop",
        severity: "critical",
        object: "pod/policy-webhook-0 -n policy",
        affected: [
          "pod/policy-webhook-0 -n policy",
          "validatingwebhookconfiguration/policy-validator",
          "service/policy-webhook -n policy",
        ],
      },
    ]);
    expect(r.findings[0]?.chain[0]?.text).toContain("failurePolicy Fail");
  });

  it("Deployment → ReplicaSet → FailedCreate (quota) is one finding", () => {
    const r = diagnoseFixture("quota.yaml");
    expect(r.findings.map(summary)).toEqual([
      {
        id: "replicaset-failed-create",
        severity: "high",
        object: "replicaset/batch-5f6d7 -n team-a",
        affected: ["replicaset/batch-5f6d7 -n team-a", "deployment/batch -n team-a"],
      },
    ]);
    expect(r.findings[0]?.explanation).toContain("ResourceQuota");
    expect(r.findings[0]?.chain.map((c) => c.object?.kind ?? "event")).toEqual([
      "Deployment",
      "ReplicaSet",
      "event",
    ]);
  });

  it("Gateway API: unknown class, backend port missing, parent missing", () => {
    const r = diagnoseFixture("gateway.yaml");
    expect(r.findings.map((f) => [f.id, f.object.name])).toEqual([
      ["gateway-class-missing", "internal"],
      ["httproute-backend-port-missing", "store"],
      ["httproute-parent-missing", "store-beta"],
    ]);
  });

  it("diagnose KIND/NAME keeps only findings that concern that object", () => {
    const r = diagnoseFixture("crashloop-oom.yaml", { target: { kind: "Ingress", name: "shop" } });
    expect(r.findings).toHaveLength(1);
    const none = diagnoseFixture("crashloop-oom.yaml", { target: { kind: "Ingress", name: "other" } });
    expect(none.findings).toEqual([]);
    const gw = diagnoseFixture("gateway.yaml", {
      target: { kind: "HTTPRoute", name: "store-beta", namespace: "shop" },
    });
    expect(gw.findings.map((f) => f.id)).toEqual(["httproute-parent-missing"]);
  });

  it("a Service with ready pods but no EndpointSlice of its own is judged by pod readiness", () => {
    // The snapshot holds EndpointSlices (of another Service), so the kind is known; store has none.
    const objects = [
      ...loadSnapshot(join(FIXTURES, "gateway.yaml")).objects,
      ...loadSnapshot(join(FIXTURES, "webhook-failing.yaml")).objects,
    ];
    const ids = diagnose({ objects }).findings.filter(
      (f) => f.object.name === "store" && f.object.kind === "Service",
    );
    expect(ids).toEqual([]);
  });

  it("check IDs are unique kebab-case", () => {
    const ids = DIAGNOSE_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)+$/);
  });
});
