// Values paths through named templates that are given their argument as a `list`, a `dict` or a
// values block and read it back (`index . 1`, `.securityContext`) (issue 8 item 1). Each test writes
// a small chart that reproduces one corpus chart's pattern (named in the test) and fails without
// the fix.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const scanChart = (files: Record<string, string>): Finding[] =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    ...files,
  });

/** A Deployment named `name` whose pod spec is `spec`, after the template lines `head`. */
const deployment = (name: string, head: string[], spec: string[]): string =>
  [...head, ""].join("\n") +
  deploymentTemplate(name, [...spec, "containers:", "  - name: app", "    image: busybox:1.36"]);

/** A Deployment whose pod `securityContext` is a helper's output held in a variable (airflow's). */
const held = (name: string, helper: string, arg: string): string =>
  deployment(
    name,
    [`{{- $securityContext := include "${helper}" ${arg} }}`],
    ["securityContext: {{ $securityContext | nindent 8 }}"],
  );

/** (deployment name, values path, why not known) of each apparmor-profile finding. */
const apparmor = (findings: Finding[]): [string, string | undefined, string | undefined][] =>
  findings
    .filter((f) => f.ruleId === "apparmor-profile")
    .map((f) => [f.resource?.name ?? "", f.values?.path, f.template?.valuesUnknown] as const)
    .map(([n, p, u]): [string, string | undefined, string | undefined] => [n, p, u])
    .sort((a, b) => a[0].localeCompare(b[0]));

// airflow's helpers: `airflowSecurityContext` picks the component's `securityContext`, else the
// top-level one, else builds the map from `uid`/`gid`; `localSecurityContext` is given the
// component's values block itself.
const helpers = [
  '{{- define "small.securityContext" -}}',
  "  {{- $ := index . 0 }}",
  "  {{- with index . 1 }}",
  "    {{- if .securityContext }}",
  "      {{- toYaml .securityContext }}",
  "    {{- else if $.Values.securityContext }}",
  "      {{- toYaml $.Values.securityContext }}",
  "    {{- else }}",
  "runAsUser: {{ $.Values.uid }}",
  "fsGroup: {{ $.Values.gid }}",
  "    {{- end }}",
  "  {{- end }}",
  "{{- end }}",
  "",
  '{{- define "small.localSecurityContext" -}}',
  "  {{- if .securityContext }}",
  "    {{- toYaml .securityContext }}",
  "  {{- else }}",
  '    {{- printf "runAsUser: %v" .uid }}',
  "  {{- end }}",
  "{{- end }}",
  "",
  // Guarded by another key than the block it renders: which branch a key lands in is not known.
  '{{- define "small.flagged" -}}',
  "  {{- if .enabled }}",
  "    {{- toYaml .securityContext }}",
  "  {{- else }}",
  "runAsUser: 1000",
  "  {{- end }}",
  "{{- end }}",
  "",
].join("\n");

// Values that leave every `securityContext` of those pods empty.
const airflowValues = [
  "uid: 50000",
  "gid: 0",
  "securityContext: {}",
  "scheduler:",
  "  securityContext: {}",
  "web:",
  "  securityContext: {}",
  "redis:",
  "  uid: 0",
  "  securityContext: {}",
];

// The helpers and three pods written with them, as airflow's templates do.
const airflowPods = {
  "templates/_helpers.tpl": helpers,
  // Held in a variable, then written by `{{ $securityContext | nindent 8 }}` (create-user-job.yaml).
  "templates/scheduler.yaml": held("scheduler", "small.securityContext", "(list . .Values.scheduler)"),
  // Included on the line itself.
  "templates/web.yaml": deployment(
    "web",
    [],
    ['securityContext: {{- include "small.securityContext" (list $ .Values.web) | nindent 8 }}'],
  ),
  // Given the values block itself.
  "templates/redis.yaml": held("redis", "small.localSecurityContext", ".Values.redis"),
};

describe("helm values paths through a helper's `list`/`dict`/values argument", () => {
  it("a helper that picks the block it is given when set (airflow's `airflowSecurityContext`, `localSecurityContext`)", () => {
    const findings = scanChart({
      "values.yaml": [
        ...airflowValues,
        "jobs:",
        "  securityContext: {}",
        "other:",
        "  enabled: false",
        "  securityContext: {}",
        "",
      ].join("\n"),
      ...airflowPods,
      // A `dict` read back by its keys.
      "templates/jobs.yaml": deployment(
        "jobs",
        [],
        [
          'securityContext: {{- include "small.localSecurityContext" (dict "securityContext" .Values.jobs.securityContext "uid" 1) | nindent 8 }}',
        ],
      ),
      // An argument that is not a values block: nothing to follow.
      "templates/unknown.yaml": deployment(
        "unknown",
        [
          '{{- $given := fromYaml "securityContext: {}" }}',
          '{{- $sc := include "small.securityContext" (list . $given) }}',
        ],
        ["securityContext: {{ $sc | nindent 8 }}"],
      ),
      "templates/other.yaml": deployment(
        "other",
        ['{{- $sc := include "small.flagged" .Values.other }}'],
        ["securityContext: {{ $sc | nindent 8 }}"],
      ),
    });
    expect(apparmor(findings)).toEqual([
      ["jobs", "jobs.securityContext.appArmorProfile", undefined],
      ["other", undefined, undefined],
      ["redis", "redis.securityContext.appArmorProfile", undefined],
      ["scheduler", "scheduler.securityContext.appArmorProfile", undefined],
      ["unknown", undefined, undefined],
      ["web", "web.securityContext.appArmorProfile", undefined],
    ]);
  });
});

