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
});
