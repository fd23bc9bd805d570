// Values paths of a scalar written by a helper that picks between keys (issue 8 item 1): gitlab's
// `apiVersion: {{ template "gitlab.pdb.apiVersion" $pdbCfg }}`, given `$pdbCfg := (dict "global"
// $.Values.global.pdb "local" .Values.pdb "context" $)`, whose body writes `.local.apiVersion` when
// it is set, else `.global.apiVersion`, else a literal. Each test writes a small chart that
// reproduces the pattern and fails without the mapping of it.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { mergeHelper, scanSmallChart } from "./small-chart.js";

// gitlab's helpers (templates/_pdb.tpl, _hpa.tpl), and ones whose first branch does not decide.
const helpers = [
  '{{- define "small.pdb.apiVersion" -}}',
  "{{-   $local := default dict .local -}}",
  '{{-   if (get $local "apiVersion") -}}',
  "{{-     .local.apiVersion -}}",
  "{{-   else if .global.apiVersion -}}",
  "{{-     .global.apiVersion -}}",
  '{{-   else if .context.Capabilities.APIVersions.Has "kubeward.test/v1/Nothing" -}}',
  '{{-     print "policy/v1" -}}',
  "{{-   else -}}",
  '{{-     print "policy/v1beta1" -}}',
  "{{-   end -}}",
  "{{- end -}}",
  "",
  '{{- define "small.hpa.apiVersion" -}}',
  "{{-   if .local.apiVersion -}}",
  "{{-     .local.apiVersion -}}",
  "{{-   else if .global.apiVersion -}}",
  "{{-     .global.apiVersion -}}",
  "{{-   else -}}",
  '{{-     print "autoscaling/v2beta1" -}}',
  "{{-   end -}}",
  "{{- end -}}",
  "",
  // The key is written only when an earlier condition is false: it may not be the one that wins.
  '{{- define "small.hpa.capsFirst" -}}',
  '{{-   if .context.Capabilities.APIVersions.Has "kubeward.test/v1/Nothing" -}}',
  '{{-     print "autoscaling/v2" -}}',
  "{{-   else if .local.apiVersion -}}",
  "{{-     .local.apiVersion -}}",
  "{{-   else -}}",
  '{{-     print "autoscaling/v2beta1" -}}',
  "{{-   end -}}",
  "{{- end -}}",
  "",
  // The condition is another key than the one written.
  '{{- define "small.hpa.flagged" -}}',
  "{{-   if .local.enabled -}}",
  "{{-     .local.apiVersion -}}",
  "{{-   else -}}",
  '{{-     print "autoscaling/v2beta1" -}}',
  "{{-   end -}}",
  "{{- end -}}",
  "",
].join("\n");

const pdb = (name: string, head: string[], call: string): string =>
  [
    ...head,
    `apiVersion: ${call}`,
    "kind: PodDisruptionBudget",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  maxUnavailable: 1",
    "  selector:",
    "    matchLabels: {app: x}",
    "",
  ].join("\n");

const hpa = (name: string, head: string[], call: string, tail: string[] = []): string =>
  [
    ...head,
    "---",
    `apiVersion: ${call}`,
    "kind: HorizontalPodAutoscaler",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}",
    "  minReplicas: 1",
    "  maxReplicas: 2",
    ...tail,
    "",
  ].join("\n");

/** sidekiq's HPA for each item of `list`: the item's `.hpa` merged over `.Values.hpa`. */
const mergedHpa = (name: string, list: string): string =>
  [
    `{{- range .Values.${list} }}`,
    hpa(
      name,
      [
        "{{- $hpa := merge (default dict .hpa) $.Values.hpa }}",
        '{{- $hpaCfg := (dict "global" $.Values.global.hpa "local" $hpa "context" $) }}',
      ],
      '{{ template "small.hpa.apiVersion" $hpaCfg }}',
    ),
    "{{- end }}",
    "",
  ].join("\n");

