// The `minReplicas` option of the replica rules, set through the config as users would.
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../../src/core/config.js";
import { scanText } from "../../helpers/scan.js";

const hpa = (min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: ${min}
  maxReplicas: 10
`;
const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: example.com/web:1.4
`;

function ids(text: string, rule: string, options?: Record<string, unknown>): string[] {
  const config: Config = { ...EMPTY_CONFIG, rules: { [rule]: options ? { options } : {} } };
  return scanText(text, "test.yaml", { config })
    .filter((f) => f.ruleId === rule)
    .map((f) => f.messageId);
}

describe("minReplicas option", () => {
  it("hpa-min-replicas defaults to 2 and follows the option", () => {
    expect(ids(hpa(2), "hpa-min-replicas")).toEqual([]);
    expect(ids(hpa(2), "hpa-min-replicas", { minReplicas: 3 })).toEqual(["tooLow"]);
    expect(ids(hpa(1), "hpa-min-replicas", { minReplicas: 1 })).toEqual([]);
  });
  it("too-few-replicas defaults to 2 and follows the option", () => {
    expect(ids(deployment(2), "too-few-replicas")).toEqual([]);
    expect(ids(deployment(2), "too-few-replicas", { minReplicas: 3 })).toEqual(["tooLow"]);
    expect(ids(deployment(1), "too-few-replicas", { minReplicas: 1 })).toEqual([]);
  });
  it("ignores an option that is not a number", () => {
    expect(ids(hpa(1), "hpa-min-replicas", { minReplicas: "three" })).toEqual(["tooLow"]);
  });
});
