// The probe that measures the values mapping (tools/helm-values-probe.ts) counts a values key as
// reaching a field only when the key controls it: a map set below a key that a template writes
// where a list belongs (`env:`, `volumes:`) renders as YAML of its own at the wrong indentation
// (rancher's `extraEnv.securityContext` became the container's `securityContext:`), which is YAML
// injection, not a values key of the field (issue 8 item 1, the honesty of the measure).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";
import { probeChart } from "../../tools/helm-values-probe.js";

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
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: app",
          "spec:",
          "  selector:",
          "    matchLabels: {app: x}",
          "  template:",
          "    metadata:",
          "      labels: {app: x}",
          "    spec:",
          "      containers:",
          "      - name: app",
          "        image: busybox:1.36",
          "        env:",
          "        - name: MODE",
          "          value: x",
          "{{- if .Values.extraEnv }}",
          "{{ toYaml .Values.extraEnv | indent 8}}",
          "{{- end }}",
          "",
        ].join("\n"),
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
});
