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
});
