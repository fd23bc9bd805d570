// Values paths of a scalar written by a helper given the root context whose every branch writes
// `default D .Values.K` of the same K (issue 8 item 1): the Bitnami and argo-cd
// `serviceAccountName` helpers (`if .Values.serviceAccount.create` `default (include fullname .)
// .Values.serviceAccount.name` `else` `default "default" .Values.serviceAccount.name`) and
// gitlab-runner's one-line `gitlab-runner.secret` (`default (include fullname .) .Values.runners.secret
// | quote`). Setting K writes it whichever branch is taken, so the finding names K.
import { describe, expect, it } from "vitest";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const chainHelper = (name: string, createdKey: string, otherKey: string, withElse = true): string[] => [
  `{{- define "${name}" -}}`,
  "{{- if .Values.serviceAccount.create -}}",
  `    {{ default (include "small.fullname" .) .Values.${createdKey} }}`,
  ...(withElse ? ["{{- else -}}", `    {{ default "default" .Values.${otherKey} }}`] : []),
  "{{- end -}}",
  "{{- end -}}",
];

const helpers = [
  '{{- define "small.fullname" -}}',
  '{{- printf "%s-small" .Release.Name | trunc 63 -}}',
  "{{- end -}}",
  ...chainHelper("small.serviceAccountName", "serviceAccount.name", "serviceAccount.name"),
  // Branches that write different keys: which one sets the field depends on `create`.
  ...chainHelper("small.split", "serviceAccount.name", "serviceAccount.other"),
  // No `else`: with `create` false nothing is written, whatever `name` is.
  ...chainHelper("small.noElse", "serviceAccount.name", "serviceAccount.name", false),
  '{{- define "small.secret" -}}',
  '{{- default (include "small.fullname" .) .Values.runners.secret | quote -}}',
  "{{- end -}}",
  "",
].join("\n");

const values = 'serviceAccount:\n  create: false\n  name: ""\n  other: ""\nrunners:\n  secret: ""\n';

const scanAccount = (helper: string) =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/deployment.yaml": deploymentTemplate("web", [
      `serviceAccountName: {{ include "${helper}" . }}`,
      "containers:",
      "  - name: web",
      "    image: nginx:1.25",
    ]),
  }).filter((f) => f.ruleId === "default-service-account");

describe("values path of a scalar every branch of a helper writes through `default`", () => {
  it("names the key each branch's `default` writes (the serviceAccountName helpers)", () => {
    const found = scanAccount("small.serviceAccountName");
    expect(found.map((f) => [f.path.join("."), f.template?.line, f.values?.path, f.values?.line])).toEqual([
      ["spec.template.spec.serviceAccountName", 12, "serviceAccount.name", 3],
    ]);
  });

  it("names no key when the branches write different keys", () => {
    const found = scanAccount("small.split");
    expect(found.map((f) => [f.path.join("."), f.template?.line, f.values?.path])).toEqual([
      ["spec.template.spec.serviceAccountName", 12, undefined],
    ]);
  });

  it("names no key when no `else` ends the chain", () => {
    const found = scanAccount("small.noElse");
    // (`create` is false: nothing is written, and the finding is at the pod spec.)
    expect(found.map((f) => [f.path.join("."), f.values?.path])).toEqual([["spec.template.spec", undefined]]);
  });

  it("names the key of a one-line `default ... | quote` helper (gitlab-runner's secret name)", () => {
    const found = scanSmallChart("small", {
      "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
      "values.yaml": values,
      "templates/_helpers.tpl": helpers,
      "templates/deployment.yaml": deploymentTemplate("web", [
        "containers:",
        "  - name: web",
        "    image: nginx:1.25",
        "volumes:",
        "  - name: secrets",
        "    secret:",
        '      secretName: {{ include "small.secret" . }}',
        // (A Helm release's own name: the scan counts as complete for it.)
      ]).replace("  name: web\n", "  name: web\n  labels: {heritage: Helm, release: {{ .Release.Name }}}\n"),
    }).filter((f) => f.ruleId === "pod-reference-missing");
    expect(found.map((f) => [f.path.join("."), f.template?.line, f.values?.path, f.values?.line])).toEqual([
      ["spec.template.spec.volumes.0.secret.secretName", 19, "runners.secret", 6],
    ]);
  });
});
