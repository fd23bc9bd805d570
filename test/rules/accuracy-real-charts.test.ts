// Issue 10, "Accuracy on real charts": the kubeward false negatives that 7 peer tools found on
// 5,138 rendered public charts, each checked again here in one place (several have deeper tests
// next to their code: test/inputs/yaml-kubernetes.test.ts, test/core/partial-objects.test.ts).
import { describe, expect, it } from "vitest";
import { rulesJson } from "../../src/report/rules.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { scanText } from "../helpers/scan.js";

const ids = (text: string) => scanText(text, "t.yaml").map((f) => f.ruleId);

const POD_HEAD = ["apiVersion: v1", "kind: Pod", "metadata: {name: p, namespace: prod}", "spec:"];

describe("accuracy on real charts (issue 10)", () => {
  it("duplicate keys: the last value wins and the object is still scanned", () => {
    const text = [
      ...POD_HEAD,
      "  containers:",
      "    - name: c",
      "      image: registry.example.com/c:1.0",
      "      securityContext: {privileged: false}",
      "      securityContext: {privileged: true}",
      "",
    ].join("\n");
    const found = ids(text);
    expect(found).toContain("duplicate-key");
    expect(found).toContain("privileged-container");
    expect(found).not.toContain("parse-error");
  });

  it("merge keys: a privileged container behind `<<: *anchor` is seen", () => {
    const text = [
      ...POD_HEAD,
      "  containers:",
      "    - &base",
      "      name: base",
      "      image: registry.example.com/c:1.0",
      "      securityContext: {privileged: true}",
      "    - <<: *base",
      "      name: copy",
      "",
    ].join("\n");
    const found = scanText(text, "t.yaml").filter((f) => f.ruleId === "privileged-container");
    expect(found.map((f) => f.message)).toEqual([
      "Container `base` runs privileged.",
      "Container `copy` runs privileged.",
    ]);
    expect(ids(text)).not.toContain("invalid-object");
  });

  it("invalid-object skips only the rules that read the invalid field", () => {
    const text = [
      ...POD_HEAD,
      "  hostPID: true",
      "  hostIPC: true",
      "  hostNetwork: true",
      "  containers:",
      "    - name: c",
      "      image: registry.example.com/c:1.0",
      "      securityContext: {privileged: true}",
      "      env:",
      "        - name: FLAG",
      "          value: true",
      "",
    ].join("\n");
    const found = ids(text);
    for (const id of ["invalid-object", "privileged-container", "host-pid", "host-ipc", "host-network"])
      expect(found, id).toContain(id);
  });

  it("`image: null` crashes no rule", () => {
    const text = [...POD_HEAD, "  containers:", "    - name: c", "      image: null", ""].join("\n");
    expect(ids(text)).not.toContain("internal-error");
  });

  it("an etcd cluster token is not reported as a secret; a password still is", () => {
    const env = (name: string, value: string) =>
      [
        ...POD_HEAD,
        "  containers:",
        "    - name: etcd",
        "      image: registry.example.com/etcd:3.5",
        "      env:",
        `        - {name: ${name}, value: ${value}}`,
        "",
      ].join("\n");
    expect(ids(env("ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster-k8s"))).not.toContain(
      "hardcoded-secret-in-env",
    );
    expect(ids(env("DB_PASSWORD", "hunter2-correct-horse"))).toContain("hardcoded-secret-in-env");
  });

  it('an unparsable image reference (":latest") gives a finding', () => {
    const text = [...POD_HEAD, "  containers:", "    - name: c", '      image: ":latest"', ""].join("\n");
    const f = scanText(text, "t.yaml").find((x) => x.ruleId === "image-tag-mutable");
    expect(f?.messageId).toBe("unparsable");
  });

  it("`kubeward rules --format json` includes each rule's concepts", () => {
    const { rules } = JSON.parse(rulesJson(ALL_RULES)) as { rules: { id: string; concepts?: string[] }[] };
    expect(rules.find((r) => r.id === "privileged-container")?.concepts).toContain("W-PRIV");
    expect(rules.find((r) => r.id === "schema")?.concepts).toEqual(["M-SCHEMA"]);
  });
});
