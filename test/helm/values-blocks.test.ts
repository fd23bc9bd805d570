// Values paths of blocks the mapping reaches through template logic (issue 8 item 1): variables,
// nested `with`, guarded `if ... else` branches, helpers with a fixed set of keys, actions inside a
// named template's body. Each test writes a small chart that reproduces one corpus chart's pattern
// (named in the test) and fails without the fix.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

/** Scans a small chart written here (Chart.yaml added), in a temporary directory. */
const scanChart = (files: Record<string, string>): Finding[] =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    ...files,
  });

const pod = (spec: string[]): string => deploymentTemplate("{{ $.Release.Name }}-app", spec);

const valuesOf = (findings: Finding[], rule: string, container?: string): (string | undefined)[] =>
  findings
    .filter((f) => f.ruleId === rule && (container === undefined || f.container === container))
    .map((f) => f.values?.path);

describe("helm values paths through template variables and nested `with`", () => {
  it("a variable that holds a values block (`$sc := deepCopy .Values.x`, `if $sc := ...`, `merge`)", () => {
    // gitea's `$csc := deepCopy .Values.containerSecurityContext` then `toYaml $csc`, sonarqube's
    // `if $securityContext := .Values.initContainers.securityContext`, velero's `with $pod` of a
    // `merge (.Values.podSecurityContext | default dict) (...)`: the key below the variable is
    // the key below its values path.
    const findings = scanChart({
      "values.yaml": "csc: {}\ninit:\n  securityContext: {}\npodSecurityContext: {}\nlegacy: {}\n",
      "templates/app.yaml":
        "{{- $pod := merge (.Values.podSecurityContext | default dict) (.Values.legacy | default dict) -}}\n" +
        pod([
          "{{- with $pod }}",
          "securityContext:",
          "  {{- toYaml . | nindent 8 }}",
          "{{- end }}",
          "initContainers:",
          "  - name: init",
          "    image: busybox:1.36",
          "    {{- if $isc := .Values.init.securityContext }}",
          "    securityContext:",
          "{{ toYaml $isc | indent 12 }}",
          "    {{- end }}",
          "containers:",
          "  - name: app",
          "    image: busybox:1.36",
          "    securityContext:",
          "      {{- $csc := deepCopy .Values.csc -}}",
          '      {{- $_ := set $csc "runAsUser" 1000 -}}',
          "      {{- toYaml $csc | nindent 12 }}",
        ]),
    });
    expect(valuesOf(findings, "privilege-escalation", "app")).toEqual(["csc.allowPrivilegeEscalation"]);
    expect(valuesOf(findings, "privilege-escalation", "init")).toEqual([
      "init.securityContext.allowPrivilegeEscalation",
    ]);
    expect(valuesOf(findings, "apparmor-profile")).toEqual(["podSecurityContext.appArmorProfile"]);
    // The `runAsUser` the template `set`s on the variable is the action's, without a values path.
    const low = findings.filter((f) => f.ruleId === "low-user-id" && f.container === "app");
    expect(low.map((f) => [f.template?.line, f.values?.path])).toEqual([[30, undefined]]);
  });

  it("`default .Values.a .Values.b` is `b`: a key set below `b` makes it non-empty (sonarqube's init-sysctl)", () => {
    const findings = scanChart({
      "values.yaml": "init:\n  securityContext: {}\nsysctl:\n  securityContext:\n    privileged: true\n",
      "templates/app.yaml": pod([
        "initContainers:",
        "  - name: sysctl",
        "    image: busybox:1.36",
        "    {{- if $sc := (default .Values.init.securityContext .Values.sysctl.securityContext) }}",
        "    securityContext:",
        "{{ toYaml $sc | indent 12 }}",
        "    {{- end }}",
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
      ]),
    });
    expect(valuesOf(findings, "privileged-container", "sysctl")).toEqual([
      "sysctl.securityContext.privileged",
    ]);
  });

  it("a variable reassigned in a branch, or bound by `range`, gives no values path", () => {
    const findings = scanChart({
      "values.yaml": "a: {}\nb: {}\nflag: true\n",
      "templates/app.yaml": pod([
        "{{- $sc := .Values.a }}",
        "{{- if .Values.flag }}",
        "{{- $sc = .Values.b }}",
        "{{- end }}",
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        "    securityContext:",
        "      {{- toYaml $sc | nindent 12 }}",
      ]),
    });
    expect(valuesOf(findings, "privilege-escalation", "app")).toEqual([undefined]);
  });

  it("a `with .x` inside `with .Values.a` reads `a.x`", () => {
    // loki's canary: `with .Values.monitoring.lokiCanary` around the file, `with .resources` inside.
    const findings = scanChart({
      "values.yaml": "mon:\n  canary:\n    resources: {}\n",
      "templates/app.yaml":
        "{{- with .Values.mon.canary }}\n" +
        pod([
          "containers:",
          "  - name: app",
          "    image: busybox:1.36",
          "    {{- with .resources }}",
          "    resources:",
          "      {{- toYaml . | nindent 12 }}",
          "    {{- end }}",
        ]) +
        "{{- end }}\n",
    });
    expect(valuesOf(findings, "cpu-limit-missing", "app")).toEqual(["mon.canary.resources.limits.cpu"]);
  });

  it('a variable bound to `index .Values "a-b"` (gitlab\'s shared-secrets job) reads below `a-b`', () => {
    const findings = scanChart({
      "values.yaml":
        "shared-secrets:\n  resources:\n    requests:\n      cpu: 50m\nouter:\n  in-ner:\n    resources: {}\n",
      "templates/app.yaml":
        '{{- $ss := index .Values "shared-secrets" -}}\n' +
        '{{- $nested := index .Values "outer" "in-ner" -}}\n' +
        '{{- $dotted := index .Values.outer "in-ner" -}}\n' +
        pod([
          "containers:",
          ...[
            ["app", "$ss"],
            ["nested", "$nested"],
            ["dotted", "$dotted"],
          ].flatMap(([name, v]) => [
            `  - name: ${name ?? ""}`,
            "    image: busybox:1.36",
            "    resources:",
            `      {{- toYaml ${v ?? ""}.resources | nindent 12 }}`,
          ]),
        ]),
    });
    expect(valuesOf(findings, "cpu-limit-missing", "app")).toEqual(["shared-secrets.resources.limits.cpu"]);
    expect(valuesOf(findings, "memory-request-missing", "app")).toEqual([
      "shared-secrets.resources.requests.memory",
    ]);
    expect(valuesOf(findings, "cpu-limit-missing", "nested")).toEqual(["outer.in-ner.resources.limits.cpu"]);
    expect(valuesOf(findings, "cpu-limit-missing", "dotted")).toEqual(["outer.in-ner.resources.limits.cpu"]);
  });
});