/** (object name, values path, why not known) of each deprecated-api-version finding. */
const apiVersions = (findings: Finding[]): [string, string | undefined, string | undefined][] =>
  findings
    .filter((f) => f.ruleId === "deprecated-api-version")
    .map((f): [string, string | undefined, string | undefined] => [
      f.resource?.name ?? "",
      f.values?.path,
      f.template?.valuesUnknown,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));

describe("helm values paths of a scalar a helper picks between keys", () => {
  it("the key the helper's first branch tests and writes: the local one, in the parent's terms for a subchart (gitlab's `gitlab.pdb.apiVersion`)", () => {
    const findings = scanSmallChart("small", {
      "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
      "values.yaml": [
        "global:",
        "  pdb:",
        '    apiVersion: ""',
        "  hpa:",
        '    apiVersion: ""',
        "hpa: {}",
        "pods:",
        "  - name: a",
        "    hpa: {}",
        "ownPods:",
        "  - name: b",
        "    hpa:",
        "      apiVersion: autoscaling/v2beta1",
        "",
      ].join("\n"),
      "templates/_helpers.tpl": helpers,
      // A subchart: its `.Values.pdb` is `sub.pdb` of the parent's values.
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "charts/sub/values.yaml": "maxUnavailable: 1\n",
      "charts/sub/templates/pdb.yaml": pdb(
        "sub",
        ['{{- $pdbCfg := (dict "global" $.Values.global.pdb "local" .Values.pdb "context" $) -}}'],
        '{{ template "small.pdb.apiVersion" $pdbCfg }}',
      ),
      // The dict given on the line itself.
      "templates/hpa.yaml": hpa(
        "inline",
        [],
        '{{ include "small.hpa.apiVersion" (dict "global" .Values.global.hpa "local" .Values.hpa "context" $) }}',
      ),
      // `.hpa` of a list item: a user cannot set it below a list's item.
      "templates/ranged.yaml": [
        "{{- range .Values.pods }}",
        hpa(
          "ranged",
          ['{{- $hpaCfg := dict "global" $.Values.global.hpa "local" .hpa "context" $ -}}'],
          '{{ template "small.hpa.apiVersion" $hpaCfg }}',
        ),
        "{{- end }}",
        "",
      ].join("\n"),
      // sidekiq's: the item's `.hpa` merged over `.Values.hpa`, whose key is written when no item
      // sets its own. (One file each: a second `range` in the file was aligned with the first's lines.)
      "templates/merged.yaml": mergedHpa("merged", "pods"),
      "templates/merged-own.yaml": mergedHpa("merged-own", "ownPods"),
      "templates/caps.yaml": hpa(
        "caps",
        ['{{- $hpaCfg := dict "global" .Values.global.hpa "local" .Values.hpa "context" . -}}'],
        '{{ template "small.hpa.capsFirst" $hpaCfg }}',
      ),
      "templates/flagged.yaml": hpa(
        "flagged",
        ['{{- $hpaCfg := dict "global" .Values.global.hpa "local" .Values.hpa "context" . -}}'],
        '{{ template "small.hpa.flagged" $hpaCfg }}',
      ),
    });
    // (The helper a reason names: it comes from the helper's chain, not from elsewhere.)
    const helper = (s: string | undefined) => (s === undefined ? undefined : /"([^"]+)"/.exec(s)?.[1]);
    const got = apiVersions(findings).map(([n, p, u]) => [n, p, helper(u)]);
    expect(got).toEqual([
      // A literal first: the key is written only when the capability is missing.
      ["caps", undefined, "small.hpa.capsFirst"],
      // `.local.apiVersion` written when `.local.enabled` is set.
      ["flagged", undefined, "small.hpa.flagged"],
      // Not `hpa`, the last `.Values` of the line.
      ["inline", "hpa.apiVersion", undefined],
      // No pod sets `hpa.apiVersion`: `.Values.hpa`'s is written.
      ["merged", "hpa.apiVersion", undefined],
      // A pod sets its own: a key below a list item, which the user cannot set alone.
      ["merged-own", undefined, "small.hpa.apiVersion"],
      ["ranged", undefined, "small.hpa.apiVersion"],
      // The local key, tested first, not `global.pdb.apiVersion`.
      ["sub", "sub.pdb.apiVersion", undefined],
    ]);
  });
});

