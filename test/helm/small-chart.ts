// Small charts written by a test: the files (path -> text) in a temporary folder, scanned and removed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scan, type Finding } from "../../src/api.js";

/** Scans a chart written from `files` (path -> text) in a temporary folder named `name`. */
export function scanSmallChart(name: string, files: Record<string, string>): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), "kubeward-chart-"));
  try {
    for (const [file, text] of Object.entries(files)) {
      const path = join(dir, name, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    return scan({ paths: [name], cwd: dir, configFile: false }).findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Deployment template named `name` whose pod spec is `spec` (lines relative to the pod spec). */
export function deploymentTemplate(name: string, spec: string[]): string {
  return (
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      `  name: ${name}`,
      "spec:",
      "  selector:",
      "    matchLabels: {app: x}",
      "  template:",
      "    metadata:",
      "      labels: {app: x}",
      "    spec:",
      ...spec.map((l) => `      ${l}`),
    ].join("\n") + "\n"
  );
}

/**
 * gitlab's `gitlab.containerSecurityContext` helper, defined as `name`: `securityContext:` and the
 * chart's `containerSecurityContext` block below it, when that is set.
 */
export function containerSecurityContextHelper(name: string): string[] {
  return [
    `{{- define "${name}" }}`,
    "{{- if .Values.containerSecurityContext }}",
    "securityContext:",
    "  {{- toYaml .Values.containerSecurityContext | nindent 2 }}",
    "{{- end }}",
    "{{- end }}",
  ];
}

/**
 * A merge helper like gitlab's `gitlab.merge.overwriteEmpty` (each key of `$.src` onto `$.dst`, maps
 * merged key by key), defined as `name`: the data model tests' `include name (dict "dst" .. "src" ..)`.
 */
export function mergeHelper(name: string): string[] {
  return [
    `{{- define "${name}" -}}`,
    "{{- range $key := keys $.src -}}",
    '{{-   if and (kindIs "map" (index $.src $key)) (kindIs "map" (index $.dst $key)) -}}',
    `{{-     include "${name}" (dict "dst" (index $.dst $key) "src" (index $.src $key)) -}}`,
    "{{-   else -}}",
    "{{-     $_ := set $.dst $key (index $.src $key) -}}",
    "{{-   end -}}",
    "{{- end -}}",
    "{{- end -}}",
  ];
}
