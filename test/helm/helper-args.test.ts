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

describe("helm values paths through a helper's `list`/`dict`/values argument", () => {
  it("a helper that picks the block it is given when set (airflow's `airflowSecurityContext`, `localSecurityContext`)", () => {
    const findings = scanChart({
      "values.yaml": [
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
        "jobs:",
        "  securityContext: {}",
        "other:",
        "  enabled: false",
        "  securityContext: {}",
        "",
      ].join("\n"),
      "templates/_helpers.tpl": helpers,
      // Held in a variable, then written by `{{ $securityContext | nindent 8 }}`.
      "templates/scheduler.yaml": deployment(
        "scheduler",
        ['{{- $securityContext := include "small.securityContext" (list . .Values.scheduler) }}'],
        ["securityContext: {{ $securityContext | nindent 8 }}"],
      ),
      // Included on the line itself.
      "templates/web.yaml": deployment(
        "web",
        [],
        ['securityContext: {{- include "small.securityContext" (list $ .Values.web) | nindent 8 }}'],
      ),
      // Given the values block itself.
      "templates/redis.yaml": deployment(
        "redis",
        ['{{- $securityContext := include "small.localSecurityContext" .Values.redis }}'],
        ["securityContext: {{ $securityContext | nindent 8 }}"],
      ),
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
