// Alignment of rendered lines with template lines (issue 8 item 1): when two template lines could
// have written a rendered line, the one whose block holds its children wrote it. Regression for
// the corpus's alertmanager: its sidecar's `- name: {{ .Chart.Name }}-{{ ... }}` sits inside a false
// `if`, and the main container's `- name: {{ .Chart.Name }}` was aligned with it, so the main
// container's missing limits got the sidecar's values path. The chart is test/helm/fixtures/align.
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";
import { FIXTURES, fixtureLine as lineOf } from "./fixture-line.js";
import { scanSmallChart as scanChart } from "./small-chart.js";

/** 1-based line of the first line of `text` containing `needle`. */
function lineIn(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`${needle} not in the text`);
  return i + 1;
}

/** The one finding of `rule` on `container`. */
function one(findings: readonly Finding[], rule: string, container: string): Finding {
  const hits = findings.filter((f) => f.ruleId === rule && f.container === container);
  expect(hits, `${rule} on ${container}`).toHaveLength(1);
  return hits[0] as Finding;
}

const POD_HEAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
`;

describe("helm alignment of look-alike lines", () => {
  const findings = scan({ paths: ["align"], cwd: FIXTURES, configFile: false }).findings;
  const of = (rule: string, name: string): Finding => {
    const hits = findings.filter((f) => f.ruleId === rule && f.resource?.name === name);
    expect(hits, `${rule} on ${name}`).toHaveLength(1);
    return hits[0] as Finding;
  };

  it("a container after one inside a false `if` gets its own block's values path", () => {
    const f = of("cpu-limit-missing", "false-if");
    expect(f.template).toMatchObject({
      file: "align/templates/false-if.yaml",
      line: lineOf("align/templates/false-if.yaml", "{{- toYaml .Values.resources") - 1,
    });
    expect(f.values).toEqual({
      path: "resources.limits.cpu",
      file: "align/values.yaml",
      line: lineOf("align/values.yaml", "resources: {}"),
    });
    expect(of("memory-request-missing", "false-if").values?.path).toBe("resources.requests.memory");
  });

  it("the container's own line is the second `- name:`, and its securityContext block is found", () => {
    const f = of("liveness-probe-missing", "false-if");
    expect(f.template?.line).toBe(lineOf("align/templates/false-if.yaml", "securityContext:") - 1);
    expect(of("privilege-escalation", "false-if").values).toEqual({
      path: "securityContext.allowPrivilegeEscalation",
      file: "align/values.yaml",
      line: lineOf("align/values.yaml", "securityContext:"),
    });
  });

  it("a line is aligned only inside its parent's block: an empty toYaml's `{}` does not jump to a `{}` far below", () => {
    // The first container's `resources:` renders `{}` from `toYaml`; aligning that with the
    // volume's literal `{}` at the end sent the lines after it, and the second container's
    // `- name:`, to the wrong template lines (prometheus's server Deployment in the corpus).
    const of2 = (rule: string, container: string): Finding => {
      const hits = findings.filter(
        (f) => f.ruleId === rule && f.resource?.name === "far-match" && f.container === container,
      );
      expect(hits, `${rule} on ${container}`).toHaveLength(1);
      return hits[0] as Finding;
    };
    const server = of2("cpu-limit-missing", "align-server");
    expect(server.template?.line).toBe(
      lineOf("align/templates/far-match.yaml", "{{- toYaml .Values.resources") - 1,
    );
    expect(server.values?.path).toBe("resources.limits.cpu");
    expect(of2("cpu-limit-missing", "align-reloader").values?.path).toBe("reloader.resources.limits.cpu");
    expect(of2("liveness-probe-missing", "align-server").template?.line).toBe(
      lineOf("align/templates/far-match.yaml", "- name: {{ .Chart.Name }}-server"),
    );
  });

  it("a container in a named template's pod spec is found by aligning the include's output with its body", () => {
    // `- name: {{ include "align.name" . }}-sc-a` and `- name: {{ .Chart.Name }}` both start
    // `- name:`; the second sidecar is off. Aligned with the helper's body, each rendered container
    // is its own item, whose children (`ports:` only in the main one) tell them apart.
    const hits = (container: string) =>
      findings.filter(
        (f) =>
          f.ruleId === "cpu-limit-missing" && f.resource?.name === "helper-pod" && f.container === container,
      );
    const [main] = hits("align");
    const [sidecar] = hits("align-sc-a");
    expect(main?.template).toMatchObject({
      file: "align/templates/_helpers.tpl",
      line: lineOf("align/templates/_helpers.tpl", "toYaml .Values.main.resources") - 1,
    });
    expect(main?.values).toEqual({
      path: "main.resources.limits.cpu",
      file: "align/values.yaml",
      line: lineOf("align/values.yaml", "main:") + 1, // its `resources: {}`
    });
    expect(sidecar?.values?.path).toBe("sidecarA.resources.limits.cpu");
  });

  it("only keys tell look-alike containers apart, not the items of a compact list below them", () => {
    // The main container's `env:` items (`- name: MODE`, at the container's key indentation)
    // look like the proxy's `- name: {{ .name }}` mounts; counted as children, they made the main
    // container the proxy's (nextcloud in the corpus, whose main container then got
    // `nginx.resources`).
    const hits = (container: string) =>
      findings.filter(
        (f) =>
          f.ruleId === "cpu-limit-missing" && f.resource?.name === "compact" && f.container === container,
      );
    expect(hits("align")[0]?.values?.path).toBe("resources.limits.cpu");
    expect(hits("align-proxy")[0]?.values?.path).toBe("proxy.resources.limits.cpu");
  });

  it("a compact list (`containers:` then `- name: app` at the same indentation) holds its items", () => {
    // The container's block did not include its `- name:` line, so a missing `resources` (its
    // `with` was empty) was left at `containers:` without a values path (metallb's speaker).
    const f = of("cpu-limit-missing", "compact-with");
    expect(f.template?.line).toBe(lineOf("align/templates/compact-with.yaml", "resources:"));
    expect(f.values).toEqual({
      path: "app.resources.limits.cpu",
      file: "align/values.yaml",
      line: lineOf("align/values.yaml", "app:") + 1,
    });
  });

  it('a helper that renders a value as YAML (`include "common.tplvalues.render" (dict "value" .Values.x)`)', () => {
    // Bitnami's helper is `toYaml` of its "value": a missing key below it is that key below
    // `.Values.x`, as under `toYaml .Values.x` (spring-cloud-dataflow in the corpus). The key line
    // `resources: {{- include ... | nindent 12 }}` sits at its own indentation, not at 12.
    const f = of("cpu-limit-missing", "tplvalues");
    expect(f.template?.line).toBe(lineOf("align/templates/tplvalues.yaml", "resources:"));
    expect(f.values?.path).toBe("worker.resources.limits.cpu");
  });

  it("a field an include writes is found by its rendered line in the helper, not by its key's name", () => {
    // The helper's first `securityContext:` is the pod's; the main container's is further down.
    // Looked up by name, the container's finding named the pod's line (falco's pod template).
    const f = findings.find(
      (x) =>
        x.ruleId === "privilege-escalation" && x.resource?.name === "helper-pod" && x.container === "align",
    );
    expect(f?.path).toEqual(["spec", "template", "spec", "containers", 1, "securityContext"]);
    expect(f?.template?.line).toBe(
      lineOf("align/templates/_helpers.tpl", "toYaml .Values.main.securityContext") - 1,
    );
    expect(f?.values?.path).toBe("main.securityContext.allowPrivilegeEscalation");
  });
});

describe("helm values paths of containers an include writes among others", () => {
  // gitlab's init containers: a helper writes the first one beside a static one, and helpers
  // write single keys (`pullPolicy`) into the static one, so "3 actions write into this block"
  // left its resources without a values path. artifact-hub's `- {{- include "x" . | nindent 10 }}`:
  // the helper writes the item's keys, and "the action on line 23" had no values key.
  const helpers = `{{- define "items.check" -}}
