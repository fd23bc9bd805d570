// Template lines and values paths of fields that the mapping placed at a wrong or imprecise
// location (issue 8 item 1): one small chart per cause, each taken from a chart of the corpus.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, mergeHelper, scanSmallChart } from "./small-chart.js";

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

/**
 * A StatefulSet spec (a template file of its own) whose `replicas:` is `first` when `.storage` is
 * set and `.Values.replicas` otherwise (gitlab's gitaly `_statefulset_spec.yaml`).
 */
function storageSpec(first: string): string {
  return [
    "spec:",
    "  selector:",
    "    matchLabels: {app: x}",
    "  {{- if .storage }}",
    `  replicas: ${first}`,
    "  {{- else }}",
    "  replicas: {{ .Values.replicas }}",
    "  {{- end }}",
    "  template:",
    "    metadata:",
    "      labels: {app: x}",
    "    spec:",
    "      containers:",
    "        - name: app",
    "          image: nginx:1.25",
    "",
  ].join("\n");
}

/** A StatefulSet `plain` whose spec is `_spec.yaml`, included with the root context. */
const PLAIN_STS = [
  "apiVersion: apps/v1",
  "kind: StatefulSet",
  "metadata:",
  "  name: plain",
  '{{ include (print $.Template.BasePath "/_spec.yaml") . }}',
  "",
].join("\n");

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

  it("a line in the branch of `if .x` whose `.` is the root context never rendered: the `else` wrote it", () => {
    // gitlab's gitaly: `_statefulset_spec.yaml` is included with `.` by one template and with
    // `merge (dict) $ (dict "storage" .)` by another, and writes `replicas:` in both branches of
    // `{{- if .storage }}`; the StatefulSet given the root context named the first branch's line.
    const spec = storageSpec("{{ .storage.replicas }}");
    const findings = scanSmallChart("loc", {
      "Chart.yaml": CHART,
      "values.yaml": "replicas: 1\nstorages: [{name: a, replicas: 1}]\n",
      "templates/_spec.yaml": spec,
      "templates/sts.yaml": PLAIN_STS,
      "templates/sts-storage.yaml": [
        "{{- range .Values.storages }}",
        "---",
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "metadata:",
        "  name: storage-{{ .name }}",
        '{{ include (print $.Template.BasePath "/_spec.yaml") (merge (dict) $ (dict "storage" .)) }}',
        "{{- end }}",
        "",
      ].join("\n"),
    });
    const replicas = (name: string) =>
      of(findings, "too-few-replicas").find((f) => f.resource?.name === name);
    expect(replicas("plain")?.template).toMatchObject({
      file: "loc/templates/_spec.yaml",
      line: lineIn(spec, "replicas: {{ .Values.replicas }}"),
    });
    expect(replicas("plain")?.values?.path).toBe("replicas");
    // (Given a dict with `storage`, the first branch rendered; its key is not a values key.)
    expect(replicas("storage-a")?.template).toMatchObject({
      file: "loc/templates/_spec.yaml",
      line: lineIn(spec, "replicas: {{ .storage.replicas }}"),
    });
    expect(replicas("storage-a")?.values).toBeUndefined();
  });

  it("a context key some template sets keeps both branches", () => {
    // (`set $ "storage" ...` in any template: `.storage` may be set, nothing is known.)
    const spec = storageSpec("{{ .Values.a }}");
    const findings = scanSmallChart("loc", {
      "Chart.yaml": CHART,
      "values.yaml": "replicas: 1\na: 1\n",
      "templates/_helpers.tpl": '{{- define "loc.mark" }}{{ $_ := set $ "storage" "x" }}{{- end }}\n',
      "templates/_spec.yaml": spec,
      "templates/sts.yaml": PLAIN_STS,
    });
    const [f] = of(findings, "too-few-replicas");
    // (The nearest of the look-alike lines, as before: the documented repeated-lines limit.)
    expect(f?.template?.line).toBe(lineIn(spec, "replicas: {{ .Values.a }}"));
  });
});

/** A chart like gitlab's webservice: `deployments` rewritten at render time from a blank data model. */
function datamodelChart(values: string, prepareExtra = ""): Record<string, string> {
  return {
    "Chart.yaml": CHART,
    "values.yaml": values,
    "templates/_datamodel.tpl": [
      '{{- define "loc.prepare" -}}',
      "{{- if not $.Values.deployments -}}",
      '{{-   $blank := fromYaml (include "loc.blank" $) -}}',
      '{{-   $_ := set $.Values "deployments" (dict "default" (dict)) -}}',
      '{{-   $_ := set $.Values.deployments "default" $blank -}}',
      "{{- end -}}",
      "{{- range $deployment, $values := $.Values.deployments -}}",
      '{{-   $filled := fromYaml (include "loc.blank" $) -}}',
      '{{-   $_ := include "loc.merge" (dict "dst" $filled "src" $values) -}}',
      '{{-   $_ := set $filled "name" $deployment -}}',
      prepareExtra,
      "{{-   $_ := set $.Values.deployments $deployment $filled -}}",
      "{{- end -}}",
      "{{- end -}}",
      "",
      '{{- define "loc.blank" -}}',
      "replicas: {{ .Values.replicas }}",
      "resources: # the app container's",
      "  {{- .Values.resources | toYaml | nindent 2 }}",
      "sidecar:",
      "  {{- .Values.sidecar | toYaml | nindent 2 }}",
      "{{- end -}}",
      "",
      ...mergeHelper("loc.merge"),
      "",
    ].join("\n"),
    "templates/deploy.yaml": [
      '{{- include "loc.prepare" $ -}}',
      "{{- range $.Values.deployments }}",
      "---",
      deploymentTemplate("app-{{ .name }}", [
        "containers:",
        "  - name: app",
        "    image: nginx:1.25",
        "    resources:",
        "      {{- toYaml .resources | nindent 12 }}",
        "  - name: sidecar",
        "    image: nginx:1.25",
        "    resources:",
        "      {{- toYaml .sidecar.resources | nindent 12 }}",
      ]).trimEnd(),
      "{{- end }}",
      "",
    ].join("\n"),
  };
}