describe("helm values paths of blocks that several lines or a helper may write", () => {
  it("a `fail` beside a block's action writes nothing: the action is the one (traefik's pod template)", () => {
    const findings = scanChart({
      "values.yaml": "podSecurityContext:\n  fsGroup: 65532\nspread: []\n",
      "templates/app.yaml": pod([
        "{{- with .Values.podSecurityContext }}",
        "securityContext:",
        "  {{- toYaml . | nindent 8 }}",
        "{{- end }}",
        "{{- if .Values.spread }}",
        "{{- if true }}",
        '  {{- fail "ERROR: not supported" -}}',
        "{{- end }}",
        "{{- end }}",
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
      ]),
    });
    expect(valuesOf(findings, "apparmor-profile")).toEqual(["podSecurityContext.appArmorProfile"]);
  });

  it("of `if .Values.a` toYaml a `else` toYaml b, a key set below `a` is the one that writes", () => {
    // gitea's `if .Values.containerSecurityContext ... else toYaml .Values.securityContext`,
    // nextcloud's pod securityContext (a `with` inside the `if`, static keys in the `else`).
    const findings = scanChart({
      "values.yaml": "csc: {}\nlegacy: {}\npsc: {}\nflag: false\n",
      "templates/app.yaml": pod([
        "securityContext:",
        "{{- if .Values.psc }}",
        "  {{- with .Values.psc }}",
        "    {{- toYaml . | nindent 8 }}",
        "  {{- end }}",
        "{{- else }}",
        "  fsGroup: 33",
        "{{- end }}",
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        "    securityContext:",
        "      {{- if .Values.csc -}}",
        "      {{ toYaml .Values.csc | nindent 12 -}}",
        "      {{- else -}}",
        "      {{ toYaml .Values.legacy | nindent 12 -}}",
        "      {{- end }}",
        "  - name: other",
        "    image: busybox:1.36",
        "    securityContext:",
        "      {{- if .Values.flag -}}",
        "      {{ toYaml .Values.csc | nindent 12 -}}",
        "      {{- else -}}",
        "      {{ toYaml .Values.legacy | nindent 12 -}}",
        "      {{- end }}",
      ]),
    });
    expect(valuesOf(findings, "privilege-escalation", "app")).toEqual(["csc.allowPrivilegeEscalation"]);
    expect(valuesOf(findings, "apparmor-profile")).toEqual(["psc.appArmorProfile"]);
    // Guarded by another key: which branch a user's key lands in is not known.
    expect(valuesOf(findings, "privilege-escalation", "other")).toEqual([undefined]);
  });

  it("a helper that writes `toYaml .Values.x` when `x` is set, else keys of its own (ingress-nginx)", () => {
    const findings = scanChart({
      "values.yaml": "csc: {}\n",
      "templates/_helpers.tpl": [
        '{{- define "small.csc" -}}',
        "{{- if .Values.csc -}}",
        "{{- toYaml .Values.csc -}}",
        "{{- else -}}",
        "capabilities:",
        "  drop:",
        "  - ALL",
        "allowPrivilegeEscalation: false",
        "{{- end }}",
        "{{- end -}}",
        "",
      ].join("\n"),
      "templates/app.yaml": pod([
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        '    securityContext: {{ include "small.csc" . | nindent 12 }}',
      ]),
    });
    expect(valuesOf(findings, "read-only-root-filesystem", "app")).toEqual(["csc.readOnlyRootFilesystem"]);
  });

  it("a helper that writes only fixed keys cannot write a missing one: Bitnami's `extraPodSpec` can", () => {
    // The postgresql charts: `include "postgresql.imagePullSecrets"` (which writes only
    // `imagePullSecrets:`, through a helper of its own) beside the render of `.Values.primary.extraPodSpec`.
    const findings = scanChart({
      "values.yaml": "primary:\n  extraPodSpec: {}\npullSecrets: []\n",
      "templates/_helpers.tpl": [
        '{{- define "small.pullSecrets" -}}',
        '{{ include "small.renderPullSecrets" . }}',
        "{{- end -}}",
        '{{- define "small.renderPullSecrets" -}}',
        "{{- if .Values.pullSecrets }}",
        "imagePullSecrets:",
        "  {{- toYaml .Values.pullSecrets | nindent 2 }}",
        "{{- end }}",
        "{{- end -}}",
        '{{- define "small.tplvalues.render" -}}',
        "{{- tpl (.value | toYaml) .context }}",
        "{{- end -}}",
        "",
      ].join("\n"),
      "templates/app.yaml": pod([
        "{{- if .Values.primary.extraPodSpec }}",
        '{{- include "small.tplvalues.render" (dict "value" .Values.primary.extraPodSpec "context" $) | nindent 6 }}',
        "{{- end }}",
        '{{- include "small.pullSecrets" . | nindent 6 }}',
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
      ]),
    });
    expect(valuesOf(findings, "service-account-token-automount")).toEqual([
      "primary.extraPodSpec.automountServiceAccountToken",
    ]);
  });

  it("a missing block whose key line a values block guards and writes gets that block's key", () => {
    // nextcloud's `if .Values.nextcloud.securityContext` / `securityContext:` / `with` / `toYaml .`,
    // and fluent-bit's pod helper (`with .Values.podSecurityContext` / `securityContext:`).
    const findings = scanChart({
      "values.yaml": "sc: {}\npodSecurityContext: {}\n",
      "templates/_helpers.tpl": [
        '{{- define "small.pod" -}}',
        "{{- with .Values.podSecurityContext }}",
        "securityContext:",
        "  {{- toYaml . | nindent 2 }}",
        "{{- end }}",
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        "    {{- if .Values.sc }}",
        "    securityContext:",
        "      {{- with .Values.sc }}",
        "        {{- toYaml . | nindent 6 }}",
        "      {{- end }}",
        "    {{- end }}",
        "{{- end }}",
        "",
      ].join("\n"),
      "templates/app.yaml": pod(['{{- include "small.pod" . | nindent 6 }}']),
    });
    const missing = findings.filter((f) => f.ruleId === "security-context-missing");
    expect(missing.map((f) => [f.container ?? "pod", f.values?.path]).sort()).toEqual([
      ["app", "sc"],
      ["pod", "podSecurityContext"],
    ]);
  });

  it("a field an action in a helper's body writes is mapped inside the body (promtail's pod template)", () => {
    const findings = scanChart({
      "values.yaml": "podSecurityContext:\n  runAsUser: 0\n  runAsGroup: 0\n",
      "templates/_pod.tpl": [
        '{{- define "small.podTemplate" -}}',
        "metadata:",
        "  labels: {app: x}",
        "spec:",
        "  securityContext:",
        "    {{- toYaml .Values.podSecurityContext | nindent 4 }}",
        "  containers:",
        "    - name: app",
        "      image: busybox:1.36",
        "{{- end }}",
        "",
      ].join("\n"),
      "templates/app.yaml": [
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata:",
        "  name: {{ .Release.Name }}-app",
        "spec:",
        "  selector:",
        "    matchLabels: {app: x}",
        "  template:",
        '    {{- include "small.podTemplate" . | nindent 4 }}',
        "",
      ].join("\n"),
    });
    const f = findings.filter((x) => x.ruleId === "low-group-id");
    expect(f.map((x) => [x.template?.file, x.template?.line, x.values?.path])).toEqual([
      [expect.stringMatching(/templates\/_pod\.tpl$/), 6, "podSecurityContext.runAsGroup"],
    ]);
  });

  it("a `{{/*` comment line in a block is not an action that writes into it (vault's resources helper)", () => {
    const findings = scanChart({
      "values.yaml": "resources: {}\n",
      "templates/_helpers.tpl": [
        '{{- define "small.resources" -}}',
        "  {{- if .Values.resources -}}",
        "          resources:",
        "{{ toYaml .Values.resources | indent 12}}",
        "  {{ end }}",
        "{{- end -}}",
        "",
        "{{/*",
        "Sets the resources.",
        "*/}}",
        "",
      ].join("\n"),
      "templates/app.yaml": pod([
        "containers:",
        "  - name: app",
        '    {{ template "small.resources" . }}',
        "    image: busybox:1.36",
      ]),
    });
    expect(valuesOf(findings, "cpu-limit-missing", "app")).toEqual(["resources.limits.cpu"]);
  });
});