name: check-db
image: "busybox:1.36"
{{- with .Values.check.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- define "items.certs" -}}
- name: certificates
  image: "busybox:1.36"
  volumeMounts:
  - name: certs
    mountPath: /etc/ssl/certs
  resources:
    {{- toYaml .Values.init.resources | nindent 4 }}
{{- end }}
{{- define "items.pull" }}
imagePullPolicy: {{ .Values.pullPolicy }}
{{- end }}
`;
  const deploy = `${POD_HEAD}      initContainers:
        - {{- include "items.check" . | nindent 10 }}
        {{- include "items.certs" . | nindent 8 }}
        - name: configure
          image: "busybox:1.36"
          {{- include "items.pull" . | indent 10 }}
          resources:
            {{- toYaml .Values.configure.resources | nindent 12 }}
      containers:
        - name: app
          image: "nginx:1.25"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
  const values = `pullPolicy: IfNotPresent
resources: {}
init:
  resources: {}
check:
  resources: {}
configure:
  resources: {}
`;
  const findings = scanChart("items", {
    "Chart.yaml": "apiVersion: v2\nname: items\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("`- {{ include }}`: the helper's keys are the item's (a missing `resources` under its `with`)", () => {
    const f = one(findings, "cpu-limit-missing", "check-db");
    expect(f.template).toMatchObject({
      file: "items/templates/_helpers.tpl",
      line: lineIn(helpers, "resources:"),
    });
    expect(f.values).toMatchObject({
      path: "check.resources.limits.cpu",
      line: lineIn(values, "check:") + 1,
    });
  });

  it("an include among the items wrote the one whose rendered lines align with its body", () => {
    const f = one(findings, "memory-request-missing", "certificates");
    expect(f.template).toMatchObject({
      file: "items/templates/_helpers.tpl",
      line: lineIn(helpers, "toYaml .Values.init.resources") - 1,
    });
    expect(f.values?.path).toBe("init.resources.requests.memory");
    expect(one(findings, "cpu-limit-missing", "configure").values?.path).toBe(
      "configure.resources.limits.cpu",
    );
  });
});

