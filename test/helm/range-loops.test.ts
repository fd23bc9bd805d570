// Template lines and values paths of documents written by the second of two `range` loops of one
// template file that write the same static lines (issue 8 item 1: no wrong values path).
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

/** A Deployment per item of `.Values.<list>`, its replicas from `$.Values.<replicas>`. */
const loop = (list: string, replicas: string): string[] => {
  const deployment = deploymentTemplate("{{ .name }}", [
    "containers:",
    "  - name: app",
    "    image: nginx:1.25",
  ])
    .trimEnd()
    .split("\n");
  const spec = deployment.indexOf("spec:");
  return [
    `{{- range .Values.${list} }}`,
    "---",
    ...deployment.slice(0, spec + 1),
    `  replicas: {{ $.Values.${replicas} }}`,
    ...deployment.slice(spec + 1),
    "{{- end }}",
  ];
};

/** (object name, template line, values path, why not known) of each too-few-replicas finding. */
const replicas = (findings: Finding[]): [string, string, string | undefined, string | undefined][] =>
  findings
    .filter((f) => f.ruleId === "too-few-replicas")
    .map((f): [string, string, string | undefined, string | undefined] => [
      f.resource?.name ?? "",
      `${f.template?.file ?? ""}:${String(f.template?.line)}`,
      f.values?.path,
      f.template?.valuesUnknown,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));

const CHART = "apiVersion: v2\nname: loops\nversion: 0.1.0\n";
const VALUES = "aReplicas: 1\nbReplicas: 1\nreplicas: 1\na:\n  - name: a1\n  - name: a2\nb:\n  - name: b1\n";

describe("helm mapping: two `range` loops of one file that write the same lines", () => {
  it("a document of either loop gets no values key when the loops' keys differ (the second's was given the first's)", () => {
    const findings = scanSmallChart("loops", {
      "Chart.yaml": CHART,
      "values.yaml": VALUES,
      "templates/m.yaml": [...loop("a", "aReplicas"), ...loop("b", "bReplicas"), ""].join("\n"),
    });
    const why =
      "lines 8 and 26 of the template write the same lines in different documents (a second `range` loop): which of them wrote this object, and so its values key, is not known";
    // (b1 was `aReplicas`, at the first loop's line 8.)
    expect(replicas(findings)).toEqual([
      ["a1", "loops/templates/m.yaml:8", undefined, why],
      ["a2", "loops/templates/m.yaml:8", undefined, why],
      ["b1", "loops/templates/m.yaml:8", undefined, why],
    ]);
  });

  it("keeps the values key when both loops' lines name the same one", () => {
    const findings = scanSmallChart("loops", {
      "Chart.yaml": CHART,
      "values.yaml": VALUES,
      "templates/m.yaml": [...loop("a", "replicas"), ...loop("b", "replicas"), ""].join("\n"),
    });
    expect(replicas(findings).map((r) => r.slice(2))).toEqual([
      ["replicas", undefined],
      ["replicas", undefined],
      ["replicas", undefined],
    ]);
  });
});
