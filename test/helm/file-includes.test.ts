// Values paths and template lines of fields a template FILE writes when another template includes
// it by a computed name (`include (print $.Template.BasePath "/_spec.yaml") .`), as gitlab's gitaly
// statefulset and migrations job do, and of a block `toYaml (default $resources .resources)` writes
// inside a `range` over a values list (gitlab's sidekiq). Each test writes a small chart that
// reproduces the corpus chart's pattern and fails without the fix.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { containerSecurityContextHelper, deploymentTemplate, scanSmallChart } from "./small-chart.js";

const scanChart = (files: Record<string, string>): Finding[] =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    ...files,
  });

const HELPERS = [
  '{{- define "small.labels" }}',
  "app: x",
  "{{- end }}",
  '{{- define "small.init.securityContext" }}',
  "{{- if .Values.init.securityContext }}",
  "securityContext:",
  "  {{- toYaml .Values.init.securityContext | nindent 2 }}",
  "{{- end }}",
  "{{- end }}",
  "",
].join("\n");

/** gitaly's `_statefulset_spec.yaml`: the spec of a StatefulSet whose head the including file writes. */
const SPEC = [
  "{{- $unused := .Values.image -}}",
  "spec:",
  "  selector:",
  "    matchLabels: {app: x}",
  "  serviceName: x",
  "  template:",
  "    metadata:",
  "      labels: {app: x}",
  "    spec:",
  "      initContainers:",
  "        - name: configure",
  "          image: busybox:1.36",
  '          {{- include "small.init.securityContext" . | indent 10 }}',
  "          resources:",
  "            {{- toYaml .Values.init.resources | nindent 12 }}",
  "      containers:",
  "        - name: app",
  "          image: busybox:1.36",
  "          securityContext:",
  "            {{- toYaml .Values.securityContext | nindent 12 }}",
  "          resources:",
  "            {{- toYaml .Values.resources | nindent 12 }}",
  "",
].join("\n");

const VALUES =
  "enabled: true\ninit:\n  securityContext:\n    runAsUser: 1000\n  resources: {}\n" +
  "securityContext:\n  runAsNonRoot: true\nresources:\n  requests:\n    cpu: 10m\n";

const HEAD = [
  "apiVersion: apps/v1",
  "kind: StatefulSet",
  "metadata:",
  "  name: {{ .Release.Name }}-x",
  "  labels:",
  '    {{- include "small.labels" . | nindent 4 }}',
];

/** [template file:line, values path] of a rule's findings on one container. */
const where = (findings: Finding[], rule: string, container: string): [string, string | undefined][] =>
  findings
    .filter((f) => f.ruleId === rule && f.container === container)
    .map((f) => [
      `${(f.template?.file ?? "").replace(/^.*\/templates\//, "")}:${String(f.template?.line)}`,
      f.values?.path,
    ]);

describe("helm values paths of a template file included by a computed name", () => {
  it("the spec a file writes below the including file's head (gitlab's gitaly statefulset)", () => {
    const findings = scanChart({
      "values.yaml": VALUES,
      "templates/_helpers.tpl": HELPERS,
      "templates/_spec.yaml": SPEC,
      "templates/statefulset.yaml": [
        "{{- if .Values.enabled -}}",
        ...HEAD,
        '{{ include (print $.Template.BasePath "/_spec.yaml") . }}',
        "{{- end }}",
        "",
      ].join("\n"),
    });
    // The init container's securityContext (a helper's `toYaml .Values.init.securityContext`),
    // its empty resources and the app container's blocks, each at the included file's line.
    expect(where(findings, "privilege-escalation", "configure")).toEqual([
      ["_helpers.tpl:6", "init.securityContext.allowPrivilegeEscalation"],
    ]);
    expect(where(findings, "cpu-limit-missing", "configure")).toEqual([
      ["_spec.yaml:14", "init.resources.limits.cpu"],
    ]);
    expect(where(findings, "privilege-escalation", "app")).toEqual([
      ["_spec.yaml:19", "securityContext.allowPrivilegeEscalation"],
    ]);
    expect(where(findings, "cpu-limit-missing", "app")).toEqual([["_spec.yaml:21", "resources.limits.cpu"]]);
  });

  it("a whole resource a file writes, beside another file's include (gitlab's migrations job)", () => {
    // `printf` of the base path, and a first include that writes nothing into this document.
    const findings = scanChart({
      "values.yaml": VALUES,
      "templates/_helpers.tpl": HELPERS,
      "templates/_sa.yaml": [
        "{{- if .Values.serviceAccount }}",
        "apiVersion: v1",
        "kind: ServiceAccount",
        "metadata:",
        "  name: x",
        "{{- end }}",
        "",
      ].join("\n"),
      "templates/_spec.yaml": [...HEAD, SPEC.replace(/^.*\n/, "")].join("\n"),
      "templates/job.yaml": [
        "{{- if .Values.enabled }}",
        '{{ include (print $.Template.BasePath "/_sa.yaml") . }}',
        "---",
        '{{ include (printf "%s/_spec.yaml" .Template.BasePath) . }}',
        "{{- end }}",
        "",
      ].join("\n"),
    });
    expect(where(findings, "cpu-limit-missing", "configure")).toEqual([
      ["_spec.yaml:19", "init.resources.limits.cpu"],
    ]);
    expect(where(findings, "privilege-escalation", "app")).toEqual([
      ["_spec.yaml:24", "securityContext.allowPrivilegeEscalation"],
    ]);
  });

  it("a name that is not fully determined gives no values path and says why", () => {
    const findings = scanChart({
      "values.yaml": VALUES,
      "templates/_helpers.tpl": HELPERS,
      "templates/_spec.yaml": SPEC,
      "templates/statefulset.yaml": [
        '{{- $file := "/_spec.yaml" }}',
        ...HEAD,
        "{{ include (print $.Template.BasePath $file) . }}",
        "",
      ].join("\n"),
    });
    const f = findings.filter((x) => x.ruleId === "cpu-limit-missing" && x.container === "app");
    expect(f.map((x) => [x.template?.line, x.values?.path])).toEqual([[8, undefined]]);
    expect(f[0]?.template?.valuesUnknown).toMatch(/name .*computed/);
  });
});

