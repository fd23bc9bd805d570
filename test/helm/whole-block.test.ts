// A finding on an existing map that a bare key line's block writes whole from a values block
// (`securityContext:` then `toYaml .Values.containerSecurityContext`): its values path is that block
// (gitea, kube-prometheus-stack, consul; issue 8 item 1). A block with more than that one action
// gets none.
import { describe, expect, it } from "vitest";
import { containerSecurityContextHelper, deploymentTemplate, scanSmallChart } from "./small-chart.js";

const hardening = (block: string[], helpers: string[] = []) =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": "containerSecurityContext:\n  runAsNonRoot: true\nextra:\n  privileged: false\n",
    "templates/_helpers.tpl": helpers.join("\n") + "\n",
    "templates/deploy.yaml": deploymentTemplate("app", [
      "containers:",
      "  - name: app",
      "    image: busybox:1.36",
      ...block.map((l) => `    ${l}`),
    ]),
  })
    .filter((f) => f.ruleId === "linux-hardening-missing")
    .map((f) => [f.template?.line, f.values?.path, f.values?.line]);

describe("values path of a map written whole by one toYaml", () => {
  it("names the values block that writes the container's securityContext", () => {
    expect(
      hardening(["securityContext:", "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}"]),
    ).toEqual([[15, "containerSecurityContext", 1]]);
  });

  it("also inside an if on the same block", () => {
    expect(
      hardening([
        "securityContext:",
        "  {{- if .Values.containerSecurityContext }}",
        "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}",
        "  {{- end }}",
      ]),
    ).toEqual([[15, "containerSecurityContext", 1]]);
  });

  it("gives none when another action writes into the block too", () => {
    expect(
      hardening([
        "securityContext:",
        "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}",
        "  {{- toYaml .Values.extra | nindent 12 }}",
      ]),
    ).toEqual([[15, undefined, undefined]]);
  });

  it("names it through a helper's body given the root context (gitlab's containerSecurityContext)", () => {
    expect(
      hardening(['{{- include "small.csc" . | indent 10 }}'], containerSecurityContextHelper("small.csc")),
    ).toEqual([[3, "containerSecurityContext", 1]]);
  });
});