describe("helm values paths of a missing key a helper writes beside other helpers", () => {
  // vault's containers: `{{ template "vault.resources" . }}` (its body: `resources:` above
  // `toYaml .Values.server.resources`) beside `{{- template "...securityContext.container" . }}`:
  // "2 actions write into this block" although only one of them writes `resources`; and the
  // multi-line comment after the helper (`{{/*` on a line of its own) counted as an action too.
  const helpers = `{{- define "res.resources" -}}
  {{- if .Values.server.resources -}}
          resources:
{{ toYaml .Values.server.resources | indent 12}}
  {{ end }}
{{- end -}}

{{/*
The container's securityContext.
*/}}
{{- define "res.securityContext" -}}
  {{- if .Values.server.securityContext }}
          securityContext:
            {{- toYaml .Values.server.securityContext | nindent 12 }}
  {{- else }}
          securityContext:
            allowPrivilegeEscalation: false
  {{- end }}
{{- end -}}
`;
  const deploy = `${POD_HEAD}      containers:
        - name: server
          {{ template "res.resources" . }}
          image: "nginx:1.25"
          {{- template "res.securityContext" . }}
`;
  const values = "server:\n  resources: {}\n  securityContext: {}\n";
  const findings = scanChart("res", {
    "Chart.yaml": "apiVersion: v2\nname: res\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("the helper whose body writes `resources:` at its top is where a missing `resources` is set", () => {
    const f = one(findings, "cpu-limit-missing", "server");
    expect(f.template).toMatchObject({
      file: "res/templates/_helpers.tpl",
      line: lineIn(helpers, "resources:"),
    });
    expect(f.values).toMatchObject({ path: "server.resources.limits.cpu", line: 2 });
  });
});

