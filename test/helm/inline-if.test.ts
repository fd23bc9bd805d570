// A value an inline `{{ if .Values.x }}A{{ else }}B{{ end }}` picks names the key of the branch the
// values take, not the last key of the line: gitlab's gitlab-runner subchart writes
// `serviceAccountName: {{ if .Values.rbac.create }}{{ include "fullname" . }}{{ else }}"{{
// .Values.rbac.serviceAccountName }}"{{ end }}` and the parent sets `rbac.create: true`, so
// `gitlab-runner.rbac.serviceAccountName` was a wrong path (the probe never saw its marker there).
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const SA =
  'serviceAccountName: {{ if .Values.sa.create }}{{ .Release.Name }}-sa{{ else }}"{{ .Values.sa.name }}"{{ end }}';
const app = deploymentTemplate("app", [
  SA.replace("{{ .Release.Name }}-sa", "default"),
  "containers:",
  "- name: app",
  "  image: busybox:1.36",
]);
const pick = (fs: Finding[]) => fs.filter((f) => f.ruleId === "default-service-account");
const CHART = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

describe("helm values path of a value an inline `if` picks", () => {
  /** The finding of a chart whose values set `sa.create` to `create`. */
  const withCreate = (create: boolean) =>
    pick(
      scanSmallChart("small", {
        "Chart.yaml": CHART("small"),
        "values.yaml": `sa:\n  create: ${String(create)}\n  name: default\n`,
        "templates/app.yaml": app,
      }),
    );

  it("the `if` branch renders a literal: no values path (it was the else branch's key)", () => {
    const fs = withCreate(true);
    expect(fs).toHaveLength(1);
    expect(fs[0]?.values).toBeUndefined();
  });

  it("the else branch renders the key: its values path", () => {
    const fs = withCreate(false);
    expect(fs).toHaveLength(1);
    expect(fs[0]?.values?.path).toBe("sa.name");
  });

  it("a parent chart's value of the condition decides for its subchart", () => {
    const fs = pick(
      scanSmallChart("small", {
        "Chart.yaml": CHART("small") + "dependencies:\n- name: sub\n  version: 0.1.0\n",
        "values.yaml": "sub:\n  sa:\n    create: true\n",
        "charts/sub/Chart.yaml": CHART("sub"),
        "charts/sub/values.yaml": "sa:\n  create: false\n  name: default\n",
        "charts/sub/templates/app.yaml": app,
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]?.values).toBeUndefined();
  });
});
