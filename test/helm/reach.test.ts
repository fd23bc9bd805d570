// Values paths for findings a values key can reach (issue 8 item 1): a rule that reports a missing
// setting at the container or pod that lacks it still gets the values key that would set it, and a
// field the template writes itself gets none. The chart is test/helm/fixtures/reach; each expected
// path was checked by rendering the chart with that key set (tools/helm-values-probe.ts does so on
// the corpus).
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";
import { FIXTURES, fixtureLine as lineOf } from "./fixture-line.js";

describe("helm values paths a values key can reach", () => {
  const findings = scan({ paths: ["reach"], cwd: FIXTURES, configFile: false }).findings;
  const of = (rule: string, name: string, container?: string): Finding => {
    const hits = findings.filter(
      (f) =>
        f.ruleId === rule &&
        f.resource?.name === name &&
        (container === undefined || f.container === container),
    );
    expect(hits, `${rule} on ${name}`).toHaveLength(1);
    return hits[0] as Finding;
  };

  it("a container without securityContext: the fix's field under `with .Values.securityContext`", () => {
    const f = of("read-only-root-filesystem", "with-block");
    // Reported at the container (it has no securityContext), mapped through the field the fix sets.
    expect(f.path).toEqual(["spec", "template", "spec", "containers", 0]);
    expect(f.template?.line).toBe(lineOf("reach/templates/with-block.yaml", "- name: app"));
    expect(f.values).toEqual({
      path: "securityContext.readOnlyRootFilesystem",
      file: "reach/values.yaml",
      line: lineOf("reach/values.yaml", "securityContext: {}"),
    });
    expect(of("privilege-escalation", "with-block").values?.path).toBe(
      "securityContext.allowPrivilegeEscalation",
    );
    expect(of("seccomp-profile", "with-block").values?.path).toBe("securityContext.seccompProfile");
  });

  it("a missing key below a `toYaml .Values.x` block: the key in that block, not the block itself", () => {
    const f = of("privilege-escalation", "partial-block", "app");
    expect(f.path).toEqual(["spec", "template", "spec", "containers", 0, "securityContext"]);
    expect(f.values).toEqual({
      path: "containerSecurityContext.allowPrivilegeEscalation",
      file: "reach/values.yaml",
      line: lineOf("reach/values.yaml", "containerSecurityContext:"),
    });
    // `securityContext: {{- omit .Values.x "enabled" | toYaml }}` on one line (Bitnami): the
    // block's path alone (`sidecarSecurityContext`) does not say which key to add.
    expect(of("read-only-root-filesystem", "partial-block", "sidecar").values?.path).toBe(
      "sidecarSecurityContext.readOnlyRootFilesystem",
    );
  });

  it("a rule without a fix names the missing setting: securityContext, livenessProbe", () => {
    const container = findings.find(
      (f) =>
        f.ruleId === "security-context-missing" && f.resource?.name === "with-block" && f.container === "app",
    );
    expect(container?.values?.path).toBe("securityContext");
    const pod = findings.find(
      (f) =>
        f.ruleId === "security-context-missing" &&
        f.resource?.name === "with-block" &&
        f.container === undefined,
    );
    expect(pod?.values).toEqual({
      path: "podSecurityContext",
      file: "reach/values.yaml",
      line: lineOf("reach/values.yaml", "podSecurityContext: {}"),
    });
    expect(of("liveness-probe-missing", "with-block").values?.path).toBe("livenessProbe");
    expect(of("net-raw-capability", "with-block").values?.path).toBe("securityContext.capabilities.drop");
  });

  it("a pod-level field in a helper that writes the whole pod spec: the pod's block, not a container's", () => {
    // The helper's first `securityContext:` is the container's (helperSecurityContext); the pod's
    // is the one at the top of the helper's output.
    const f = of("apparmor-profile", "helper-pod");
    expect(f.values).toEqual({
      path: "podSecurityContext.appArmorProfile",
      file: "reach/values.yaml",
      line: lineOf("reach/values.yaml", "podSecurityContext: {}"),
    });
  });

  it("a container inside a helper's `containers:` list: its item found by the rendered `- name:` line", () => {
    // The container comes from the helper, so its line is not aligned in the Deployment's template:
    // the mapping goes through `include`, `containers:` and the item whose text `- name: app` is.
    const f = of("read-only-root-filesystem", "helper-pod", "app");
    expect(f.template?.file).toBe("reach/templates/_helpers.tpl");
    expect(f.values).toEqual({
      path: "helperSecurityContext.readOnlyRootFilesystem",
      file: "reach/values.yaml",
      line: lineOf("reach/values.yaml", "helperSecurityContext: {}"),
    });
  });

  it("a dynamic item line is not taken for an item an include beside it wrote", () => {
    // `- name: {{ .Chart.Name }}-main` starts like the sidecar's `- name: sidecar`, which the
    // include wrote: the sidecar's missing resources are not the main container's `resources`.
    expect(of("cpu-limit-missing", "helper-pod", "sidecar").values).toBeUndefined();
  });

  it("a list a template writes (toYaml of a values list) never takes a missing pod-level key", () => {
    // `tolerations:` then `{{- toYaml . | nindent 6 }}` at the key's own indentation writes list
    // items, not keys of the pod spec; `volumes` defaults to a list.
    for (const rule of ["apparmor-profile", "service-account-token-automount"])
      expect(of(rule, "list-action").values, rule).toBeUndefined();
    const pod = findings.find(
      (f) =>
        f.ruleId === "security-context-missing" &&
        f.resource?.name === "list-action" &&
        f.container === undefined,
    );
    expect(pod?.values).toBeUndefined();
  });

  it("a field the template writes itself gets no values path", () => {
    expect(of("service-account-token-automount", "with-block").values).toBeUndefined();
    // No template line writes readinessProbe: no values key can reach it.
    expect(of("readiness-probe-missing", "with-block").values).toBeUndefined();
  });
});
