// The probe that measures the values mapping (tools/helm-values-probe.ts) counts a values key as
// reaching a field only when the key controls it: a map set below a key that a template writes
// where a list belongs (`env:`, `volumes:`) renders as YAML of its own at the wrong indentation
// (rancher's `extraEnv.securityContext` became the container's `securityContext:`), which is YAML
// injection, not a values key of the field (issue 8 item 1, the honesty of the measure).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";
import { probeChart } from "../../tools/helm-values-probe.js";
import { deploymentTemplate } from "./small-chart.js";

describe("helm values probe: what counts as reaching a field", () => {
  it("no key below a key the template writes as list items (`env:`, `volumes:`) reaches a field", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-probe-"));
    try {
      const chart = join(dir, "small");
      mkdirSync(join(chart, "templates"), { recursive: true });
      writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: small\nversion: 0.1.0\n");
      // `extraEnv` has no default (documented as a list in a comment), `securityContext` is a map.
      writeFileSync(
        join(chart, "values.yaml"),
        "securityContext: {}\n# extraEnv:\n# - name: A\n#   value: b\n",
      );
      writeFileSync(
        join(chart, "templates", "app.yaml"),
        deploymentTemplate("app", [
          "containers:",
          "- name: app",
          "  image: busybox:1.36",
          "  env:",
          "  - name: MODE",
          "    value: x",
        ]) + "{{- if .Values.extraEnv }}\n{{ toYaml .Values.extraEnv | indent 8}}\n{{- end }}\n",
      );
      const findings = scan({ paths: ["small"], cwd: dir, configFile: false }).findings.filter(
        (f) => f.ruleId === "security-context-missing" && f.container === "app",
      );
      expect(findings).toHaveLength(1);
      const result = probeChart(chart, [], findings);
      // (Before: `extraEnv.securityContext`, a map set where the chart expects a list.)
      expect(result.get(findings[0] as Finding)).toEqual({ reached: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Each case below is a small chart rendered by the real helm: the finding is probed and the
  // result compared with what the render shows.
  const probeSmall = (
    files: Record<string, string>,
    pick: (f: Finding) => boolean,
    edit: (f: Finding) => Finding = (f) => f,
  ): { f: Finding; result: unknown }[] => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-probe-"));
    try {
      for (const [file, text] of Object.entries(files)) {
        const path = join(dir, "small", file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      const findings = scan({ paths: ["small"], cwd: dir, configFile: false })
        .findings.filter(pick)
        .map(edit);
      const result = probeChart(join(dir, "small"), [], findings);
      return findings.map((f) => ({ f, result: result.get(f) }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const CHART = "apiVersion: v2\nname: small\nversion: 0.1.0\n";
  /** A manifest: its apiVersion, kind and name, then `body` (lines at the top level). */
  const manifest = (apiVersion: string, kind: string, name: string, body: string[]) =>
    [`apiVersion: ${apiVersion}`, `kind: ${kind}`, "metadata:", `  name: ${name}`, ...body, ""].join("\n");
  // (Pod spec lines written at their indentation in the template.)
  const pod = (name: string, spec: string[]) =>
    deploymentTemplate(
      name,
      spec.map((l) => l.replace(/^ {6}/, "")),
    );

  it("an RBAC rule's grant: hard-coded rules are decided, rules from a values list reach by the list's keys", () => {
    const role = (name: string, rules: string[]) =>
      manifest("rbac.authorization.k8s.io/v1", "Role", name, ["rules:", ...rules]);
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": 'extraRules:\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get]\n',
        "templates/fixed.yaml": role("fixed", [
          '- apiGroups: [""]',
          "  resources: [secrets]",
          "  verbs: [get, list]",
        ]),
        "templates/fromvalues.yaml": role("fromvalues", ["{{- toYaml .Values.extraRules | nindent 0 }}"]),
      },
      (f) => f.ruleId === "rbac-secrets-access",
    );
    const of = (name: string) => out.find((x) => x.f.resource?.name === name)?.result;
    // (Before: both "the rule names a container or pod, not a field", unsure.)
    expect(of("fixed")).toEqual({ reached: [] });
    const reached = (of("fromvalues") as { reached: string[] } | undefined)?.reached ?? [];
    expect(reached).toContain("extraRules");
    expect(reached).toContain("extraRules[0].verbs[0]");
    expect(reached).toContain("extraRules[0].resources[0]");
  });

  it("an added capability: a values list of capabilities reaches it, a literal one is hard-coded", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "caps:\n  - NET_ADMIN\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: fromvalues",
          "        image: busybox:1.36",
          "        securityContext:",
          "          capabilities:",
          "            add:",
          "            {{- toYaml .Values.caps | nindent 12 }}",
          "      - name: fixed",
          "        image: busybox:1.36",
          "        securityContext:",
          "          capabilities:",
          "            add: [SYS_TIME]",
        ]),
      },
      (f) => f.ruleId === "added-capabilities",
    );
    expect(out).toHaveLength(2);
    expect(out.find((x) => x.f.container === "fromvalues")?.result).toEqual({ reached: ["caps", "caps[0]"] });
    expect(out.find((x) => x.f.container === "fixed")?.result).toEqual({ reached: [] });
  });

  it("a binding to cluster-admin is about its role: a key whose default is the role's name reaches it", () => {
    const binding = (name: string, role: string) =>
      manifest("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", name, [
        "roleRef:",
        "  apiGroup: rbac.authorization.k8s.io",
        "  kind: ClusterRole",
        `  name: ${role}`,
        "subjects:",
        "- kind: ServiceAccount",
        "  name: app",
        "  namespace: default",
      ]);
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "rbac:\n  role: cluster-admin\n",
        "templates/fromvalues.yaml": binding("fromvalues", "{{ .Values.rbac.role }}"),
        "templates/fixed.yaml": binding("fixed", "cluster-admin"),
      },
      (f) => f.ruleId === "cluster-admin-binding",
    );
    expect(out.find((x) => x.f.resource?.name === "fromvalues")?.result).toEqual({ reached: ["rbac.role"] });
    expect(out.find((x) => x.f.resource?.name === "fixed")?.result).toEqual({ reached: [] });
  });

  it("a boolean key's marker (true in an `if`) does not hide what the other candidates write", () => {
    // `sc.privileged` is a candidate (a container's `privileged` is a finding's field); set to a
    // marker in the same render as `sc.caps`, it would take the `if` branch and drop `add`.
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "sc:\n  privileged: false\n  caps:\n    - NET_ADMIN\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        securityContext:",
          "          {{- if .Values.sc.privileged }}",
          "          privileged: true",
          "          {{- else }}",
          "          capabilities:",
          "            add:",
          "            {{- toYaml .Values.sc.caps | nindent 12 }}",
          "          {{- end }}",
          "      - name: other",
          "        image: busybox:1.36",
          "        securityContext:",
          "          privileged: true",
        ]),
      },
      (f) => f.ruleId === "added-capabilities" || f.ruleId === "privileged-container",
    );
    expect(out.map((x) => x.f.ruleId).sort()).toEqual(["added-capabilities", "privileged-container"]);
    expect(out.find((x) => x.f.ruleId === "added-capabilities")?.result).toEqual({
      reached: ["sc.caps", "sc.caps[0]"],
    });
  });

  it("a key the chart does not render with as a string is set as its type says: a number, a flipped boolean", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        // `replicas` has no default; `automountServiceAccountToken` is a boolean that only `ternary` reads.
        "values.yaml": "sa:\n  automountServiceAccountToken: true\n",
        "templates/app.yaml": [
          "{{- if eq (default 1.0 .Values.replicas) 1.0 }}",
          "# one replica",
          "{{- end }}",
          pod("app", [
            "      automountServiceAccountToken: {{ ternary true false .Values.sa.automountServiceAccountToken }}",
            "      containers:",
            "      - name: app",
            "        image: busybox:1.36",
          ]).replace(
            "spec:\n  selector",
            "spec:\n  replicas: {{ .Values.replicas | default 1 }}\n  selector",
          ),
        ].join("\n"),
      },
      (f) => f.ruleId === "too-few-replicas" || f.ruleId === "service-account-token-automount",
      // The probe checks the finding's own values path too: give the replicas finding one.
      (f) => (f.ruleId === "too-few-replicas" ? { ...f, values: { path: "replicas" } } : f),
    );
    expect(out.map((x) => x.f.ruleId).sort()).toEqual([
      "service-account-token-automount",
      "too-few-replicas",
    ]);
    // (Before: "the chart does not render with 1 candidate keys set alone (replicas)".)
    expect(out.find((x) => x.f.ruleId === "too-few-replicas")?.result).toEqual({ reached: ["replicas"] });
    expect(out.find((x) => x.f.ruleId === "service-account-token-automount")?.result).toEqual({
      reached: ["sa.automountServiceAccountToken"],
    });
  });

  it("a subchart's finding is probed with its own keys and `global`, not a sibling's", () => {
    const sub = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;
    const out = probeSmall(
      {
        "Chart.yaml": CHART + "dependencies:\n- name: a\n  version: 0.1.0\n- name: b\n  version: 0.1.0\n",
        "values.yaml": "{}\n",
        "charts/a/Chart.yaml": sub("a"),
        // A map of `a` below which a key named like b's field breaks the render, whatever its type.
        "charts/a/values.yaml": "config: {}\n",
        "charts/a/templates/cm.yaml":
          '{{- if .Values.config.readOnlyRootFilesystem }}{{ fail "not here" }}{{ end }}\n' +
          manifest("v1", "ConfigMap", "a", ["data:", "  x: {{ .Values.config | toJson | quote }}"]),
        "charts/b/Chart.yaml": sub("b"),
        "charts/b/values.yaml": "global: {}\n",
        "charts/b/templates/app.yaml": pod("b", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
        ]),
      },
      (f) => f.ruleId === "read-only-root-filesystem" && f.resource?.name === "b",
    );
    expect(out).toHaveLength(1);
    // (Before: "the chart does not render with 1 candidate keys set alone (a.config.readOnlyRootFilesystem)".)
    expect(out[0]?.result).toEqual({ reached: [] });
  });

  it("a finding on a container with no field named stays unsure: a marker in its image is no reach", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "image: busybox:1.36\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: {{ .Values.image }}",
        ]),
      },
      (f) => f.ruleId === "read-only-root-filesystem",
      // The same finding as a rule that names no field would report it: at the container.
      (f) => {
        const at: Finding = { ...f, path: ["spec", "template", "spec", "containers", 0], exact: true };
        delete at.fix;
        return at;
      },
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.result).toEqual({ reached: [], unsure: "the rule names a container or pod, not a field" });
  });

  // Own values paths that no marker reached in the render of all of them (issue 8 item 1: the
  // probe decides each path it is given: confirmed by its own marker, or contradicted).
  const result = (x: { result: unknown } | undefined) => x?.result as { reached: string[]; gate?: string };

  it("an own path in an `if` another own path switches is rendered on its own (vault's `injector.uid`)", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "sc:\n  pod: {}\n",
        "templates/app.yaml": pod("app", [
          "      {{- if .Values.sc.pod }}",
          "      securityContext:",
          "        {{- toYaml .Values.sc.pod | nindent 8 }}",
          "      {{- else }}",
          "      securityContext:",
          "        runAsUser: {{ .Values.uid | default 100 }}",
          "      {{- end }}",
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
        ]),
      },
      (f) => f.ruleId === "low-user-id" || (f.ruleId === "apparmor-profile" && f.container === undefined),
      // Another finding's path below `sc.pod` makes `sc.pod` non-empty in the render of all own paths.
      (f) => ({ ...f, values: { path: f.ruleId === "low-user-id" ? "uid" : "sc.pod.appArmorProfile" } }),
    );
    expect(out.map((x) => x.f.ruleId).sort()).toEqual(["apparmor-profile", "low-user-id"]);
    const low = out.find((x) => x.f.ruleId === "low-user-id");
    // (Before: `{ reached: [] }`, unconfirmed.)
    expect(result(low).reached).toContain("uid");
  });

  // Bitnami's container securityContext: the block less its `enabled`, written when that is true.
  const BITNAMI_APP = pod("app", [
    "      containers:",
    "      - name: app",
    "        image: busybox:1.36",
    "        {{- if .Values.containerSecurityContext.enabled }}",
    '        securityContext: {{- omit .Values.containerSecurityContext "enabled" | toYaml | nindent 10 }}',
    "        {{- end }}",
  ]);

  it("a path below a block an `enabled: false` key gates is confirmed with the gate flipped, and says so", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "containerSecurityContext:\n  enabled: false\n  runAsUser: 1001\n",
        "templates/app.yaml": BITNAMI_APP,
      },
      (f) => f.ruleId === "privilege-escalation",
      (f) => ({ ...f, values: { path: "containerSecurityContext.allowPrivilegeEscalation" } }),
    );
    expect(out).toHaveLength(1);
    // (Before: `{ reached: [] }`.)
    expect(result(out[0])).toEqual({
      reached: ["containerSecurityContext.allowPrivilegeEscalation"],
      gate: "containerSecurityContext.enabled",
    });
  });

  it("a pod without serviceAccountName is probed at that field; a `create: false` gate is flipped", () => {
    // pgadmin4: the ServiceAccount's name is written only when the chart creates it.
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": 'serviceAccount:\n  create: false\n  name: ""\n',
        "templates/app.yaml": pod("app", [
          "      {{- if .Values.serviceAccount.create }}",
          '      serviceAccountName: {{ default "app" .Values.serviceAccount.name }}',
          "      {{- end }}",
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
        ]),
      },
      (f) => f.ruleId === "default-service-account",
    );
    expect(out.map((x) => x.f.values?.path)).toEqual(["serviceAccount.name"]);
    // (Before: `{ reached: [] }`, the field being the pod spec and no gate but `enabled` tried.)
    expect(result(out[0])).toEqual({ reached: ["serviceAccount.name"], gate: "serviceAccount.create" });
  });

  it("an existing map is reached by the block whose keys render in it; pod labels are not", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "containerSecurityContext:\n  enabled: true\n  runAsUser: 1001\npodLabels: {}\n",
        "templates/app.yaml": BITNAMI_APP.replace(
          "labels: {app: x}\n    spec:",
          "labels:\n        app: x\n        {{- with .Values.podLabels }}{{ toYaml . | nindent 8 }}{{ end }}\n    spec:",
        ),
      },
      (f) => f.ruleId === "linux-hardening-missing" || f.ruleId === "workload-without-network-policy",
      (f) =>
        f.ruleId === "linux-hardening-missing" ? { ...f, values: { path: "containerSecurityContext" } } : f,
    );
    expect(out.map((x) => x.f.ruleId).sort()).toEqual([
      "linux-hardening-missing",
      "workload-without-network-policy",
    ]);
    // (Before: `{ reached: [] }`: an existing map was no field a values key sets.)
    expect(result(out.find((x) => x.f.ruleId === "linux-hardening-missing")).reached).toContain(
      "containerSecurityContext",
    );
    expect(result(out.find((x) => x.f.ruleId === "workload-without-network-policy"))).toEqual({
      reached: [],
    });
  });

  it("a whole map is reached only by a key whose fresh keys render in it, not by keys the template names", () => {
    // artifact-hub's postgresql: a literal `securityContext:` whose one key reads a values key
    // (a marker at `vp.securityContext.runAsUser` renders at `securityContext.runAsUser`), next to
    // a container whose `securityContext` is a values block written whole.
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "vp:\n  securityContext:\n    runAsUser: 0\ncsc:\n  runAsUser: 1001\n",
        "templates/app.yaml": pod("app", [
          "      initContainers:",
          "      - name: perms",
          "        image: busybox:1.36",
          "        securityContext:",
          "          runAsUser: {{ .Values.vp.securityContext.runAsUser }}",
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        securityContext:",
          "          {{- toYaml .Values.csc | nindent 10 }}",
        ]),
      },
      (f) => f.ruleId === "linux-hardening-missing" || f.ruleId === "run-as-root",
    );
    const hardening = (container: string) =>
      result(out.find((x) => x.f.ruleId === "linux-hardening-missing" && x.f.container === container));
    expect(out.filter((x) => x.f.ruleId === "linux-hardening-missing")).toHaveLength(2);
    // (Before: `{ reached: ["vp.securityContext"] }`: no values key adds `seccompProfile` there.)
    expect(hardening("perms")).toEqual({ reached: [] });
    expect(hardening("app").reached).toContain("csc");
    // The scalar field itself is still reached by the key the template names.
    const root = out.find((x) => x.f.ruleId === "run-as-root" && x.f.container === "perms");
    expect(result(root).reached).toContain("vp.securityContext.runAsUser");
  });

  it("a missing probe is reached by the keys its template names (cert-manager's `livenessProbe.enabled`)", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "livenessProbe:\n  enabled: false\n  periodSeconds: 10\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        {{- with .Values.livenessProbe }}",
          "        {{- if .enabled }}",
          "        livenessProbe:",
          "          httpGet: {port: 8080, path: /livez}",
          "          periodSeconds: {{ .periodSeconds }}",
          "        {{- end }}",
          "        {{- end }}",
        ]),
      },
      (f) => f.ruleId === "liveness-probe-missing",
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.f.values?.path).toBe("livenessProbe");
    // No fresh key below `livenessProbe` renders, yet setting its keys writes the probe.
    expect(result(out[0]).reached).toContain("livenessProbe");
  });

  it("a `with` whose body is a key line after a list's items is a map block, not list items", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "{}\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "        - name: app",
          "          image: busybox:1.36",
          "      {{- with .Values.podSecurityContext }}",
          "      securityContext:",
          "        {{- toYaml . | nindent 8 }}",
          "      {{- end }}",
        ]),
      },
      (f) => f.ruleId === "apparmor-profile" && f.container === undefined,
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.f.values?.path).toBe("podSecurityContext.appArmorProfile");
    // (Before: `{ reached: [] }`: `podSecurityContext` was taken for a list below `containers:`.)
    expect(result(out[0]).reached).toContain("podSecurityContext.appArmorProfile");
  });

  it("an object whose name has a random part is found again in each render (elasticsearch's test pod)", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "podSecurityContext:\n  runAsUser: 100\n",
        "templates/test.yaml": manifest("v1", "Pod", '"test-{{ randAlpha 5 | lower }}"', [
          "spec:",
          "  securityContext:",
          "{{ toYaml .Values.podSecurityContext | indent 4 }}",
          "  containers:",
          "  - name: app",
          "    image: busybox:1.36",
        ]),
      },
      (f) => f.ruleId === "low-user-id",
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.f.values?.path).toBe("podSecurityContext.runAsUser");
    // (Before: `{ reached: [] }`: no render had an object of the finding's name.)
    expect(result(out[0]).reached).toContain("podSecurityContext.runAsUser");
  });

  it("a path into a list of the defaults is rendered as a marked copy of the list; a missing key goes in the item", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml":
          "mounts:\n  - name: run\n    mountPath: /run/x\nvols:\n  - name: run\n    hostPath:\n      path: /run/x\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        volumeMounts:",
          "        {{- toYaml .Values.mounts | nindent 8 }}",
          "      volumes:",
          "      {{- toYaml .Values.vols | nindent 6 }}",
        ]),
      },
      (f) => f.ruleId === "host-path-volume" || f.ruleId === "writable-host-path",
    );
    expect(out.map((x) => [x.f.ruleId, x.f.values?.path]).sort()).toEqual([
      ["host-path-volume", "vols[0].hostPath"],
      ["writable-host-path", "mounts[0]"],
    ]);
    // (Before: `{ reached: [] }` for both: a path with a list index was never rendered.)
    for (const x of out) expect(result(x).reached).toContain(x.f.values?.path);
  });

  it("a path naming a map above the key that reaches the field is contradicted by that key", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "test:\n  image:\n    repository: busybox\n    tag: latest\n",
        "templates/_helpers.tpl": '{{- define "small.image" -}}{{ .repository }}:{{ .tag }}{{- end -}}\n',
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          '        image: {{ include "small.image" .Values.test.image | quote }}',
        ]),
      },
      (f) => f.ruleId === "image-tag-mutable",
      (f) => ({ ...f, values: { path: "test.image" } }),
    );
    expect(out).toHaveLength(1);
    // (Before: `{ reached: [] }`, unconfirmed: the map's own marker breaks the helper.)
    expect(result(out[0]).reached).toContain("test.image.tag");
    expect(result(out[0]).reached).not.toContain("test.image");
  });

  it("an own path whose string marker renders elsewhere than at the field is set as its type says (`| int`)", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "replicas: 1\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
        ]).replace("spec:\n  selector", "spec:\n  replicas: {{ .Values.replicas | int }}\n  selector"),
      },
      (f) => f.ruleId === "too-few-replicas",
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.f.values?.path).toBe("replicas");
    // (Before: `{ reached: [] }`: `kwp0x | int` renders 0.)
    expect(result(out[0]).reached).toEqual(["replicas"]);
  });

  it("a serviceAccountName a helper writes from `.Values.serviceAccount.name` is reached by that key", () => {
    // Bitnami's `postgresql.serviceAccountName` (airflow's postgresql subchart): the helper reads
    // `serviceAccount.create` and `serviceAccount.name`, neither named like the field. The object's
    // name comes from `fullnameOverride`, a key the templates name too: set with the others, its
    // marker renames the Deployment, which that render then lacks.
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": 'fullnameOverride: ""\nserviceAccount:\n  create: false\n  name: ""\n',
        "templates/_helpers.tpl": [
          '{{- define "small.fullname" -}}{{ default "small-app" .Values.fullnameOverride }}{{- end -}}',
          '{{- define "small.serviceAccountName" -}}',
          "{{- if .Values.serviceAccount.create -}}",
          '{{ default (include "small.fullname" .) .Values.serviceAccount.name }}',
          "{{- else -}}",
          '{{ default "default" .Values.serviceAccount.name }}',
          "{{- end -}}",
          "{{- end -}}",
          "",
        ].join("\n"),
        "templates/app.yaml": pod("app", [
          '      serviceAccountName: {{ include "small.serviceAccountName" . }}',
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
        ]).replace("  name: app", '  name: {{ include "small.fullname" . }}'),
      },
      (f) => f.ruleId === "default-service-account",
    );
    expect(out).toHaveLength(1);
    // (The mapping names the key every branch's `default` writes: test/helm/helper-default.test.ts.
    // It named none before, and the probe's candidates found the key it missed.)
    expect(out[0]?.f.values?.path).toBe("serviceAccount.name");
    // (Before: `{ reached: [] }`, hard-coded: no candidate set `serviceAccount.name`.)
    expect(result(out[0]).reached).toEqual(["serviceAccount.name"]);
  });

  it("a named scalar key that renders below an existing map is no block of it (argo-cd's `redis.name`)", () => {
    const out = probeSmall(
      {
        "Chart.yaml": CHART,
        "values.yaml": "redis:\n  name: redis\n",
        "templates/app.yaml": pod("app", [
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        env:",
          "        - name: REDIS_PASSWORD",
          "          valueFrom:",
          "            secretKeyRef:",
          "              name: small-{{ .Values.redis.name }}",
          "              key: redis-password",
        ]),
      },
      (f) => f.ruleId === "secret-in-env",
    );
    expect(out).toHaveLength(1);
    // (`redis.name` renders at the map's `name`; counted as a block's key, it made `redis` reach it.)
    expect(result(out[0]).reached).toEqual([]);
  });
});
