// Fuzz cases for rendered inputs (issue 9, "What must also exist"): a small Helm chart and a
// Kustomize base/overlay, taken from the test fixtures and mutated — broken template syntax,
// `fail`, deep and recursive includes, huge values, reads outside the chart; kustomizations with
// bad paths, `../`, remote URLs and generators reading absolute or outside files. The same
// invariants as for plain YAML are checked by checkCase (fuzz-core.ts); these scans run helm or
// kustomize, so `npm run check` runs only a few (see fuzz.test.ts) and tools/fuzz.ts runs more.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { checkCase, mutate, pick, prng, type FuzzCase, type Violation } from "./fuzz-core.js";

const repo = join(import.meta.dirname, "..", "..");

function readTree(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[join(prefix, relative(dir, p))] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** Snippets a hostile chart author might put into a template. */
const TEMPLATE_TOKENS = [
  "{{",
  "}}",
  "{{ end }}",
  "{{- if .Values.x }}",
  '{{ fail "stop here" }}',
  '{{ required "needed" .Values.nothing }}',
  '{{ include "deep" (dict "n" 0) }}',
  '{{ include "loop" . }}',
  '{{ include "missing" . }}',
  "{{ .Values.huge }}",
  "{{ toYaml .Values | nindent 4 }}",
  '{{ .Files.Get "../../outside.txt" }}',
  '{{ .Files.Get "/etc/passwd" }}',
  "{{ range $i := until 200000 }}- x: {{ $i }}\n{{ end }}",
  "{{ tpl .Values.tpl . }}",
  "{{ .Values.password }}",
  '{{ lookup "v1" "Secret" "default" "x" }}',
  "\u001b[2J",
  "kind: Secret\n",
];

const HELPERS = `{{- define "deep" -}}
{{- if lt (int .n) 40 -}}{{ include "deep" (dict "n" (add1 .n)) }}{{- else -}}bottom{{- end -}}
{{- end -}}
{{- define "loop" -}}{{ include "loop" . }}{{- end -}}
`;

/** A Helm chart (the `web` fixture plus a Secret template) with mutated templates and values. */
export function makeHelmCase(seed: number): FuzzCase {
  const rnd = prng(seed);
  const secret = `hz${Math.floor(rnd() * 1e12).toString(36)}Q7`;
  const outsideSecret = `out${Math.floor(rnd() * 1e12).toString(36)}Z9`;
  const files = readTree(join(repo, "test", "helm", "fixtures", "web"), "chart");
  files["chart/templates/_fuzz.tpl"] = HELPERS;
  files["chart/templates/secret.yaml"] =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-creds\nstringData:\n  password: {{ .Values.password | quote }}\n  literal: " +
    secret +
    "\n";
  files["chart/values.yaml"] =
    `${files["chart/values.yaml"] ?? ""}password: ${secret}\ntpl: "{{ .Values.password }}"\n`;
  const templates = Object.keys(files).filter(
    (n) => n.startsWith("chart/templates/") && n !== "chart/templates/secret.yaml" && !n.endsWith(".tpl"),
  );
  const rounds = Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const what = rnd();
    if (what < 0.45) {
      // A whole line, so most cases still render and reach the rules.
      const name = pick(rnd, templates);
      const lines = (files[name] ?? "").split("\n");
      lines.splice(Math.floor(rnd() * (lines.length + 1)), 0, pick(rnd, TEMPLATE_TOKENS));
      files[name] = lines.join("\n");
    } else if (what < 0.55) {
      const name = pick(rnd, templates);
      files[name] = mutate(files[name] ?? "", rnd);
    } else if (what < 0.8) {
      files["chart/values.yaml"] = mutate(files["chart/values.yaml"] ?? "", rnd);
    } else if (what < 0.9) {
      // Huge values: a long string, or a deep mapping.
      files["chart/values.yaml"] +=
        rnd() < 0.5
          ? `huge: "${"x".repeat(1 + Math.floor(rnd() * 2_000_000))}"\n`
          : `huge:\n${Array.from({ length: 300 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} v\n`;
    } else {
      files["chart/Chart.yaml"] = mutate(files["chart/Chart.yaml"] ?? "", rnd);
    }
  }
  return { seed, files, secret, outside: { "outside.txt": `${outsideSecret}\n` }, outsideSecret };
}

/** What a hostile kustomization might hold, as YAML lines (top-level keys). */
const KUSTOMIZE_LINES = [
  "resources:\n  - ../../../outside\n",
  "resources:\n  - ../../../../outside\n",
  "resources:\n  - /etc\n",
  "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1\n",
  "resources:\n  - git@github.com:owner/repo.git//dir\n",
  "resources:\n  - missing.yaml\n",
  "resources:\n  - .\n",
  "configMapGenerator:\n  - name: env\n    envs:\n      - ../../../outside.env\n",
  "configMapGenerator:\n  - name: env\n    envs:\n      - ../../../../outside.env\n",
  "configMapGenerator:\n  - name: abs\n    files:\n      - /etc/passwd\n",
  "secretGenerator:\n  - name: shadow\n    files:\n      - /etc/shadow\n",
  "secretGenerator:\n  - name: proc\n    files:\n      - env=/proc/self/environ\n",
  "patches:\n  - path: ../../../../outside.txt\n",
  "components:\n  - ../../../../outside\n",
  "helmCharts:\n  - name: x\n    repo: https://charts.example.com\n",
  "namePrefix: \u001b[2J\n",
  "images:\n  - name: nginx\n    newTag: ':latest'\n",
];

/** A Kustomize base and overlay (the fixture plus a Secret) with a mutated kustomization.yaml. */
export function makeKustomizeCase(seed: number): FuzzCase {
  const rnd = prng(seed);
  const secret = `kz${Math.floor(rnd() * 1e12).toString(36)}Q7`;
  const outsideSecret = `out${Math.floor(rnd() * 1e12).toString(36)}Z9`;
  const files = readTree(join(repo, "test", "inputs", "fixtures", "kustomize"), "k");
  files["k/base/secret.yaml"] =
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${secret}\n`;
  files["k/base/kustomization.yaml"] = "resources:\n  - deployment.yaml\n  - secret.yaml\n";
  const target = rnd() < 0.5 ? "k/overlays/prod/kustomization.yaml" : "k/base/kustomization.yaml";
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const text = files[target] ?? "";
    files[target] = rnd() < 0.6 ? `${text}${pick(rnd, KUSTOMIZE_LINES)}` : mutate(text, rnd);
  }
  return {
    seed,
    files,
    secret,
    outside: {
      "outside.txt": `${outsideSecret}\n`,
      "outside.env": `LEAK=${outsideSecret}\n`,
      "outside/kustomization.yaml": "resources:\n  - cm.yaml\n",
      "outside/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\ndata:\n  v: ${outsideSecret}\n`,
    },
    outsideSecret,
  };
}

/** Run `count` Helm and `count` Kustomize cases from `firstSeed`, checking every invariant. */
export async function fuzzRendered(firstSeed: number, count: number, maxMs: number): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (let i = 0; i < count; i++) {
    violations.push(...(await checkCase(makeHelmCase(firstSeed + i), maxMs)));
    violations.push(...(await checkCase(makeKustomizeCase(firstSeed + i), maxMs)));
  }
  return violations;
}
