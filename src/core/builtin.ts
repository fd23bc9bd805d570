// Findings the engine itself raises about its input. They are registered like rules so that
// config, suppression, reports and docs treat them the same way.
import { defineRule } from "./rule.js";

const noop = () => ({});

export const parseError = defineRule({
  meta: {
    id: "parse-error",
    title: "File cannot be parsed",
    category: "input",
    severity: "high",
    description:
      "The file is not valid YAML or JSON (or is binary, too large, or an alias bomb), so nothing in it was checked and the API server would reject it.",
    remediation:
      "Correct the syntax at the reported line. kubeward reads YAML as kubectl does (repeated keys, merge keys, under-indented quoted and flow continuations and `'x'#comment` are accepted and reported separately), so kubectl rejects this file too.",
    messages: {
      syntax: "{{detail}}",
      binary: "The file contains binary data (a NUL byte at offset {{offset}}); it is not YAML.",
      tooLarge:
        "The file is {{size}} bytes, above the {{limit}}-byte limit; it was not read (raise it with --max-file-size).",
      aliasBomb: "The document expands too many YAML aliases (a 'billion laughs' pattern); it was not read.",
      unreadable: "The file cannot be read: {{detail}}",
      tooDeep:
        "The document nests deeper than {{limit}} levels; it was not read (the rest of the file and the scan go on).",
      badKey: "{{detail}}",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const invalidObject = defineRule({
  meta: {
    id: "invalid-object",
    title: "Object does not match the Kubernetes schema",
    category: "input",
    severity: "high",
    description:
      'A field has the wrong type or shape (for example `replicas: "three"` or `containers: {}`); the API server would reject the object. Rules that read the field skip it; the rest of the object is still checked.',
    remediation: "Give the field the type the Kubernetes API expects, as the message says.",
    messages: {
      wrongType: "`{{field}}` must be {{expected}}, not {{actual}}.",
      missingField: "`{{field}}` is required.",
      listItem: "Item {{index}} of `{{field}}` has no apiVersion/kind: {{detail}}",
    },
    fix: "none",
    equivalents: { "kube-linter": ["schema-validation"] },
    concepts: ["M-SCHEMA"],
  },
  create: noop,
});

export const internalError = defineRule({
  meta: {
    id: "internal-error",
    title: "A rule failed on this object",
    category: "input",
    severity: "medium",
    description:
      "A rule threw an exception on this object. The other rules still ran; this one's verdict on the object is unknown.",
    remediation:
      "Report the message and the object to the kubeward maintainers; meanwhile review the object by hand.",
    messages: { crashed: "Rule {{rule}} failed on this object: {{detail}}" },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const expiredSuppression = defineRule({
  meta: {
    id: "expired-suppression",
    title: "A suppression has expired",
    category: "input",
    severity: "low",
    description:
      "An ignore annotation's `kubeward.io/ignore-until` date has passed, so the findings it hid are reported again.",
    remediation: "Fix the findings, or renew the suppression with a new date and a reason.",
    messages: {
      expired: "The suppression of {{rules}} expired on {{until}}; its findings are reported again.",
      badDate:
        "`kubeward.io/ignore-until` must be a date YYYY-MM-DD, not `{{value}}`; the suppression is ignored.",
      unknownRule: "`kubeward.io/ignore` names an unknown rule `{{rule}}`.",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const renderError = defineRule({
  meta: {
    id: "render-error",
    title: "A chart or kustomization cannot be rendered",
    category: "input",
    severity: "high",
    description:
      "helm or kustomize failed on this input (a template error, a values file that is not YAML, a bad --set, a missing file or dependency), so none of its objects were checked.",
    remediation:
      "Fix the error the message quotes; `helm template` or `kubectl kustomize` on the same path shows it too.",
    messages: {
      helm: "helm cannot render this chart: {{detail}}",
      kustomize: "kustomize cannot build this directory: {{detail}}",
      missingDependency:
        "Chart dependency {{name}} is not vendored under charts/ (kubeward never downloads); run `helm dependency build {{chart}}` and commit charts/.",
      gitops: "{{kind}} {{name}} cannot be rendered: {{detail}}",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const notScanned = defineRule({
  meta: {
    id: "not-scanned",
    title: "A source was not scanned",
    category: "input",
    severity: "info",
    description:
      "A GitOps object points at a source outside the scanned tree (a Git or Helm repository URL), or at one kubeward cannot render (an Argo CD config management plugin, jsonnet, an ExternalArtifact built outside the tree); kubeward never fetches, so what it deploys was not checked. Also reported for a path that is not a regular file (a device, FIFO or socket), which is never read.",
    remediation: "Scan a checkout of that source too, or vendor it into the tree.",
    messages: {
      remote: "{{kind}} {{name}}: not scanned: remote source {{url}}",
      unsupported: "{{kind}} {{name}}: not scanned: {{detail}}",
      special: "Not read: this is {{type}}, not a regular file.",
      notice: "{{detail}}",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const duplicateKey = defineRule({
  meta: {
    id: "duplicate-key",
    title: "A mapping repeats a key",
    category: "input",
    severity: "medium",
    description:
      "The same key appears twice in one mapping. YAML forbids it, but kubectl and the API server accept it and keep the last value, silently dropping the first: what a reviewer reads may not be what runs. kubeward keeps the last value too and checks the object as Kubernetes would see it.",
    remediation: "Delete the repeated key, keeping the value that should apply.",
    messages: {
      repeated:
        "Key `{{key}}` is repeated (first at line {{first}}); Kubernetes keeps this last value and drops the earlier one.",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const lenientYaml = defineRule({
  meta: {
    id: "lenient-yaml",
    title: "YAML that only Kubernetes' parser accepts",
    category: "input",
    severity: "low",
    description:
      'kubectl and the API server read YAML with go-yaml, which does not check the indentation of the continuation lines of a quoted string or a flow collection (`[...]`, `{...}`) and starts a comment at a `#` right after a quoted value or a bracket. The YAML spec forbids all three, so other tools (editors, linters, yq, Helm\'s post-renderers) reject or misread the file. go-yaml also follows YAML 1.1, where a plain `yes`, `no`, `on`, `off`, `y` or `n` (in any of the cases `yes`, `Yes`, `YES`) is a boolean: kubectl sends `privileged: yes` as `true`, while YAML 1.2 tools read the string "yes". kubeward reads the value as Kubernetes does and checks the object (so `yes` in a string field, such as an env value or a label, is invalid there, as the API server finds).',
    remediation:
      "Indent the continuation lines further than their key (or keep the value on one line), put a space before each `#` comment, and write booleans as `true`/`false` (quote a `yes` meant as a string), so every YAML tool reads the file as Kubernetes does.",
    messages: {
      quotedIndent:
        "The quoted string starting here continues on a line indented no further than its key; Kubernetes accepts it, the YAML spec does not.",
      flowIndent:
        "The flow collection starting here continues on a line indented no further than its key; Kubernetes accepts it, the YAML spec does not.",
      commentSpacing:
        "A comment starts right after a value, with no space before `#`; Kubernetes reads it as a comment, the YAML spec does not.",
      yaml11Boolean:
        'Kubernetes reads the plain `{{text}}` as the boolean {{value}} (YAML 1.1), other YAML tools as the string "{{text}}"; write `{{value}}`, or quote it if a string is meant.',
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const helmUnusedValue = defineRule({
  meta: {
    id: "helm-unused-value",
    title: "A values key that no template reads",
    category: "input",
    severity: "medium",
    description:
      "A key in values you pass to a chart (a `-f` file, `--set`, a Flux HelmRelease's `spec.values`, an Argo CD Application's `helm.values`/`helm.valuesObject`) is read by no template of the chart, is not in its `values.yaml` and is not declared in its `values.schema.json`. Helm ignores such a key without a word, so the setting has no effect; in practice it is a misspelling (`replicaCont: 3`) or a key moved in a newer chart version. The templates are analysed statically and conservatively: when kubeward cannot tell what a template reads (`.Values` passed whole to `include`, `tpl` or `toYaml`, or indexed with a computed key), every key below counts as read and nothing is reported.",
    remediation:
      "Use the key the chart reads (the message suggests the closest one when there is one), or delete the line.",
    messages: {
      unused:
        "`{{key}}` is read by no template of chart {{chart}} and is not in its values.yaml or values.schema.json; helm ignores it.",
      didYouMean:
        "`{{key}}` is read by no template of chart {{chart}} and is not in its values.yaml or values.schema.json; helm ignores it. Did you mean `{{suggestion}}`?",
      setUnused:
        "`{{set}}` sets `{{key}}`, which no template of chart {{chart}} reads and its values.yaml and values.schema.json do not have; helm ignores it.",
      setDidYouMean:
        "`{{set}}` sets `{{key}}`, which no template of chart {{chart}} reads and its values.yaml and values.schema.json do not have; helm ignores it. Did you mean `{{suggestion}}`?",
    },
    fix: "none",
    equivalents: {},
  },
  create: noop,
});

export const BUILTIN_RULES = [
  parseError,
  duplicateKey,
  lenientYaml,
  invalidObject,
  internalError,
  expiredSuppression,
  renderError,
  notScanned,
  helmUnusedValue,
] as const;

/** parse-error messages whose remedy is not "correct the syntax" (the rule's general remediation). */
export const PARSE_ERROR_REMEDIES: Readonly<Record<string, string>> = {
  unreadable:
    "Make the file readable by the user running kubeward (permissions, dangling or looping symlinks), or exclude it with --ignore.",
  tooLarge: "Split the file, or raise the limit with --max-file-size if it really is one manifest.",
  binary: "Remove the binary file from the scanned paths, or exclude it with --ignore.",
  aliasBomb: "Replace the nested aliases with plain values; no real manifest needs this much expansion.",
  tooDeep: "Flatten the document; no Kubernetes object nests this deep.",
};
