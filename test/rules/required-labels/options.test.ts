// required-labels is a rule template: its keys and kinds come from the config's options.
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../../src/core/config.js";
import { scanText } from "../../helpers/scan.js";

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    team: storefront
  annotations:
    owner: ""
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
`;

function findings(options: Record<string, unknown> | undefined): string[] {
  const config: Config = {
    ...EMPTY_CONFIG,
    rules: { "required-labels": options === undefined ? { enabled: true } : { enabled: true, options } },
  };
  return scanText(manifest, "options.yaml", { config })
    .filter((f) => f.ruleId === "required-labels")
    .map((f) => `${f.line} ${f.messageId}: ${f.message}`);
}

describe("required-labels options", () => {
  it("is off unless enabled", () => {
    expect(scanText(manifest, "options.yaml").filter((f) => f.ruleId === "required-labels")).toEqual([]);
  });

  it("requires app.kubernetes.io/name on every kind by default", () => {
    expect(findings(undefined)).toEqual([
      "5 missing: Deployment `web` has no label `app.kubernetes.io/name`.",
      "22 missing: ConfigMap `settings` has no label `app.kubernetes.io/name`.",
    ]);
  });

  it("checks the configured labels and annotations", () => {
    expect(findings({ labels: ["team", "tier"], annotations: ["owner", "runbook"] })).toEqual([
      "5 missing: Deployment `web` has no label `tier`.",
      "7 missing: Deployment `web` has no annotation `runbook`.",
      "8 empty: Deployment `web` has an empty annotation `owner`.",
      "22 missing: ConfigMap `settings` has no label `team`.",
      "22 missing: ConfigMap `settings` has no label `tier`.",
      "22 missing: ConfigMap `settings` has no annotation `owner`.",
      "22 missing: ConfigMap `settings` has no annotation `runbook`.",
    ]);
  });

  it("restricts the check to the configured kinds", () => {
    expect(findings({ labels: ["tier"], kinds: ["ConfigMap"] })).toEqual([
      "22 missing: ConfigMap `settings` has no label `tier`.",
    ]);
  });

  it("keeps the default for an option of the wrong type instead of crashing (the config file rejects it)", () => {
    // `labels` is not a list and `annotations` lists a number: both keep their defaults.
    expect(findings({ labels: "team", annotations: [42, "owner"] })).toEqual([
      "5 missing: Deployment `web` has no label `app.kubernetes.io/name`.",
      "22 missing: ConfigMap `settings` has no label `app.kubernetes.io/name`.",
    ]);
  });
});