/**
 * gitlab's webservice: an HPA and an Ingress for each item of `.Values.deployments`, which
 * `include "dm.prepare" $` rewrites from the blank data model `dm.blank` with the entry merged over
 * it; the helper is given the item's `.hpa` / `.ingress` as `local`.
 */
const datamodelFiles = (values: string, ingress: string[] = []): Record<string, string> => ({
  "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
  "values.yaml": values,
  "templates/_helpers.tpl": [
    helpers,
    '{{- define "small.ingress.apiVersion" -}}',
    "{{-   if .local.apiVersion -}}",
    "{{-     .local.apiVersion -}}",
    "{{-   else if .global.apiVersion -}}",
    "{{-     .global.apiVersion -}}",
    "{{-   else -}}",
    '{{-     print "extensions/v1beta1" -}}',
    "{{-   end -}}",
    "{{- end -}}",
    "",
  ].join("\n"),
  "templates/_datamodel.tpl": [
    '{{- define "dm.prepare" -}}',
    "{{- if not $.Values.deployments -}}",
    '{{-   $blank := fromYaml (include "dm.blank" $) -}}',
    '{{-   $_ := set $blank.ingress "path" "/" -}}',
    '{{-   $_ := set $.Values "deployments" (dict "default" (dict)) -}}',
    '{{-   $_ := set $.Values.deployments "default" $blank -}}',
    "{{- end -}}",
    "{{- range $deployment, $values := $.Values.deployments -}}",
    '{{-   $filled := fromYaml (include "dm.blank" $) -}}',
    '{{-   $_ := include "dm.merge" (dict "dst" $filled "src" $values) -}}',
    '{{-   $_ := set $filled "name" $deployment -}}',
    "{{-   $_ := set $.Values.deployments $deployment $filled -}}",
    "{{- end -}}",
    "{{- end -}}",
    "",
    '{{- define "dm.blank" -}}',
    "ingress:",
    "  path: # the user sets it",
    "  pathType: Prefix",
    "  annotations:",
    "    {{- .Values.ingress.annotations | toYaml | nindent 4 }}",
    "  proxyBodySize: {{ .Values.ingress.proxyBodySize | quote }}",
    ...ingress,
    "hpa:",
    "  minReplicas: {{ .Values.minReplicas }} # defaults to .minReplicas",
    "  maxReplicas: {{ .Values.maxReplicas }}",
    "  {{- .Values.hpa | toYaml | nindent 2 }}",
    "{{- end -}}",
    "",
    ...mergeHelper("dm.merge"),
    "",
  ].join("\n"),
  "templates/hpa.yaml": [
    '{{- include "dm.prepare" $ -}}',
    "{{- range $.Values.deployments -}}",
    '{{- $hpaCfg := (dict "global" $.Values.global.hpa "local" .hpa "context" $) -}}',
    hpa("hpa-{{ .name }}", [], '{{ template "small.hpa.apiVersion" $hpaCfg }}'),
    "{{- end }}",
    "",
  ].join("\n"),
  "templates/ingress.yaml": [
    '{{- include "dm.prepare" $ -}}',
    "{{- range $.Values.deployments -}}",
    '{{- $ingressCfg := dict "global" $.Values.global.ingress "local" .ingress "context" $ -}}',
    "---",
    'apiVersion: {{ template "small.ingress.apiVersion" $ingressCfg }}',
    "kind: Ingress",
    "metadata:",
    "  name: ing-{{ .name }}",
    "spec:",
    "  defaultBackend: {service: {name: x, port: {number: 80}}}",
    "{{- end }}",
    "",
  ].join("\n"),
});

