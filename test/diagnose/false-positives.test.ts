// K8sGPT's known false positives, each in its healthy form: none may give a finding. Each case is
// then broken on purpose to show the analyzer does look at it.
import { describe, expect, it } from "vitest";
import type { KObject } from "../../src/core/types.js";
import { diagnose } from "../../src/diagnose/diagnose.js";
import { loadSnapshot } from "../../src/inputs/cluster-snapshot.js";
import { FIXTURES } from "./helpers.js";
import { join } from "node:path";

const healthy = (): KObject[] => loadSnapshot(join(FIXTURES, "healthy-k8sgpt-false-positives.yaml")).objects;
const named = (objects: KObject[], kind: string, name: string): KObject => {
  const o = objects.find((x) => x["kind"] === kind && (x["metadata"] as { name: string }).name === name);
  if (o === undefined) throw new Error(`${kind}/${name} not in fixture`);
  return o;
};

describe("K8sGPT false positives do not occur", () => {
  it("the healthy cluster gives no finding", () => {
    expect(diagnose({ objects: healthy() }).findings).toEqual([]);
  });

  it("ConfigMaps used only by an init container, a projected volume or envFrom count as used", () => {
    // Remove the Deployment that uses them: now all three are unused, so the check is live.
    const objects = healthy().filter((o) => o["kind"] !== "Deployment");
    const ids = diagnose({ objects })
      .findings.filter((f) => f.id === "configmap-unused")
      .map((f) => f.object.name);
    expect(ids.sort()).toEqual(["app-env", "ca-bundle", "migrations"]);
  });

  it("an HPA at minReplicas is fine; one held at maxReplicas is reported", () => {
    const objects = healthy();
    const hpa = named(objects, "HorizontalPodAutoscaler", "app");
    const conditions = (hpa["status"] as { conditions: Record<string, string>[] }).conditions;
    conditions[2] = { type: "ScalingLimited", status: "True", reason: "TooManyReplicas", message: "max" };
    expect(diagnose({ objects }).findings.map((f) => f.id)).toEqual(["hpa-at-max"]);
  });

  it("a Job that failed and was retried until it completed is fine; a failed one is reported", () => {
    const objects = healthy();
    const job = named(objects, "Job", "nightly-import");
    job["status"] = {
      failed: 7,
      conditions: [
        {
          type: "Failed",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
        },
      ],
    };
    expect(diagnose({ objects }).findings.map((f) => f.id)).toEqual(["job-failed"]);
  });

  it("custom node conditions are not judged; kubelet pressure conditions are", () => {
    const objects = healthy();
    const node = named(objects, "Node", "worker-9");
    const conditions = (node["status"] as { conditions: Record<string, string>[] }).conditions;
    conditions[4] = {
      type: "MemoryPressure",
      status: "True",
      reason: "KubeletHasInsufficientMemory",
      message: "low",
    };
    expect(diagnose({ objects }).findings.map((f) => f.id)).toEqual(["node-pressure"]);
  });

  it("a claim waiting for its first consumer is fine; one naming a missing class is reported", () => {
    const objects = healthy().filter((o) => o["kind"] !== "Event");
    const pvc = named(objects, "PersistentVolumeClaim", "scratch");
    (pvc["spec"] as Record<string, unknown>)["storageClassName"] = "fast";
    expect(diagnose({ objects }).findings.map((f) => f.id)).toEqual(["pvc-storageclass-missing"]);
  });
});
