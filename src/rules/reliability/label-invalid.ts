import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { isRecord, podSpecOf } from "../../core/workloads.js";

// The API server's label syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is invalid, or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return "its prefix must be a lowercase DNS subdomain of at most 253 characters";
  }
  if (name.length > 63) return "its name part is longer than 63 characters";
  if (!NAME.test(name)) {
    return "its name part must be alphanumeric characters, `-`, `_` or `.`, starting and ending with an alphanumeric";
  }
  return undefined;
}

/** Why a label value is invalid, or undefined when it is valid (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63) return "it is longer than 63 characters";
  if (!NAME.test(value)) {
    return "it must be alphanumeric characters, `-`, `_` or `.`, starting and ending with an alphanumeric";
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "label-invalid",
    title: "Label key or value the API server rejects",
    category: "reliability",
    severity: "high",
    description:
      "Label keys are an optional DNS-subdomain prefix and a name of at most 63 characters; values are at most 63 characters of letters, digits, `-`, `_` and `.`, beginning and ending with a letter or digit. The API server rejects an object (or a workload's pod template) with any other label, so the deployment fails, often only when a templated value such as a version with `+` or a long name reaches it.",
    remediation:
      'Shorten or sanitise the label (Helm: `| trunc 63 | trimSuffix "-"`, and replace `+` in versions), or move free text to an annotation.',
    messages: {
      badKey: "Label key `{{key}}` is invalid: {{why}}.",
      badValue: "Label `{{key}}` has the invalid value `{{value}}`: {{why}}.",
    },
    fix: "none",
    concepts: ["M-LABELS-INVALID"],
    equivalents: { "kube-score": ["label-values"], kics: ["1123031a-f921-4c5b-bd86-ef354ecfd37a"] },
  },
  create(context) {
    return {
      resource(r) {
        const check = (labels: unknown, at: Path) => {
          if (!isRecord(labels)) return;
          for (const [key, value] of Object.entries(labels)) {
            const keyWhy = labelKeyProblem(key);
            if (keyWhy !== undefined) {
              context.report({
                resource: r,
                path: [...at, key],
                messageId: "badKey",
                data: { key, why: keyWhy },
              });
              continue;
            }
            if (typeof value !== "string") continue;
            const why = labelValueProblem(value);
            if (why !== undefined) {
              context.report({
                resource: r,
                path: [...at, key],
                messageId: "badValue",
                data: { key, value: value.length > 80 ? `${value.slice(0, 80)}…` : value, why },
              });
            }
          }
        };
        const meta = r.object["metadata"];
        if (isRecord(meta)) check(meta["labels"], ["metadata", "labels"]);
        const pod = podSpecOf(r);
        if (pod !== undefined && pod.podMetaPath.length > 1)
          check(pod.podMeta.labels, [...pod.podMetaPath, "labels"]);
      },
    };
  },
});
