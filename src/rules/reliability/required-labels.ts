import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";

const OPTIONS = {
  labels: option.strings("Label keys every object must carry with a non-empty value.", [
    "app.kubernetes.io/name",
  ]),
  annotations: option.strings("Annotation keys every object must carry with a non-empty value.", []),
  kinds: option.strings("Kinds to check; empty means every kind.", []),
};

/** Empty keys name nothing. */
const strings = (v: readonly string[]): string[] => v.filter((s) => s !== "");

export default defineRule<"missing" | "empty", typeof OPTIONS>({
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
  options: OPTIONS,
  create(context) {
    const labels = strings(context.options.labels);
    const annotations = strings(context.options.annotations);
    const kinds = new Set(strings(context.options.kinds));
    return {
      resource(r) {
        if (kinds.size > 0 && !kinds.has(r.ref.kind)) return;
        const meta = r.object["metadata"];
        const metadata = isRecord(meta) ? meta : {};
        const check = (field: "label" | "annotation", mapKey: "labels" | "annotations", keys: string[]) => {
          const raw = metadata[mapKey];
          const map = isRecord(raw) ? raw : undefined;
          for (const key of keys) {
            const value = map?.[key];
            const data = { kind: r.ref.kind, name: r.ref.name, field, key };
            if (value === undefined || value === null) {
              // Point at the map the key belongs in, or at metadata when there is none.
              const path: Path = map === undefined ? ["metadata"] : ["metadata", mapKey];
              context.report({ resource: r, path, messageId: "missing", data });
            } else if (typeof value === "string" && value.trim() === "") {
              context.report({ resource: r, path: ["metadata", mapKey, key], messageId: "empty", data });
            }
          }
        };
        check("label", "labels", labels);
        check("annotation", "annotations", annotations);
      },
    };
  },
});
