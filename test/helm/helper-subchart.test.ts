// Values paths through helpers of the parent chart that a subchart's templates include (gitlab's
// `gitlab.podSecurityContext` and `gitlab.containerSecurityContext`, issue 8 item 1): the helper's
// body is the parent's, the values it reads are the subchart's, named in the parent's terms.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/api.js";
import { containerSecurityContextHelper, deploymentTemplate, scanSmallChart } from "./small-chart.js";

// gitlab's helpers (gitlab/templates/_helpers.tpl): the pod's is given the values block and reads
// it through a variable; the container's is given the root context and renders the block whole.
// (gitlab's helpers sit some 700 lines down its _helpers.tpl: more than 400 lines of other
// helpers come first.)
const others = Array.from({ length: 150 }, (_, i) => [
  `{{- define "small.other${String(i)}" -}}`,
  `other: ${String(i)}`,
  "{{- end }}",
]).flat();

const helpers = [
  ...others,
  '{{- define "small.podSecurityContext" -}}',
  "{{- $psc := . }}",
  "{{- if $psc }}",
  "securityContext:",
  "{{-   if not (empty $psc.runAsUser) }}",
  "  runAsUser: {{ $psc.runAsUser }}",
  "{{-   end }}",
  "{{-   if not (empty $psc.fsGroup) }}",
  "  fsGroup: {{ $psc.fsGroup }}",
  "{{-   end }}",
  "{{- end }}",
  "{{- end -}}",
  "",
  // vault's `server.statefulSet.securityContext.container`: the block when set, else fixed keys.
  '{{- define "small.orDefault" -}}',
  "  {{- if .Values.sidecarSecurityContext }}",
  "          securityContext:",
  "            {{- toYaml .Values.sidecarSecurityContext | nindent 12 }}",
  "  {{- else }}",
  "          securityContext:",
  "            allowPrivilegeEscalation: false",
  "  {{- end }}",
  "{{- end -}}",
  "",
  ...containerSecurityContextHelper("small.containerSecurityContext"),
  "",
].join("\n");

/** 1-based line of `text` in the helpers file. */
const helperLine = (text: string): number => helpers.split("\n").indexOf(text) + 1;

const subValues = [
  "securityContext:",
  "  runAsUser: 1000",
  "  fsGroup: 1000",
  "containerSecurityContext:",
  "  runAsUser: 1000",
  "sidecarSecurityContext: {}",
  "",
].join("\n");

const scan = (template: string): Finding[] =>
  scanSmallChart("small", {
    "Chart.yaml": "apiVersion: v2\nname: small\nversion: 0.1.0\n",
    "values.yaml": "sub: {}\n",
    "templates/_helpers.tpl": helpers,
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.yaml": subValues,
    "charts/sub/templates/deployment.yaml": template,
  });

/** (rule, rendered path, template line, values path, why not known) of the uid/gid findings. */
type Row = [string, string, string | undefined, number | undefined, string | undefined, string | undefined];
const ids = (findings: Finding[]): Row[] =>
  findings
    .filter((f) => f.ruleId === "low-user-id" || f.ruleId === "low-group-id")
    .map((f): Row => [
      f.ruleId,
      f.path.join("."),
      f.template?.file,
      f.template?.line,
      f.values?.path,
      f.template?.valuesUnknown,
    ])
    .sort((a, b) => a[1].localeCompare(b[1]));

/** A Deployment whose pod's security context and first container's are written by the helpers. */
const template = deploymentTemplate("app", [
  '{{- include "small.podSecurityContext" .Values.securityContext | nindent 6 }}',
  "containers:",
  "  - name: app",
  "    image: busybox:1.36",
  '    {{- include "small.containerSecurityContext" . | indent 10 }}',
  "    ports:",
  "      - containerPort: 80",
  // (Sets no runAsUser of its own: the pod's is reported.)
  "  - name: sidecar",
  "    image: busybox:1.36",
  '    {{- template "small.orDefault" . }}',
]);

describe("helm values paths through a parent chart's helper in a subchart", () => {
  it("a helper far down the parent's _helpers.tpl that renders the subchart's block (gitlab's `gitlab.containerSecurityContext`)", () => {
    const container = ids(scan(template)).filter((f) => f[1].includes("containers"));
    // The rendered `securityContext:` aligns with the helper's (which is more than 400 lines
    // below the file's start), so the key below it is the `toYaml` line's block.
    expect(container).toEqual([
      [
        "low-user-id",
        "spec.template.spec.containers.0.securityContext.runAsUser",
        "small/templates/_helpers.tpl",
        helperLine("  {{- toYaml .Values.containerSecurityContext | nindent 2 }}"),
        "sub.containerSecurityContext.runAsUser",
        undefined,
      ],
    ]);
  });

  it("a helper given the subchart's values block that reads it through a variable (gitlab's `gitlab.podSecurityContext`)", () => {
    const pod = ids(scan(template)).filter((f) => !f[1].includes("containers"));
    expect(pod).toEqual([
      [
        "low-group-id",
        "spec.template.spec.securityContext.fsGroup",
        "small/templates/_helpers.tpl",
        helperLine("  fsGroup: {{ $psc.fsGroup }}"),
        "sub.securityContext.fsGroup",
        undefined,
      ],
      [
        "low-user-id",
        "spec.template.spec.securityContext.runAsUser",
        "small/templates/_helpers.tpl",
        helperLine("  runAsUser: {{ $psc.runAsUser }}"),
        "sub.securityContext.runAsUser",
        undefined,
      ],
    ]);
  });

  it("no values path, and why, when the argument the helper reads is not followed", () => {
    // `mergeOverwrite` of two blocks: which of them sets `runAsUser` is not known.
    const merged = template.replace(
      'include "small.podSecurityContext" .Values.securityContext',
      'include "small.podSecurityContext" (mergeOverwrite (dict) .Values.securityContext (.Values.extra | default dict))',
    );
    expect(merged).not.toBe(template);
    const pod = ids(scan(merged)).filter((f) => f[0] === "low-user-id" && !f[1].includes("containers"));
    expect(pod).toEqual([
      [
        "low-user-id",
        "spec.template.spec.securityContext.runAsUser",
        "small/templates/_helpers.tpl",
        helperLine("  runAsUser: {{ $psc.runAsUser }}"),
        undefined,
        expect.stringMatching(
          /^the value is read from the argument that the action on line \d+ gives the helper/,
        ),
      ],
    ]);
  });

  it("of a helper's two key lines of the field's name (the branches of an `if`), the one that rendered (vault's `server.statefulSet.securityContext.container`)", () => {
    const f = scan(template).find(
      (x) => x.ruleId === "read-only-root-filesystem" && x.container === "sidecar",
    );
    // The block is empty: the `else` branch wrote the rendered `securityContext:`; a key set below
    // the block makes the first branch render it.
    expect([f?.template?.file, f?.template?.line, f?.values?.path]).toEqual([
      "small/templates/_helpers.tpl",
      helperLine("  {{- else }}") + 1,
      "sub.sidecarSecurityContext.readOnlyRootFilesystem",
    ]);
  });
});
