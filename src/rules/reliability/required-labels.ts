// An instance of the `required-metadata` template with its options open to users (without the
// `matches` pattern, which custom rules of the template can use).
import { requiredMetadataTemplate } from "../templates/required-metadata.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(requiredMetadataTemplate, {
  meta: {
    id: "required-labels",
    title: "Required label or annotation missing",
    category: "reliability",
    severity: "low",
    description:
      "Labels and annotations such as the app name, team or owner are what cost reports, alert routing, `kubectl` selectors and incident responders rely on; an object without them is orphaned the day something goes wrong.",
    remediation: "Add the required labels and annotations to the object's `metadata`.",
    messages: {
      missing: "{{kind}} `{{name}}` has no {{field}} `{{key}}`.",
      empty: "{{kind}} `{{name}}` has an empty {{field}} `{{key}}`.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["M-LABELS-REQ"],
    equivalents: {
      "kube-linter": ["required-annotation-email", "required-label-owner"],
      kubescape: ["C-0076", "C-0077"],
      polaris: ["metadataAndInstanceMismatched"],
      terrascan: ["AC_K8S_0013"],
    },
    notes:
      "Off by default because the keys are an organisation's convention: enable it and list the `labels`, `annotations` and `kinds` (empty means every kind) in `.kubeward.yaml`. Only the object's own metadata is checked, not its pod template; a key whose value is empty is reported as well (`empty`).",
  },
  messageIds: { missing: "missing", empty: "empty" },
  configurable: {
    defaults: { labels: ["app.kubernetes.io/name"] },
    only: ["labels", "annotations", "kinds"],
  },
});