describe("helm values paths and the actions that write a list's items", () => {
  it("an action after another that writes a list's items writes items too, not keys of the pod (sonarqube's extraVolumes)", () => {
    // `volumes:`, then `tpl (toYaml .Values.persistence.volumes ...)`, then `toYaml .Values.extraVolumes`
    // at the key's indentation: both write the volumes, so a key set below `extraVolumes` would be
    // injected YAML, not a values key of the pod's `automountServiceAccountToken`.
    const findings = scanChart({
      "values.yaml": "persistence:\n  volumes: []\n",
      "templates/app.yaml": pod([
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        "volumes:",
        "{{- if .Values.persistence.volumes }}",
        "{{ tpl (toYaml .Values.persistence.volumes | indent 6) . }}",
        "{{- end }}",
        "{{- if .Values.extraVolumes }}",
        "{{- .Values.extraVolumes | toYaml | nindent 6 }}",
        "{{- end }}",
      ]),
    });
    const f = findings.filter((x) => x.ruleId === "service-account-token-automount");
    expect(f).toHaveLength(1);
    expect(f.map((x) => [x.values?.path, x.template?.valuesUnknown])).toEqual([[undefined, undefined]]);
  });
});

describe("helm values paths of list items an action writes after the template's own", () => {
  it("the item's index in the values list leaves out the items the template wrote (promtail's volumes)", () => {
    const findings = scanChart({
      "values.yaml": "extra:\n  - name: run\n    hostPath:\n      path: /run/x\n",
      "templates/app.yaml": pod([
        "containers:",
        "  - name: app",
        "    image: busybox:1.36",
        "volumes:",
        "  - name: config",
        "    emptyDir: {}",
        "  {{- with .Values.extra }}",
        "  {{- toYaml . | nindent 8 }}",
        "  {{- end }}",
      ]),
    });
    const f = findings.filter((x) => x.ruleId === "host-path-volume");
    expect(f.map((x) => [x.path.join("."), x.values?.path])).toEqual([
      ["spec.template.spec.volumes.1.hostPath", "extra[0].hostPath"],
    ]);
  });
});