describe("helm values paths of an image composed from several keys", () => {
  it("the key whose value is the part the finding is about: the repository, or the tag (ingress-nginx)", () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const findings = scanChart({
      "values.yaml": [
        "controller:",
        "  image:",
        "    chroot: false",
        "    registry: registry.k8s.io",
        "    image: ingress-nginx/controller",
        '    tag: "v1.8.0"',
        `    digest: ${digest}`,
        "plain:",
        "  repository: registry.k8s.io/ingress-nginx/controller",
        "  tag: v1.9.0",
        "argo:",
        "  registry: quay.io",
        "  image: argoproj/argocd",
        "  tag: v2.1.0",
        "  version: v2.1.0",
        "grafana:",
        "  image: grafana/grafana",
        "  tag: 9.2.1",
        "",
      ].join("\n"),
      // ingress-nginx's helpers: the name (with `-chroot`) and the digest.
      "templates/_helpers.tpl": [
        '{{- define "small.image" -}}',
        "{{- if .chroot -}}",
        '{{- printf "%s-chroot" .image -}}',
        "{{- else -}}",
        '{{- printf "%s" .image -}}',
        "{{- end }}",
        "{{- end -}}",
        '{{- define "small.imageDigest" -}}',
        "{{- if .digest -}}",
        '{{- printf "@%s" .digest -}}',
        "{{- end -}}",
        "{{- end -}}",
        "",
      ].join("\n"),
      "templates/app.yaml": deploymentTemplate("app", [
        "containers:",
        "  - name: controller",
        "    {{- with .Values.controller.image }}",
        '    image: "{{- if .repository -}}{{ .repository }}{{ else }}{{ .registry }}/{{ include "small.image" . }}{{- end -}}:{{ .tag }}{{ include "small.imageDigest" . }}"',
        "    {{- end }}",
        "  - name: plain",
        '    image: "{{ .Values.plain.repository }}:{{ .Values.plain.tag }}"',
        "  - name: argo",
        '    image: "{{ .Values.argo.registry }}/{{ .Values.argo.image }}:{{ .Values.argo.tag }}"',
        // Two keys hold the tag's value: which one wrote it is not known.
        "  - name: grafana",
        '    image: "{{ .Values.grafana.image }}:{{ .Values.grafana.tag | default .Values.argo.version }}"',
        "  - name: twice",
        '    image: "{{ .Values.argo.image }}:{{ .Values.argo.tag | default .Values.argo.version }}"',
      ]),
    });
    const f = findings
      .filter((x) => x.ruleId === "image-known-vulnerable")
      .map((x) => [x.container, x.values?.path, x.template?.valuesUnknown !== undefined]);
    expect(f).toEqual([
      // The end of life of the controller is about its repository (name and owner) ...
      ["controller", "controller.image.image", false],
      ["plain", "plain.repository", false],
      // ... a CVE fixed in later releases about the tag.
      ["argo", "argo.tag", false],
      ["grafana", "grafana.tag", false],
      ["twice", undefined, true],
    ]);
  });

  it("an image a helper composes from a values block it is given: no values path, and why (fluent-bit's test image)", () => {
    const findings = scanChart({
      "values.yaml": "test:\n  image:\n    repository: busybox\n    tag: latest\n",
      "templates/_helpers.tpl": '{{- define "small.image" -}}{{ .repository }}:{{ .tag }}{{- end -}}\n',
      "templates/app.yaml": deploymentTemplate("app", [
        "containers:",
        "  - name: app",
        '    image: {{ include "small.image" .Values.test.image | quote }}',
      ]),
    }).filter((x) => x.ruleId === "image-tag-mutable");
    expect(findings).toHaveLength(1);
    // (Before: `test.image`, a map that holds no value; the probe found `test.image.tag` reaching it.)
    expect(findings[0]?.values).toBeUndefined();
    expect(findings[0]?.template?.valuesUnknown).toBe(
      "the value is composed from the keys of the values block test.image: which one writes it is not known",
    );
  });
});

describe("helm values paths of a scalar a helper held in a variable wrote", () => {
  it("the key of the helper's line that rendered it: airflow's `fsGroup: {{ $.Values.gid }}` of `airflowSecurityContext`'s last branch", () => {
    const findings = scanChart({
      "values.yaml": [...airflowValues, "worker:", "  securityContext:", "    fsGroup: 0", ""].join("\n"),
      // (redis's helper writes `printf "runAsUser: %v" .uid`: no line of its body is the field's.)
      ...airflowPods,
      // The component's own block set: its first branch's `toYaml .securityContext` wrote it.
      "templates/worker.yaml": held("worker", "small.securityContext", "(list . .Values.worker)"),
    });
    const f = findings
      .filter((x) => x.ruleId === "low-group-id")
      .map((x) => [
        x.resource?.name,
        x.values?.path,
        x.template?.file,
        x.template?.line,
        x.template?.valuesUnknown,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(f).toEqual([
      ["scheduler", "gid", "small/templates/_helpers.tpl", 10, undefined],
      ["web", "gid", "small/templates/_helpers.tpl", 10, undefined],
      // (`fsGroup: 0` aligns with the last branch's `fsGroup:` line too, but the first branch wrote it.)
      [
        "worker",
        undefined,
        "small/templates/worker.yaml",
        13,
        "the helper's earlier branch `.securityContext` (line 4) is taken and wrote this field: which values key sets it is not known",
      ],
    ]);
    expect(
      findings
        .filter((x) => x.ruleId === "run-as-root" && x.resource?.name === "redis")
        .map((x) => [x.resource?.name, x.values?.path, x.template?.line, x.template?.valuesUnknown]),
    ).toEqual([
      [
        "redis",
        undefined,
        13,
        "the field is written by the named template whose output the variable on line 13 holds, and no line of its body could be matched to it: which values key sets it is not known",
      ],
    ]);
  });
});
