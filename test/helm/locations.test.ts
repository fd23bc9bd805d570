// Template lines and values paths of fields that the mapping placed at a wrong or imprecise
// location (issue 8 item 1): one small chart per cause, each taken from a chart of the corpus.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const CHART = "apiVersion: v2\nname: loc\nversion: 0.1.0\n";

/** 1-based line of the first line of `text` containing `needle`. */
function lineIn(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`${needle} not in the text`);
  return i + 1;
}

/** The findings of `rule`, at least one. */
function of(findings: readonly Finding[], rule: string): Finding[] {
  const hits = findings.filter((f) => f.ruleId === rule);
  expect(hits.length, rule).toBeGreaterThan(0);
  return hits;
}

describe("helm mapping: the line that holds a field", () => {
  it("an env item an include wrote after the template's own item names `env:`, not that item's line", () => {
    // airflow's worker: `- name: DUMB_INIT_SETSID` / `value: "0"`, then
    // `{{- include "standard_airflow_environment" . | indent 10 }}` writes the secret env items;
    // no action was matched to them, and the line named was the aligned line above them: the
    // other item's `value: "0"`.
    const deploy = deploymentTemplate("app", [
      "containers:",
      "  - name: app",
      "    image: nginx:1.25",
      "    env:",
      "      - name: SETSID",
      '        value: "0"',
      '      {{- include "loc.env" . | indent 10 }}',
    ]);
    const findings = scanSmallChart("loc", {
      "Chart.yaml": CHART,
      "values.yaml": "secretName: s\n",
      "templates/_helpers.tpl": [
        '{{- define "loc.env" }}',
        "  # secrets",
        "  - name: PASSWORD",
        "    valueFrom:",
        "      secretKeyRef:",
        "        name: {{ .Values.secretName }}",
        "        key: password",
        "{{- end }}",
        "",
      ].join("\n"),
      "templates/deploy.yaml": deploy,
    });
    const [f] = of(findings, "secret-in-env");
    expect(f?.path).toEqual([
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "env",
      1,
      "valueFrom",
      "secretKeyRef",
    ]);
    expect(f?.template).toMatchObject({ file: "loc/templates/deploy.yaml", line: lineIn(deploy, "env:") });
  });
});