describe("helm values paths of `default` inside a `range` over a values list", () => {
  const deployment =
    "{{- $resources := .Values.resources -}}\n{{- range .Values.pods }}\n---\n" +
    deploymentTemplate("{{ $.Release.Name }}-{{ .name }}", [
      "containers:",
      "  - name: app",
      "    image: busybox:1.36",
      "    resources:",
      "      {{- toYaml ( default $resources .resources ) | nindent 12 }}",
    ]) +
    "{{- end }}\n";

  it("`default $resources .resources` of an item that sets no `resources` is `$resources` (gitlab's sidekiq)", () => {
    const findings = scanChart({
      "values.yaml":
        "resources:\n  requests:\n    cpu: 100m\npods:\n  - name: all\n  - name: other\n    resources: {}\n",
      "templates/deployment.yaml": deployment,
    });
    expect(where(findings, "cpu-limit-missing", "app")).toEqual([
      ["deployment.yaml:18", "resources.limits.cpu"],
      ["deployment.yaml:18", "resources.limits.cpu"],
    ]);
  });

  it("an item that sets the key itself leaves the values key unknown", () => {
    const findings = scanChart({
      "values.yaml":
        "resources:\n  requests:\n    cpu: 100m\npods:\n  - name: all\n  - name: other\n    resources:\n      requests:\n        cpu: 1\n",
      "templates/deployment.yaml": deployment,
    });
    const f = findings.filter((x) => x.ruleId === "cpu-limit-missing");
    expect(f.map((x) => [x.template?.line, x.values?.path])).toEqual([
      [18, undefined],
      [18, undefined],
    ]);
    expect(f[0]?.template?.valuesUnknown).toMatch(/line 19/);
  });
});

describe("helm values paths of a helper after a key whose list is written indented below it", () => {
  it("an include at `args:`'s indentation after another is no item of `args` (gitlab's migrations job)", () => {
    const findings = scanChart({
      "values.yaml": "containerSecurityContext:\n  runAsNonRoot: true\n",
      "templates/_helpers.tpl": [
        '{{- define "small.pullPolicy" }}',
        "imagePullPolicy: IfNotPresent",
        "{{- end }}",
        ...containerSecurityContextHelper("small.securityContext"),
        "",
      ].join("\n"),
      "templates/job.yaml": [
        "apiVersion: batch/v1",
        "kind: Job",
        "metadata:",
        "  name: x",
        "spec:",
        "  template:",
        "    spec:",
        "      restartPolicy: OnFailure",
        "      containers:",
        "        - name: app",
        "          image: busybox:1.36",
        "          args:",
        "            - /scripts/wait",
        '          {{- include "small.pullPolicy" $ | indent 10 }}',
        '          {{- include "small.securityContext" $ | indent 10 }}',
        "",
      ].join("\n"),
    });
    expect(where(findings, "privilege-escalation", "app")).toEqual([
      ["_helpers.tpl:6", "containerSecurityContext.allowPrivilegeEscalation"],
    ]);
  });
});
