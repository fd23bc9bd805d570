// A finding on an existing map whose key line's block is picked by an `if` chain (issue 8 item 1):
// when the chain's first branch tests a values block K and writes K whole, setting a key below K
// makes that branch render, whatever rendered: the finding names K (gitea's containerSecurityContext,
// falco's falcoctl sidecar, driver loader and `falco.securityContext` helper, vault's container
// securityContext helper). A first branch that tests another key, or writes something else, gives
// none. Each chart reproduces the corpus pattern and fails without the mapping of it.
import { describe, expect, it } from "vitest";
import { deploymentTemplate, scanSmallChart } from "./small-chart.js";

const values = [
  "containerSecurityContext: {}",
  "securityContext: {}",
  "driver:",
  "  kind: module",
  "flag: false",
  "openshift: false",
  "sidecar:",
  "  securityContext: {}",
  "",
].join("\n");

/** The findings of a chart of rule `rule`. */
const findingsOf = (containers: string[], helpers: string[] = [], rule = "linux-hardening-missing") =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": values,
    "templates/_helpers.tpl": helpers.join("\n") + "\n",
    "templates/deploy.yaml": deploymentTemplate("app", ["containers:", ...containers]),
  }).filter((f) => f.ruleId === rule);

/** [template file, line, values path] of each linux-hardening-missing finding of a chart. */
const hardening = (containers: string[], helpers: string[] = []) =>
  findingsOf(containers, helpers).map((f) => [
    f.template?.file.replace(/^.*\/templates\//, ""),
    f.template?.line,
    f.values?.path,
  ]);

/** [values path, why none] of each linux-hardening-missing finding of a chart. */
const why = (containers: string[], helpers: string[] = []) =>
  findingsOf(containers, helpers).map((f) => [f.values?.path, f.template?.valuesUnknown]);

/** The app container (`- name: app`, line 13) with `block` below its image line (from line 15). */
const app = (block: string[]) => [
  "  - name: app",
  "    image: busybox:1.36",
  ...block.map((l) => `    ${l}`),
];

describe("values path of a map whose block an if chain picks", () => {
  it.each([
    [
      "its else writes another block (gitea's deprecated securityContext)",
      [
        "  {{- /* Honor the deprecated securityContext variable when defined */ -}}",
        "  {{- if .Values.containerSecurityContext -}}",
        "  {{ toYaml .Values.containerSecurityContext | nindent 12 -}}",
        "  {{- else -}}",
        "  {{ toYaml .Values.securityContext | nindent 12 -}}",
      ],
    ],
    [
      "a later branch writes a literal (falco's driver loader)",
      [
        "{{- if .Values.containerSecurityContext }}",
        "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}",
        '{{- else if eq .Values.driver.kind "module" }}',
        "  privileged: true",
      ],
    ],
  ])("names the first branch's block when %s", (_, chain) => {
    expect(hardening(app(["securityContext:", ...chain, "{{- end }}"]))).toEqual([
      ["deploy.yaml", 15, "containerSecurityContext"],
    ]);
  });

  it("names it in a sidecar a helper writes after another container (falco's falcoctl follow)", () => {
    const containers = [
      ...app(["securityContext:", "  privileged: true"]),
      '  {{- include "small.sidecar" . | nindent 8 }}',
    ];
    const sidecar = [
      '{{- define "small.sidecar" -}}',
      "- name: sidecar",
      "  image: busybox:1.36",
      "  securityContext:",
      "  {{- if .Values.sidecar.securityContext }}",
      "    {{- toYaml .Values.sidecar.securityContext | nindent 4 }}",
      "  {{- end }}",
      "{{- end -}}",
    ];
    expect(hardening(containers, sidecar)).toEqual([
      ["_helpers.tpl", 4, "sidecar.securityContext"],
      ["deploy.yaml", 15, undefined],
    ]);
    // (The sidecar itself, as an item, is the helper's `- name:` line, not the `containers:` line.)
    expect(
      findingsOf(containers, sidecar, "liveness-probe-missing").map((f) => [
        f.path.join("."),
        f.template?.file.replace(/^.*\/templates\//, ""),
        f.template?.line,
      ]),
    ).toContainEqual(["spec.template.spec.containers.1", "_helpers.tpl", 2]);
  });

  it("names it through a helper given the root context that writes it when set (falco.securityContext)", () => {
    expect(
      hardening(app(["securityContext:", '  {{- include "small.sc" . | nindent 12 }}']), [
        '{{- define "small.sc" -}}',
        "{{- $sc := dict -}}",
        '{{- if eq .Values.driver.kind "module" -}}',
        '{{- $_ := set $sc "privileged" true -}}',
        "{{- end -}}",
        "{{- if not (empty (.Values.containerSecurityContext)) -}}",
        "  {{- toYaml .Values.containerSecurityContext }}",
        "{{- else -}}",
        "  {{- toYaml $sc }}",
        "{{- end -}}",
        "{{- end -}}",
      ]),
    ).toEqual([["deploy.yaml", 15, "containerSecurityContext"]]);
  });

  it("names the first branch's key line for the same key line of a later branch (vault)", () => {
    // (As vault's, the helper's lines are indented as the including template needs them.)
    const helper = (indent: string) => [
      '{{- define "small.csc" -}}',
      "  {{- if .Values.containerSecurityContext }}",
      `${indent}securityContext:`,
      "            {{- $tp := typeOf .Values.containerSecurityContext }}",
      '            {{- if eq $tp "string" }}',
      "              {{- tpl .Values.containerSecurityContext . | nindent 12 }}",
      "            {{- else }}",
      "              {{- toYaml .Values.containerSecurityContext | nindent 12 }}",
      "            {{- end }}",
      "  {{- else if not .Values.openshift }}",
      "          securityContext:",
      "            allowPrivilegeEscalation: false",
      "  {{- end }}",
      "{{- end -}}",
    ];
    const chart = (h: string[]) => hardening(app(['{{- template "small.csc" . }}']), h);
    expect(chart(helper("          "))).toEqual([["_helpers.tpl", 11, "containerSecurityContext"]]);
    // (The first branch's key line is at another indentation: it is not the same line; under
    // another condition, it does not decide.)
    expect(chart(helper("        ")).map(([, , path]) => path)).toEqual([undefined]);
    const guarded = helper("          ");
    guarded.splice(2, 0, "  {{- if .Values.flag }}");
    guarded.splice(10, 0, "  {{- end }}");
    expect(why(app(['{{- template "small.csc" . }}']), guarded)).toEqual([
      [
        undefined,
        "the key line is in a later branch of the `if` on line 2, whose first branch does not write this key whole from the values block its condition tests: which values key sets it is not known",
      ],
    ]);
  });

  it.each([
    [
      "the first branch tests another key than the block it writes",
      ["{{- if .Values.flag }}", "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}"],
    ],
    [
      "the first branch writes something else than the block it tests",
      ["{{- if .Values.containerSecurityContext }}", "  privileged: false"],
    ],
    [
      "an inner if of the first branch may write nothing",
      [
        "{{- if .Values.containerSecurityContext }}",
        "  {{- if .Values.flag }}",
        "  {{- toYaml .Values.containerSecurityContext | nindent 12 }}",
        "  {{- end }}",
      ],
    ],
  ])("gives none when %s", (_, first) => {
    const block = [
      "securityContext:",
      ...first,
      "{{- else }}",
      "  {{- toYaml .Values.securityContext | nindent 12 }}",
      "{{- end }}",
    ];
    expect(why(app(block))).toEqual([
      [
        undefined,
        "the block is picked by the `if` on line 16, whose first branch does not write whole the values block its condition tests: which values key sets it is not known",
      ],
    ]);
  });
});
