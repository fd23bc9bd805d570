// The schema rule keeps an object's problems by schema node and object (the fixer's re-scans check
// mostly the same objects again): another CRD schema or another release is another node, so the
// same object is checked again against it, and each run's findings own their paths.
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG } from "../../../src/core/config.js";
import { runRules } from "../../../src/core/engine.js";
import type { Resource } from "../../../src/core/types.js";
import { parseYaml } from "../../../src/inputs/yaml.js";
import { RULES } from "../../../src/rules/index.js";

const schema = RULES.filter((r) => r.meta.id === "schema");
const crd = (type: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: ${type} } } }
`;
const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
spec: { size: 3 }
`;
const POD = `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  schedulingGroup: x
  containers: [{ name: c, image: "i:1", portz: 1 }]
`;

const run = (resources: readonly Resource[], kubeVersion?: string) =>
  runRules(resources, {
    rules: schema,
    config: EMPTY_CONFIG,
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
  }).findings.map((f) => `${f.resource?.name ?? ""} ${f.messageId} ${f.path.join(".")}`);

describe("schema rule: problems kept by schema node and object", () => {
  it("checks the same object again against another CRD's schema", () => {
    const widget = parseYaml(WIDGET, "w.yaml").resources;
    const asInteger = parseYaml(crd("integer"), "crd.yaml").resources;
    const asString = parseYaml(crd("string"), "crd.yaml").resources;
    expect(run([...asInteger, ...widget])).toEqual([]);
    expect(run([...asString, ...widget])).toEqual(["w wrongType spec.size"]);
    expect(run([...asInteger, ...widget])).toEqual([]);
  });

  it("checks the same object again for another release, and gives each run its own paths", () => {
    const pod = parseYaml(POD, "p.yaml").resources;
    const first = runRules(pod, { rules: schema, config: EMPTY_CONFIG }).findings;
    expect(first.map((f) => `${f.messageId} ${f.path.join(".")}`).sort()).toEqual([
      "fieldNotInRelease spec.schedulingGroup",
      "unknownField spec.containers.0.portz",
    ]);
    (first[0]?.path as (string | number)[]).push("changed");
    expect(run(pod)).toEqual(run(parseYaml(POD, "p.yaml").resources));
    // 1.36 has the field (a mapping there: the string is the wrong type), 1.35 does not.
    expect(run(pod, "1.36").sort()).toEqual([
      "p unknownField spec.containers.0.portz",
      "p wrongType spec.schedulingGroup",
    ]);
    expect(run(pod)).toHaveLength(2);
  });
});