describe("helm values paths of a scalar a helper writes", () => {
  // artifact-hub's postgresql subchart: `image: {{ template "postgresql.image" . }}`, whose body
  // assigns `$tag := .Values.image.tag | toString` and writes `printf "%s/%s:%s" ... $tag` in
  // every branch: the image's tag had no values path (a line's last `.Values` is its key, as for
  // `{{ .Values.image.repository }}:{{ .Values.image.tag }}`).
  const helpers = `{{- define "small.image" -}}
{{- $registryName := .Values.image.registry -}}
{{- $repositoryName := .Values.image.repository -}}
{{- $tag := .Values.image.tag | toString -}}
{{/*
A comment over several lines.
*/}}
{{- if .Values.global }}
    {{- if .Values.global.imageRegistry }}
        {{- printf "%s/%s:%s" .Values.global.imageRegistry $repositoryName $tag -}}
    {{- else -}}
        {{- printf "%s/%s:%s" $registryName $repositoryName $tag -}}
    {{- end -}}
{{- else -}}
    {{- printf "%s/%s:%s" $registryName $repositoryName $tag -}}
{{- end -}}
{{- end -}}
{{- define "small.mixed" -}}
{{- if .Values.other.digest -}}
{{- printf "%s@%s" .Values.other.repository .Values.other.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.other.repository .Values.other.tag -}}
{{- end -}}
{{- end -}}
`;
  const findings = scanChart({
    "values.yaml":
      "image:\n  registry: docker.io\n  repository: postgres\n  tag: latest\nother:\n  repository: nginx\n  tag: latest\n  digest: ''\n",
    "templates/_helpers.tpl": helpers,
    "templates/app.yaml": pod([
      "containers:",
      "  - name: db",
      '    image: {{ template "small.image" . }}',
      "  - name: other",
      '    image: {{ include "small.mixed" . }}',
    ]),
  });

  it("every output's last operand is one values key: that key", () => {
    expect(valuesOf(findings, "image-tag-mutable", "db")).toEqual(["image.tag"]);
  });

  it("outputs that end in different keys give none", () => {
    expect(valuesOf(findings, "image-tag-mutable", "other")).toEqual([undefined]);
  });
});
