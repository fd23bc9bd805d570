// The `required-metadata` template: labels and annotations every object (of some kinds) must carry,
// with a non-empty value that optionally matches a regular expression. required-labels is an
// instance of it. Pure: no I/O.
import { option, type OptionProblem } from "../../core/options.js";
import type { Path } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";
import { defineTemplate } from "./template.js";

/** A label value as text (the API server would reject a non-string one; it still gets a message). */
const asText = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Empty keys name nothing. */
const strings = (v: readonly string[]): string[] => v.filter((s) => s !== "");

export const requiredMetadataTemplate = defineTemplate({
  name: "required-metadata",
  summary:
    "Labels and annotations every object (of the given kinds) must carry, optionally matching a pattern.",
  defaults: {
    title: "Required label or annotation missing",
    category: "reliability",
    severity: "low",
    description:
      "Labels and annotations the organisation relies on (owner, team, cost centre) are missing or malformed.",
    remediation: "Add the required labels and annotations to the object's `metadata`.",
  },
  messages: {
    missing: "{{kind}} `{{name}}` has no {{field}} `{{key}}`.",
    empty: "{{kind}} `{{name}}` has an empty {{field}} `{{key}}`.",
    mismatch: "{{kind}} `{{name}}` has {{field}} `{{key}}: {{value}}`, which does not match `{{pattern}}`.",
  },
  placeholders: ["kind", "name", "field", "key", "value", "pattern"],
  options: {
    labels: option.strings("Label keys every object must carry with a non-empty value.", []),
    annotations: option.strings("Annotation keys every object must carry with a non-empty value.", []),
    matches: option.string(
      "A regular expression every required label and annotation value must match; empty accepts any non-empty value.",
      "",
    ),
    kinds: option.strings("Kinds to check; empty means every kind.", []),
  },
  required: [],
  check(o) {
    const problems: OptionProblem[] = [];
    if (strings(o.labels).length === 0 && strings(o.annotations).length === 0)
      problems.push({ path: [], message: "the required-metadata template needs `labels` or `annotations`" });
    if (o.matches !== "") {
      try {
        new RegExp(o.matches, "u");
      } catch (err) {
        problems.push({
          path: ["matches"],
          message: `option \`matches\` is not a valid regular expression: ${(err as Error).message}`,
        });
      }
    }
    return problems;
  },
  fixKind: () => "none",
  create(context) {
    const labels = strings(context.options.labels);
    const annotations = strings(context.options.annotations);
    const kinds = new Set(strings(context.options.kinds));
    let pattern: RegExp | undefined;
    try {
      pattern = context.options.matches === "" ? undefined : new RegExp(context.options.matches, "u");
    } catch {
      // The config loader rejects it; a Config built in code checks presence only.
      pattern = undefined;
    }
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
            } else if (pattern !== undefined && !pattern.test(asText(value))) {
              context.report({
                resource: r,
                path: ["metadata", mapKey, key],
                messageId: "mismatch",
                data: { ...data, value: asText(value), pattern: pattern.source },
              });
            }
          }
        };
        check("label", "labels", labels);
        check("annotation", "annotations", annotations);
      },
    };
  },
  example: {
    id: "team-label-required",
    options: { labels: ["team"], matches: "^[a-z][a-z0-9-]*$" },
    invalid: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: Payments # expect: mismatch
data:
  mode: production
`,
    valid: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: payments
data:
  mode: production
`,
  },
});