const DATAMODEL_VALUES = [
  "replicas: 2",
  "resources:",
  "  requests: {cpu: 100m, memory: 1Gi}",
  "sidecar:",
  "  resources:",
  "    requests: {cpu: 10m, memory: 10Mi}",
  "deployments: {}",
  "",
].join("\n");

describe("helm mapping: a list a helper rewrites at render time (gitlab's webservice deployments)", () => {
  const limits = (findings: readonly Finding[]) =>
    of(findings, "cpu-limit-missing").map((f) => [f.container, f.values?.path, f.template?.valuesUnknown]);

  it("an item's block the blank data model writes from `toYaml .Values.x` gets `x`", () => {
    // `include "loc.prepare" $` replaces every entry of `.Values.deployments` by
    // `fromYaml (include "loc.blank" $)` with the entry merged over it; the blank's `resources:` is
    // `.Values.resources`, and no entry sets `resources`: `toYaml .resources` is `resources`.
    const files = datamodelChart(DATAMODEL_VALUES);
    const findings = scanSmallChart("loc", files);
    expect(limits(findings)).toEqual([
      ["app", "resources.limits.cpu", undefined],
      ["sidecar", "sidecar.resources.limits.cpu", undefined],
    ]);
    const [app] = of(findings, "cpu-limit-missing");
    expect(app?.values).toMatchObject({
      file: "loc/values.yaml",
      line: lineIn(DATAMODEL_VALUES, "resources:"),
    });
  });

  it("an entry of the values that sets the key, or a `set` of it on the model, gives none", () => {
    const deploy = datamodelChart(DATAMODEL_VALUES)["templates/deploy.yaml"] ?? "";
    const unknown = (needle: string) =>
      `the block is written by the action on line ${String(lineIn(deploy, needle))}, whose values key is not known`;
    const own = DATAMODEL_VALUES.replace("deployments: {}", "deployments:\n  web:\n    resources: {}");
    expect(limits(scanSmallChart("loc", datamodelChart(own)))).toEqual([
      ["app", undefined, unknown("toYaml .resources")],
      ["sidecar", "sidecar.resources.limits.cpu", undefined],
    ]);
    const set = '{{-   $_ := set $filled "resources" (dict) -}}';
    expect(limits(scanSmallChart("loc", datamodelChart(DATAMODEL_VALUES, set)))).toEqual([
      ["app", undefined, unknown("toYaml .resources")],
      ["sidecar", "sidecar.resources.limits.cpu", undefined],
    ]);
  });
});

describe("helm mapping: an image a helper given a dict writes", () => {
  // gitlab's `configure` init containers: `image: {{ include "gitlab.busybox.image" (dict "local"
  // .Values.init "global" .Values.global) | quote }}`, whose body writes `printf "%s:%s" $image $tag`
  // with `$tag := coalesce .local.image.tag .global.busybox.image.tag "latest"` when `.local.image`
  // is a map, else a literal. The line's last `.Values` gave the whole `init` map (its `resources`
  // and `containerSecurityContext` too); the tag's key that decides is `init.image.tag`.
  const helper = [
    '{{- define "loc.image" -}}',
    '{{- if kindIs "map" .local.image }}',
    "{{- $image := default .global.busybox.image.repository .local.image.repository }}",
    '{{- $tag := coalesce .local.image.tag .global.busybox.image.tag "latest" }}',
    '{{- printf "%s:%s" $image $tag -}}',
    "{{- else }}",
    '{{- printf "busybox" -}}',
    "{{- end -}}",
    "{{- end -}}",
    "",
  ].join("\n");
  const values = [
    "global:",
    "  busybox:",
    "    image:",
    "      repository: busybox",
    "init:",
    "  image: {}",
    "  resources: {requests: {cpu: 10m}}",
    "",
  ].join("\n");
  const deploy = (image: string) =>
    deploymentTemplate("app", [
      "initContainers:",
      "  - name: configure",
      `    image: ${image}`,
      "containers:",
      "  - name: app",
      "    image: nginx:1.25",
    ]);

  it("names the key of the tag that the rendered branch writes", () => {
    const files = {
      "Chart.yaml": CHART,
      "values.yaml": values,
      "templates/_helpers.tpl": helper,
      "templates/deploy.yaml": deploy(
        '{{ include "loc.image" (dict "local" .Values.init "global" .Values.global) | quote }}',
      ),
    };
    const [f] = of(scanSmallChart("loc", files), "image-tag-mutable");
    expect(f?.template).toMatchObject({
      file: "loc/templates/deploy.yaml",
      line: lineIn(files["templates/deploy.yaml"], "image: {{"),
    });
    expect(f?.values?.path).toBe("init.image.tag");
    // (The `else` renders when `init.image` is a string: its literal, no key. gitlab's writes
    // `DEPRECATED:DEPRECATED`; this one a reference without a tag, which the rule reports too.)
    const string = { ...files, "values.yaml": values.replace("image: {}", "image: busybox") };
    expect(of(scanSmallChart("loc", string), "image-tag-mutable")[0]?.values?.path).not.toBe(
      "init.image.tag",
    );
  });
});