describe("helm values paths of a helper's key below a range item rewritten from a blank data model", () => {
  const values = (...extra: string[]) =>
    [
      "global:",
      "  hpa:",
      "    apiVersion:",
      "  ingress:",
      '    apiVersion: ""',
      "minReplicas: 1",
      "maxReplicas: 2",
      "ingress:",
      "  annotations: {a: b}",
      "  proxyBodySize: 1m",
      "hpa:",
      "  cpu: {targetAverageValue: 1}",
      ...extra,
      "deployments: {}",
      "",
    ].join("\n");
  const names = (findings: Finding[]) => apiVersions(findings).map(([n, p, u]) => [n, p, u === undefined]);

  it("the item's `.hpa.apiVersion` is `.Values.hpa.apiVersion` (the blank's `hpa:` block: two fixed keys and `toYaml .Values.hpa`); the `ingress:` block never writes `apiVersion`, so `.global.apiVersion` decides", () => {
    // (gitlab's webservice Ingress: `.local.apiVersion` of the blank's `ingress:` is empty whatever
    // values outside `deployments` say; `set $blank.ingress "path"` sets another key.)
    expect(names(scanSmallChart("small", datamodelFiles(values())))).toEqual([
      ["hpa-default", "hpa.apiVersion", true],
      ["ing-default", "global.ingress.apiVersion", true],
    ]);
  });

  it("the Ingress gets none when the blank's `ingress:` could write `apiVersion` or an entry sets `ingress`", () => {
    const ing = (v: string, ingress: string[] = []) =>
      apiVersions(scanSmallChart("small", datamodelFiles(v, ingress))).filter(([n]) => n.startsWith("ing-"));
    // A values block written at the block's own keys, or an `apiVersion:` key of its own.
    for (const extra of [
      ["  {{- toYaml .Values.ingress.annotations | nindent 2 }}"],
      ["  apiVersion: {{ .Values.ingress.apiVersion }}"],
    ]) {
      const [row] = ing(
        values().replace("  proxyBodySize: 1m", '  proxyBodySize: 1m\n  apiVersion: ""'),
        extra,
      );
      expect(row?.[0]).toBe("ing-default");
      expect(row?.[1]).toBeUndefined();
      expect(row?.[2]).toMatch(/writes `\.local\.apiVersion` first/);
    }
    const own = values().replace("deployments: {}", "deployments:\n  web:\n    ingress: {path: /}");
    const [row] = ing(own);
    expect(row?.[0]).toBe("ing-web");
    expect(row?.[1]).toBeUndefined();
  });

  it("in a subchart, `.global.apiVersion` is the root chart's `global.ingress.apiVersion` (gitlab's webservice)", () => {
    const files = Object.fromEntries(
      Object.entries(datamodelFiles(values())).map(([path, text]) => [`charts/sub/${path}`, text]),
    );
    const findings = scanSmallChart("small", {
      ...files,
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
      "values.yaml": 'global:\n  ingress:\n    apiVersion: ""\nsub: {}\n',
      // A helper whose first branch is a global key: the subchart's own `global.hpa`, which no
      // parent sets.
      "charts/sub/templates/global-first.yaml": hpa(
        "hpa-global",
        [],
        '{{ template "small.hpa.apiVersion" (dict "local" $.Values.global.hpa "global" $.Values.hpa "context" $) }}',
      ),
    });
    const named = (name: string) =>
      findings
        .filter((f) => f.ruleId === "deprecated-api-version" && f.resource?.name === name)
        .map((f) => [f.values?.path, f.values?.file, f.values?.line]);
    expect(named("ing-default")).toEqual([["global.ingress.apiVersion", "small/values.yaml", 3]]);
    expect(named("hpa-global")).toEqual([["global.hpa.apiVersion", "small/charts/sub/values.yaml", 3]]);
  });

  it("a fixed key of the block also set below `hpa` (a duplicate key), or an entry that sets `hpa`, gives none", () => {
    const vp = (v: string) =>
      apiVersions(scanSmallChart("small", datamodelFiles(v))).find(([n]) => n.startsWith("hpa-"));
    const dup = vp(values("  minReplicas: 1"));
    expect(dup?.[0]).toBe("hpa-default");
    expect(dup?.[1]).toBeUndefined();
    const own = values().replace(
      "deployments: {}",
      "deployments:\n  web:\n    hpa: {minReplicas: 1, maxReplicas: 2, cpu: {targetAverageValue: 1}}",
    );
    expect(vp(own)?.[0]).toBe("hpa-web");
    expect(vp(own)?.[1]).toBeUndefined();
  });
});
