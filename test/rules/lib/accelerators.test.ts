// Accelerator and model-server detection, quantities, and the options of the AI/GPU rules.
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../../src/core/config.js";
import {
  isAcceleratorResource,
  parallelDegree,
  probeBudgetSeconds,
} from "../../../src/rules/lib/accelerators.js";
import { parseQuantity } from "../../../src/rules/lib/quantity.js";
import { scanText } from "../../helpers/scan.js";

describe("parseQuantity", () => {
  it("reads numbers, decimal and binary suffixes and exponents", () => {
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity("2")).toBe(2);
    expect(parseQuantity("500m")).toBe(0.5);
    expect(parseQuantity("1Ki")).toBe(1024);
    expect(parseQuantity("1k")).toBe(1000);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity(".5")).toBe(0.5);
  });
  it("rejects what is not a quantity", () => {
    expect(parseQuantity("two")).toBeUndefined();
    expect(parseQuantity("1KB")).toBeUndefined();
    expect(parseQuantity("")).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });
});

describe("isAcceleratorResource", () => {
  it.each([
    "nvidia.com/gpu",
    "nvidia.com/mig-1g.5gb",
    "amd.com/gpu",
    "gpu.intel.com/i915",
    "gpu.intel.com/xe",
    "habana.ai/gaudi",
    "aws.amazon.com/neuroncore",
    "google.com/tpu",
  ])("knows %s", (name) => {
    expect(isAcceleratorResource(name)).toBe(true);
  });
  it.each(["cpu", "memory", "ephemeral-storage", "example.com/fpga", "nvidia.com/hostdev", "hugepages-2Mi"])(
    "ignores %s",
    (name) => {
      expect(isAcceleratorResource(name)).toBe(false);
    },
  );
});

describe("parallelDegree", () => {
  it("reads the tensor-parallel flags in both spellings and inside shell strings", () => {
    expect(parallelDegree({ name: "a", args: ["--tensor-parallel-size", "4"] })).toBe(4);
    expect(parallelDegree({ name: "a", args: ["--tensor-parallel-size=8"] })).toBe(8);
    expect(parallelDegree({ name: "a", command: ["sh", "-c", "vllm serve m -tp 2"] })).toBe(2);
    expect(parallelDegree({ name: "a", args: ["--num-shard", "3"] })).toBe(3);
    expect(parallelDegree({ name: "a", args: ["--model", "x"] })).toBe(1);
  });
});

describe("probeBudgetSeconds", () => {
  it("uses the API defaults for missing fields", () => {
    expect(probeBudgetSeconds({})).toBe(30);
    expect(probeBudgetSeconds({ initialDelaySeconds: 5, periodSeconds: 2 })).toBe(11);
  });
});

const gpuPod = `apiVersion: v1
kind: Node
metadata:
  name: gpu
spec:
  taints:
    - { key: nvidia.com/gpu, effect: NoSchedule }
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:v0.11.0
      resources:
        limits:
          nvidia.com/gpu: 1
      livenessProbe:
        httpGet: { path: /health, port: 8000 }
      startupProbe:
        httpGet: { path: /health, port: 8000 }
        failureThreshold: 30
`;
const withOptions = (id: string, options: Record<string, unknown>): Config => ({
  ...EMPTY_CONFIG,
  rules: { [id]: { enabled: true, options } },
});
const ids = (config: Config, rule: string) =>
  scanText(gpuPod, "p.yaml", { config }).filter((f) => f.ruleId === rule).length;

describe("options", () => {
  it("gpu-taint-not-tolerated: extendedResourceToleration tolerates taints named like the resource", () => {
    expect(ids(withOptions("gpu-taint-not-tolerated", {}), "gpu-taint-not-tolerated")).toBe(1);
    expect(
      ids(
        withOptions("gpu-taint-not-tolerated", { extendedResourceToleration: true }),
        "gpu-taint-not-tolerated",
      ),
    ).toBe(0);
  });
  it("model-server-startup-probe: minStartupSeconds sets the window", () => {
    // 30 failures × 10 s = 300 s: enough for the default, short of 600.
    expect(ids(withOptions("model-server-startup-probe", {}), "model-server-startup-probe")).toBe(0);
    expect(
      ids(
        withOptions("model-server-startup-probe", { minStartupSeconds: 600 }),
        "model-server-startup-probe",
      ),
    ).toBe(1);
  });
});
