// A finding reported at one place but caused by another field of the object: a binding's finding
// is at the subject it grants cluster-admin to, while the values key that decides it sets the
// binding's `roleRef.name` (velero's `rbac.clusterAdministratorName`) (issue 8 item 1).
import { describe, expect, it } from "vitest";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const binding = (roleName: string): string =>
  [
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRoleBinding",
    "metadata:",
    "  name: server",
    "subjects:",
    "  - kind: ServiceAccount",
    "    namespace: {{ .Release.Namespace }}",
    "    name: server",
    "roleRef:",
    "  kind: ClusterRole",
    `  name: ${roleName}`,
    "  apiGroup: rbac.authorization.k8s.io",
    "",
  ].join("\n");

const scanBinding = (roleName: string, values: string) =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/crb.yaml": binding(roleName),
  }).filter((f) => f.ruleId === "cluster-admin-binding");

describe("values path of the field that causes a finding reported elsewhere", () => {
  it("maps a cluster-admin finding at a subject to the values key of the binding's roleRef.name", () => {
    const found = scanBinding(
      "{{ .Values.rbac.clusterAdministratorName }}",
      "rbac:\n  clusterAdministratorName: cluster-admin\n",
    );
    expect(found.map((f) => [f.template?.file, f.template?.line, f.values?.path, f.values?.line])).toEqual([
      ["small/templates/crb.yaml", 6, "rbac.clusterAdministratorName", 2],
    ]);
  });

  it("gives no values path when the role name is written in the template", () => {
    const found = scanBinding("cluster-admin", "rbac:\n  create: true\n");
    expect(found.map((f) => [f.template?.line, f.values?.path])).toEqual([[6, undefined]]);
  });
});

// A pod that names no ServiceAccount is reported at its pod spec; the setting it lacks is
// `serviceAccountName`, which harbor's `{{- if .Values.core.serviceAccountName }}` writes.
const container = ["containers:", "  - name: web", "    image: nginx:1.25"];
const scanServiceAccount = (spec: string[]) =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": 'core:\n  serviceAccountName: ""\n',
    "templates/deployment.yaml": deploymentTemplate("web", [...spec, ...container]),
  }).filter((f) => f.ruleId === "default-service-account");

describe("values path of the setting a finding at a pod spec lacks", () => {
  it("maps a pod without serviceAccountName to the values key that would write it", () => {
    const found = scanServiceAccount([
      "{{- if .Values.core.serviceAccountName }}",
      "serviceAccountName: {{ .Values.core.serviceAccountName }}",
      "{{- end }}",
    ]);
    expect(found.map((f) => [f.path.join("."), f.template?.line, f.values?.path, f.values?.line])).toEqual([
      ["spec.template.spec", 11, "core.serviceAccountName", 2],
    ]);
  });

  it("gives no values path when the template writes no serviceAccountName", () => {
    const found = scanServiceAccount(["{{- if .Values.core.serviceAccountName }}", "{{- end }}"]);
    expect(found.map((f) => [f.path.join("."), f.values?.path])).toEqual([["spec.template.spec", undefined]]);
  });
});
