// The static check of values paths in tools/helm-map-coverage.ts (tools/helm-values-check.ts)
// judges a subchart's path by the subchart's own values.yaml (below its alias) and `global`, as
// helm coalesces them: it called gitlab's `gitlab.gitaly.init.resources.limits.cpu` wrong because
// it read only the top chart's values.yaml (issue 8 item 1, the honesty of the measure).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { chartDefaults, checkValuesPath } from "../../tools/helm-values-check.js";

const chart = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), "kubeward-check-"));
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, "top", file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
};

const finding = (path: string, file: string, line: number): Finding =>
  ({
    ruleId: "cpu-limit-missing",
    path: ["spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"],
    exact: false,
    template: { file, line },
    values: { path },
  }) as unknown as Finding;

describe("static values-path check: subcharts and global", () => {
  const dir = chart({
    "Chart.yaml":
      "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  alias: app\n  version: 0.1.0\n",
    "values.yaml": "app:\n  replicas: 2\nglobal:\n  image:\n    tag: top\n",
    "templates/_helpers.tpl": [
      '{{- define "top.init" -}}',
      "resources:",
      "  {{- toYaml .Values.init.resources | nindent 2 }}",
      "{{- end -}}",
    ].join("\n"),
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.yaml":
      "replicas: 1\ninit:\n  resources: {}\npersistence:\n  size: 1Gi\nglobal:\n  image:\n    tag: sub\n    pullPolicy: Always\n",
    "charts/sub/templates/app.yaml": "resources:\n  {{- toYaml .Values.persistence | nindent 2 }}\n",
  });
  const defaults = chartDefaults(join(dir, "top"));
  const lines = (file: string) => {
    const text: Record<string, string> = {
      "top/templates/_helpers.tpl":
        'define "top.init"\nresources:\n  {{- toYaml .Values.init.resources | nindent 2 }}',
      "top/charts/sub/templates/app.yaml": "resources:\n  {{- toYaml .Values.persistence | nindent 2 }}",
    };
    return (text[file] ?? "").split("\n");
  };
  rmSync(dir, { recursive: true, force: true });

  it("coalesces: the parent's keys win, a subchart's values sit below its alias, every global at the top", () => {
    expect(defaults.subcharts).toEqual([["app"]]);
    expect(defaults.values).toEqual({
      app: { replicas: 2, init: { resources: {} }, persistence: { size: "1Gi" } },
      global: { image: { tag: "top", pullPolicy: "Always" } },
    });
  });

  it("a subchart path read by a parent's helper is ok (it was wrong: only the top values.yaml was read)", () => {
    expect(
      checkValuesPath(
        defaults,
        finding("app.init.resources.limits.cpu", "top/templates/_helpers.tpl", 2),
        lines,
        false,
      ),
    ).toBe("ok");
    expect(checkValuesPath(defaults, finding("global.image.pullPolicy", "x", 1), lines, false)).toBe("ok");
  });

  it("a path below a scalar of the subchart is wrong; one set only down to the subchart's key is unknown", () => {
    expect(
      checkValuesPath(
        defaults,
        finding("app.persistence.size.cpu", "top/charts/sub/templates/app.yaml", 1),
        lines,
        false,
      ),
    ).toBe("wrong");
    // Set below the subchart, but the named line does not read it.
    expect(
      checkValuesPath(
        defaults,
        finding("app.init.resources.limits.cpu", "top/charts/sub/templates/app.yaml", 1),
        lines,
        false,
      ),
    ).toBe("wrong");
    expect(checkValuesPath(defaults, finding("app.nothing.here", "x", 1), lines, false)).toBe("unknown");
  });

  it("a line that writes a variable reads the key of the variable's assignment above it", () => {
    const sts = [
      "initContainers:",
      "- name: wait",
      "  {{- if $sc := .Values.init.securityContext }}",
      "  securityContext:",
      "{{ toYaml $sc | indent 4 }}",
      "  {{- end }}",
    ];
    const f = (line: number) => ({
      ...finding("app.init.securityContext", "top/charts/sub/templates/sts.yaml", line),
      path: ["spec", "template", "spec", "initContainers", 0, "securityContext"],
      exact: true,
    });
    // `app.init` is set (a map), `securityContext` below it is not.
    expect(checkValuesPath(defaults, f(4), () => sts, false)).toBe("ok");
    // Without the assignment the line reads nothing of the path.
    expect(
      checkValuesPath(defaults, f(4), () => sts.map((l, i) => (i === 2 ? "  {{- if true }}" : l)), false),
    ).toBe("wrong");
  });
});