describe("helm values paths of a block that the branches of an `if` write from one values key", () => {
  // vault's container securityContext: `{{ if .Values.x }}`, then `tpl .Values.x .` when x is a
  // string, else `toYaml .Values.x` ("2 actions write into this block", but both write `x`); the
  // `else` branch that rendered writes fixed keys, and a key missing there is set below `x`.
  const helpers = `{{- define "sc.securityContext" -}}
  {{- if .Values.server.securityContext }}
          securityContext:
            {{- $tp := typeOf .Values.server.securityContext }}
            {{- if eq $tp "string" }}
              {{- tpl .Values.server.securityContext . | nindent 12 }}
            {{- else }}
              {{- toYaml .Values.server.securityContext | nindent 12 }}
            {{- end }}
  {{- else }}
          securityContext:
            allowPrivilegeEscalation: false
  {{- end }}
{{- end -}}
{{- define "sc.other" -}}
  {{- if .Values.legacy.enabled }}
          securityContext:
            runAsUser: 0
            {{- toYaml .Values.legacy.securityContext | nindent 12 }}
  {{- else }}
          securityContext:
            runAsNonRoot: true
            {{- toYaml .Values.other.securityContext | nindent 12 }}
  {{- end }}
{{- end -}}
`;
  const deploy = `${POD_HEAD}      containers:
        - name: server
          image: "nginx:1.25"
          {{- template "sc.securityContext" . }}
        - name: other
          image: "nginx:1.25"
          {{- template "sc.other" . }}
`;
  const findings = scanChart("sc", {
    "Chart.yaml": "apiVersion: v2\nname: sc\nversion: 0.1.0\n",
    "values.yaml":
      "server:\n  securityContext: {}\nlegacy:\n  enabled: false\n  securityContext:\n    runAsGroup: 1000\nother:\n  securityContext:\n    runAsGroup: 1000\n",
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("of a helper's two key lines with the key's name, the one that rendered sets it", () => {
    // Looked up by name, the first `securityContext:` (a false `if`'s) gave `legacy.securityContext`;
    // the rendered `runAsNonRoot: true` tells which one rendered.
    const f = one(findings, "read-only-root-filesystem", "other");
    expect(f.values?.path).toBe("other.securityContext.readOnlyRootFilesystem");
  });

  it("a missing key is below that values key", () => {
    const f = one(findings, "read-only-root-filesystem", "server");
    // (The line is the branch that rendered; the values key is the first branch's.)
    expect(f.template).toMatchObject({
      file: "sc/templates/_helpers.tpl",
      line: lineIn(helpers, "allowPrivilegeEscalation") - 1,
    });
    expect(f.values).toMatchObject({ path: "server.securityContext.readOnlyRootFilesystem", line: 2 });
  });
});

describe("helm values paths after a multi-line template comment", () => {
  // jenkins's pod securityContext: a `{{/*` comment over several lines holds `runAsNonRoot: true`
  // (aligned with the rendered line as if helm wrote it) and ends with `*/}}` at the pod spec's
  // indentation (which ended the spec's block): no container after it had a values path.
  const deploy = `${POD_HEAD}      securityContext:
      {{- if .Values.podSecurityContextOverride }}
        {{- toYaml .Values.podSecurityContextOverride | nindent 8 }}
      {{- else }}
    {{/* Once the legacy keys are gone this becomes:
        runAsUser: 1000
        runAsNonRoot: true
    */}}
        runAsUser: {{ .Values.runAsUser }}
        runAsNonRoot: true
      {{- end }}
      containers:
        - name: app
          image: "nginx:1.25"
        - name: reload
          image: "busybox:1.36"
          resources:
{{ toYaml .Values.reload.resources | indent 12 }}
`;
  const findings = scanChart("comment", {
    "Chart.yaml": "apiVersion: v2\nname: comment\nversion: 0.1.0\n",
    "values.yaml": "podSecurityContextOverride: {}\nrunAsUser: 1000\nreload:\n  resources: {}\n",
    "templates/deploy.yaml": deploy,
  });

  it("the comment's text is no template line", () => {
    const f = one(findings, "cpu-limit-missing", "reload");
    expect(f.template).toMatchObject({
      file: "comment/templates/deploy.yaml",
      line: lineIn(deploy, "resources:"),
    });
    expect(f.values?.path).toBe("reload.resources.limits.cpu");
  });
});

describe("helm values paths of items an include writes inside an included pod template", () => {
  // falco: the pod template is itself a helper (`include "falco.podTemplate" . | nindent 4`), so
  // its init containers render 4 columns deeper than its `nindent 4` says; the item was not matched
  // to the include that wrote it.
  const helpers = `{{- define "nest.pod" -}}
metadata:
  labels:
    app: nest
spec:
  initContainers:
  {{- include "nest.loader" . | nindent 4 }}
  {{- include "nest.install" . | nindent 4 }}
  containers:
    - name: app
      image: "nginx:1.25"
{{- end }}
{{- define "nest.loader" -}}
- name: loader
  image: "busybox:1.36"
  args:
    - load
  {{- with .Values.loader.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- define "nest.install" -}}
- name: install
  image: "busybox:1.36"
  args:
    - install
  {{- with .Values.install.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
`;
  const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nest
spec:
  selector:
    matchLabels:
      app: nest
  template:
    {{- include "nest.pod" . | nindent 4 }}
`;
  const findings = scanChart("nest", {
    "Chart.yaml": "apiVersion: v2\nname: nest\nversion: 0.1.0\n",
    "values.yaml": "loader:\n  resources: {}\ninstall:\n  resources: {}\n",
    "templates/_helpers.tpl": helpers,
    "templates/daemonset.yaml": daemonSet,
  });

  it("each init container gets its own helper's values path", () => {
    const install = one(findings, "cpu-limit-missing", "install");
    expect(install.template).toMatchObject({
      file: "nest/templates/_helpers.tpl",
      line: lineIn(helpers, "with .Values.install.resources") + 1,
    });
    expect(install.values?.path).toBe("install.resources.limits.cpu");
    expect(one(findings, "memory-limit-missing", "loader").values?.path).toBe(
      "loader.resources.limits.memory",
    );
  });
});

describe("helm values paths of a helper that renders a values block or builds its own", () => {
  // falco's `falco.securityContext`: `toYaml .Values.containerSecurityContext` when it is set, else
  // a map it builds: "the block is written by the action on line N, whose values key is not known".
  const helpers = `{{- define "guard.securityContext" -}}
{{- $securityContext := dict -}}
{{- if .Values.privileged -}}
  {{- $securityContext := set $securityContext "privileged" true -}}
{{- end -}}
{{- if not (empty (.Values.containerSecurityContext)) -}}
  {{- toYaml .Values.containerSecurityContext }}
{{- else -}}
  {{- toYaml $securityContext }}
{{- end -}}
{{- end -}}
`;
  const deploy = `${POD_HEAD}      containers:
        - name: app
          image: "nginx:1.25"
          securityContext:
            {{- include "guard.securityContext" . | nindent 12 }}
`;
  const findings = scanChart("guard", {
    "Chart.yaml": "apiVersion: v2\nname: guard\nversion: 0.1.0\n",
    "values.yaml": "privileged: true\ncontainerSecurityContext: {}\n",
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("a key missing in the built map is set below the values block", () => {
    const f = one(findings, "read-only-root-filesystem", "app");
    expect(f.values?.path).toBe("containerSecurityContext.readOnlyRootFilesystem");
  });
});

describe("helm values paths of a field an action writes below its aligned parent", () => {
  // kubernetes-dashboard: the main container's `securityContext:` + `toYaml .` under `with
  // .Values.containerSecurityContext`, and a sidecar inside a false `if` whose `else if` writes
  // `toYaml .Values.containerSecurityContext` again: both `toYaml` lines could hold `runAsUser`,
  // so "2 actions could have written this field" left the main container's `runAsUser: 1001`
  // without a values path. Only the one in the block of the rendered `securityContext:` wrote it.
  const deploy = `${POD_HEAD}      containers:
      - name: app
        image: "nginx:1.25"
{{- with .Values.containerSecurityContext }}
        securityContext:
{{ toYaml . | nindent 10 }}
{{- end }}
{{- if .Values.sidecar.enabled }}
      - name: sidecar
        image: "busybox:1.36"
{{- if .Values.sidecar.containerSecurityContext }}
        securityContext:
{{ toYaml .Values.sidecar.containerSecurityContext | nindent 10 }}
{{- else if .Values.containerSecurityContext }}
        securityContext:
{{ toYaml .Values.containerSecurityContext | nindent 10 }}
{{- end }}
{{- end }}
`;
  const values = `containerSecurityContext:
  readOnlyRootFilesystem: true
  runAsUser: 1001
  runAsGroup: 2001
sidecar:
  enabled: false
`;
  const findings = scanChart("owner", {
    "Chart.yaml": "apiVersion: v2\nname: owner\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/deploy.yaml": deploy,
  });

  it("the action in the block of the rendered parent wrote it, not a look-alike in a false `if`", () => {
    const f = one(findings, "low-user-id", "app");
    expect(f.path).toEqual(["spec", "template", "spec", "containers", 0, "securityContext", "runAsUser"]);
    expect(f.template).toMatchObject({
      file: "owner/templates/deploy.yaml",
      line: lineIn(deploy, "toYaml . |"),
    });
    expect(f.template?.valuesUnknown).toBeUndefined();
    expect(f.values).toMatchObject({
      path: "containerSecurityContext.runAsUser",
      line: lineIn(values, "runAsUser"),
    });
    expect(one(findings, "low-group-id", "app").values?.path).toBe("containerSecurityContext.runAsGroup");
  });
});

describe("helm alignment of a bare `-` an include's item starts with", () => {
  // artifact-hub's hub Deployment: `- {{- include "chart.checkDbIsReadyInitContainer" . | nindent 10 }}`
  // renders a bare `-` (not aligned), so the helper's `imagePullPolicy:` was aligned with the next
  // init container's line: its finding named that line, the next container's own `- name:` could
  // no longer be aligned (its findings named the `imagePullPolicy:` line), and the helper's
  // `image:` had "2 actions" (the include and the next container's `image:`) and no values path.
  const helpers = `{{- define "dash.check" -}}
name: check-db
image: {{ .Values.pg.image.repository }}:{{ .Values.pg.image.tag }}
imagePullPolicy: {{ .Values.pullPolicy }}
command: ['sh', '-c', 'until pg_isready; do sleep 2; done;']
{{- end -}}
`;
  const deploy = `${POD_HEAD}      initContainers:
        - {{- include "dash.check" . | nindent 10 }}
        - name: migrator
          image: "{{ .Values.migrator.image.repository }}:{{ .Values.migrator.image.tag }}"
          imagePullPolicy: {{ .Values.pullPolicy }}
      containers:
        - name: app
          image: "nginx:1.25"
`;
  const values = `pullPolicy: IfNotPresent
pg:
  image:
    repository: postgres
    tag: latest
migrator:
  image:
    repository: bitnami/kubectl
    tag: latest
`;
  const findings = scanChart("dash", {
    "Chart.yaml": "apiVersion: v2\nname: dash\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("the helper's `image:` is its own line with its values key", () => {
    const f = one(findings, "image-tag-mutable", "check-db");
    expect(f.template).toMatchObject({
      file: "dash/templates/_helpers.tpl",
      line: lineIn(helpers, "image:"),
    });
    expect(f.values?.path).toBe("pg.image.tag");
  });

  it("the helper's `imagePullPolicy:` is not the next container's line", () => {
    const f = one(findings, "image-pull-policy-not-always", "check-db");
    expect(f.template).toMatchObject({
      file: "dash/templates/_helpers.tpl",
      line: lineIn(helpers, "imagePullPolicy:"),
    });
  });

  it("the next container's findings name its own `- name:` line", () => {
    expect(one(findings, "security-context-missing", "migrator").template).toMatchObject({
      file: "dash/templates/deploy.yaml",
      line: lineIn(deploy, "- name: migrator"),
    });
    expect(one(findings, "image-tag-mutable", "migrator").values?.path).toBe("migrator.image.tag");
  });
});

describe("helm template lines of containers an include writes inside an included pod template", () => {
  // falco: the DaemonSet includes "falco.podTemplate", whose `initContainers:` holds one include
  // per init container (one inside a false `if`). No action of the pod template could be told
  // apart ("3 actions"), so the init containers' `securityContext` findings took the first
  // `securityContext:` line of the pod template by name: the pod's. The include that wrote the
  // item is the one whose body the rendered item aligns with, and its line that writes the
  // finding's key (or item) is the template line.
  const helpers = `{{- define "pt.podTemplate" -}}
metadata:
  labels:
    app: app
spec:
  {{- with .Values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: app
      image: "nginx:1.25"
      securityContext:
        {{- include "pt.securityContext" . | nindent 8 }}
  initContainers:
  {{- if .Values.gvisor.enabled }}
    {{- include "pt.gvisor" . | nindent 4 }}
  {{- end }}
    {{- include "pt.loader" . | nindent 4 }}
    {{- include "pt.install" . | nindent 4 }}
  volumes:
    - name: dev
      hostPath:
        path: /dev
{{- end -}}
{{- define "pt.securityContext" -}}
{{- $sc := dict -}}
{{- if .Values.privileged -}}
{{- $sc := set $sc "privileged" true -}}
{{- end -}}
{{- toYaml $sc }}
{{- end -}}
{{- define "pt.gvisor" -}}
- name: gvisor
  image: "busybox:1.36"
  securityContext:
    privileged: true
{{- end -}}
{{- define "pt.loader" -}}
- name: loader
  image: "busybox:1.36"
  securityContext:
  {{- if .Values.loader.securityContext }}
    {{- toYaml .Values.loader.securityContext | nindent 4 }}
  {{- end }}
  volumeMounts:
    - mountPath: /host/proc
      name: proc
      readOnly: true
    - mountPath: /host/dev
      name: dev
{{- end -}}
{{- define "pt.install" -}}
- name: install
  image: "busybox:1.36"
  securityContext:
  {{- if .Values.install.securityContext }}
    {{- toYaml .Values.install.securityContext | nindent 4 }}
  {{- end }}
{{- end -}}
`;
  const daemonset = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: pt
spec:
  selector:
    matchLabels:
      app: app
  template:
    {{- include "pt.podTemplate" . | nindent 4 }}
`;
  const values = `podSecurityContext:
  runAsNonRoot: true
privileged: true
gvisor:
  enabled: false
loader:
  securityContext: {}
install:
  securityContext: {}
`;
  const findings = scanChart("pt", {
    "Chart.yaml": "apiVersion: v2\nname: pt\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/daemonset.yaml": daemonset,
  });
  /** 1-based line of the first line containing `needle` after the line containing `after`. */
  const lineAfter = (after: string, needle: string): number => {
    const lines = helpers.split("\n");
    const from = lines.findIndex((l) => l.includes(after));
    const i = lines.findIndex((l, j) => j > from && l.includes(needle));
    if (from === -1 || i === -1) throw new Error(`${needle} after ${after} not in the helpers`);
    return i + 1;
  };

  it("each init container's securityContext finding names its own helper's `securityContext:` line", () => {
    for (const name of ["loader", "install"]) {
      const f = one(findings, "privilege-escalation", name);
      expect(f.path.at(-1)).toBe("securityContext");
      expect(f.template).toMatchObject({
        file: "pt/templates/_helpers.tpl",
        line: lineAfter(`define "pt.${name}"`, "securityContext:"),
      });
      expect(f.values?.path).toBe(`${name}.securityContext.allowPrivilegeEscalation`);
    }
    expect(lineAfter(`define "pt.loader"`, "securityContext:")).not.toBe(lineIn(helpers, "securityContext:"));
  });

  it("a field a helper inside the pod template writes names that helper's include, not the pod template's", () => {
    // falco's `privileged: true` (`include "falco.securityContext" .`, whose body builds the map
    // with `set`) named the DaemonSet's `include "falco.podTemplate"` line: the action inside the
    // helpers that wrote it is nearer (here the `toYaml $sc` that writes the map).
    const f = one(findings, "privileged-container", "app");
    expect(f.template).toMatchObject({
      file: "pt/templates/_helpers.tpl",
      line: lineIn(helpers, "toYaml $sc"),
    });
    expect(f.values).toBeUndefined();
  });

  it("a list item the helper writes names its own item line", () => {
    const f = one(findings, "writable-host-path", "loader");
    expect(f.path.slice(-2)).toEqual(["volumeMounts", 1]);
    expect(f.template).toMatchObject({
      file: "pt/templates/_helpers.tpl",
      line: lineIn(helpers, "- mountPath: /host/dev"),
    });
  });
});

describe("helm alignment keeps a template's own lines at their indentation", () => {
  // gitlab's webservice: the pod's `securityContext:` is written by
  // `include "gitlab.podSecurityContext" $.Values.securityContext | nindent 6`, and the first
  // static `securityContext:` line after it is the workhorse container's, further down and
  // deeper: the rendered pod line was aligned with it, so the pod's `runAsUser`/`fsGroup`
  // findings named the container's line (and a pod finding got the container's values key).
  // A line of the template outside every `define` is written with its own indentation.
  const helpers = `{{- define "ind.podSecurityContext" -}}
{{- $psc := . }}
{{- if $psc }}
securityContext:
{{- if not (empty $psc.runAsUser) }}
  runAsUser: {{ $psc.runAsUser }}
{{- end }}
{{- end }}
{{- end -}}
`;
  const deploy = `${POD_HEAD}      {{- include "ind.podSecurityContext" .Values.securityContext | nindent 6 }}
      containers:
        - name: app
          image: "nginx:1.25"
          {{- if .Values.app.containerSecurityContext }}
          securityContext:
            {{- toYaml .Values.app.containerSecurityContext | nindent 12 }}
          {{- end }}
`;
  const values = `securityContext:
  runAsUser: 1000
app:
  containerSecurityContext:
    allowPrivilegeEscalation: false
`;
  const findings = scanChart("ind", {
    "Chart.yaml": "apiVersion: v2\nname: ind\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("the pod's `securityContext` written by a helper is not the container's `securityContext:` line", () => {
    const hits = findings.filter((f) => f.ruleId === "low-user-id" && f.container === undefined);
    expect(hits).toHaveLength(1);
    const f = hits[0] as Finding;
    expect(f.path).toEqual(["spec", "template", "spec", "securityContext", "runAsUser"]);
    expect(f.template).toMatchObject({
      file: "ind/templates/_helpers.tpl",
      line: lineIn(helpers, "runAsUser:"),
    });
    // The pod's key, which the helper is given as its argument (not the container's block).
    expect(f.values?.path).toBe("securityContext.runAsUser");
  });
});

describe("helm alignment of the lines of an item an include wrote", () => {
  // gitlab's registry, toolbox, gitlab-shell, gitlab-exporter: `{{- include
  // "gitlab.certificates.initContainer" . | nindent 8 }}` writes the first init container, then
  // `- name: configure` follows. The helper's `resources:` was aligned with the `resources:` of a
  // later init container (inside a false `if`), which carried the alignment past `- name:
  // configure`: its findings named that other container's `resources:` line ("no action of the
  // template could be matched"). The lines below an item an action among the items wrote are
  // that action's, none of the template's.
  const helpers = `{{- define "sh.certs" -}}
- name: certificates
  image: "busybox:1.36"
  resources:
    {{- toYaml .Values.init.resources | nindent 4 }}
{{- end -}}
`;
  const deploy = `${POD_HEAD}      initContainers:
        {{- include "sh.certs" . | nindent 8 }}
        - name: configure
          image: "busybox:1.36"
          command: ["sh", "/config/configure"]
        {{- if .Values.database.enabled }}
        - name: dependencies
          image: "busybox:1.36"
          resources:
            {{- toYaml .Values.init.resources | nindent 12 }}
        {{- end }}
      containers:
        - name: app
          image: "nginx:1.25"
`;
  const findings = scanChart("sh", {
    "Chart.yaml": "apiVersion: v2\nname: sh\nversion: 0.1.0\n",
    "values.yaml": "init:\n  resources: {}\ndatabase:\n  enabled: false\n",
    "templates/_helpers.tpl": helpers,
    "templates/deploy.yaml": deploy,
  });

  it("the next container's findings name its own `- name:` line", () => {
    const f = one(findings, "security-context-missing", "configure");
    expect(f.template).toMatchObject({
      file: "sh/templates/deploy.yaml",
      line: lineIn(deploy, "- name: configure"),
    });
    expect(f.template?.valuesUnknown).toBeUndefined();
  });

  it("the helper's item keeps its values path", () => {
    expect(one(findings, "cpu-limit-missing", "certificates").values?.path).toBe("init.resources.limits.cpu");
  });
});
