// Alignment of rendered lines with template lines (issue 8 item 1): when two template lines could
// have written a rendered line, the one whose block holds its children wrote it. Regression for
// the corpus's alertmanager: its sidecar's `- name: {{ .Chart.Name }}-{{ ... }}` sits inside a false
// `if`, and the main container's `- name: {{ .Chart.Name }}` was aligned with it, so the main
// container's missing limits got the sidecar's values path. The chart is test/helm/fixtures/align.
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";
import { FIXTURES, fixtureLine as lineOf } from "./fixture-line.js";

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
