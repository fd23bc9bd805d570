// The resource semantics the four *-missing rules share (src/rules/lib/container-resources.ts,
// documented in docs/cross-object.md): a LimitRange's defaults in the pod's namespace count as the
// container's limits and requests, and a missing request equals the limit.
import { describe, expect, it } from "vitest";
import { scanText } from "../../helpers/scan.js";

const RULES = ["cpu-limit-missing", "cpu-request-missing", "memory-limit-missing", "memory-request-missing"];
const found = (text: string) =>
  scanText(text)
    .filter((f) => RULES.includes(f.ruleId))
    .map((f) => `${f.resource?.name ?? ""} ${f.ruleId}`)
    .sort();

const pod = (name: string, ns: string, resources: string) => `---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec: { containers: [{ name: c, image: registry.example.com/c:1.0.0, resources: ${resources} }] }
`;
const limitRange = (ns: string, item: string) => `---
apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: ${ns} }
spec: { limits: [${item}] }
`;

describe("LimitRange and request defaulting", () => {
  it("reports all four on a bare container", () => {
    expect(found(pod("bare", "a", "{}"))).toEqual(RULES.map((r) => `bare ${r}`).sort());
  });
  it("takes a missing request to equal the limit", () => {
    expect(found(pod("limited", "a", "{ limits: { cpu: 500m, memory: 256Mi } }"))).toEqual([]);
    expect(found(pod("half", "a", "{ limits: { cpu: 500m } }"))).toEqual([
      "half memory-limit-missing",
      "half memory-request-missing",
    ]);
  });
  it("counts a namespace LimitRange's `default` as the limit, and so as the request", () => {
    const text =
      limitRange("a", "{ type: Container, default: { cpu: 500m, memory: 256Mi } }") + pod("web", "a", "{}");
    expect(found(text)).toEqual([]);
  });
  it("counts `defaultRequest` as a request only", () => {
    const text =
      limitRange("a", "{ type: Container, defaultRequest: { cpu: 100m, memory: 64Mi } }") +
      pod("web", "a", "{}");
    expect(found(text)).toEqual(["web cpu-limit-missing", "web memory-limit-missing"]);
  });
  it("ignores a LimitRange of another namespace or of another type", () => {
    const other =
      limitRange("b", "{ type: Container, default: { cpu: 500m, memory: 256Mi } }") + pod("web", "a", "{}");
    expect(found(other)).toHaveLength(4);
    const podType = limitRange("a", "{ type: Pod, max: { cpu: '1', memory: 1Gi } }") + pod("web", "a", "{}");
    expect(found(podType)).toHaveLength(4);
  });
});
