import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "keys-not-sorted",
    title: "Mapping keys not in alphabetical order",
    category: "reliability",
    severity: "info",
    description:
      "A house style some teams keep so that diffs and reviews are predictable and a repeated key is easy to spot. Kubernetes itself does not care about the order.",
    remediation: "Sort the keys of the mapping alphabetically (e.g. `yq -P 'sort_keys(..)'`).",
    messages: {
      unsorted:
        "Key `{{key}}` comes after `{{previous}}`: the keys of this mapping are not in alphabetical order.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["M-SORTED"],
    equivalents: { "kube-linter": ["sorted-keys"] },
    notes:
      "Off by default: a style choice. One finding per mapping, at its first out-of-order key; keys are compared as kube-linter compares them (by code point). The top-level `apiVersion`, `kind`, `metadata` order most manifests use is not sorted either, so expect findings on almost every object when it is on.",
  },
  create(context) {
    return {
      resource(r) {
        const walk = (v: unknown, path: (string | number)[], depth: number): void => {
          if (depth > 64) return;
          if (Array.isArray(v)) {
            v.forEach((item, i) => {
              walk(item, [...path, i], depth + 1);
            });
            return;
          }
          if (!isRecord(v)) return;
          const keys = Object.keys(v);
          for (let i = 1; i < keys.length; i++) {
            const prev = keys[i - 1] ?? "";
            const key = keys[i] ?? "";
            if (prev > key) {
              context.report({
                resource: r,
                path: [...path, key],
                messageId: "unsorted",
                data: { key, previous: prev },
              });
              break;
            }
          }
          for (const k of keys) walk(v[k], [...path, k], depth + 1);
        };
        walk(r.object, [], 0);
      },
    };
  },
});
