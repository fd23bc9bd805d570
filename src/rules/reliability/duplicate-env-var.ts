import { defineRule } from "../../core/rule.js";
import type { EnvVar } from "../../core/k8s.js";
import { reportContainer } from "../lib/report.js";

/** JSON with sorted keys, so `{ name, key }` and `{ key, name }` compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/** What an entry sets, for telling a harmless repeat from a conflicting one. */
function valueKey(e: EnvVar): string {
  return canonical({ value: e.value ?? "", valueFrom: e.valueFrom ?? null });
}

export default defineRule({
  meta: {
    id: "duplicate-env-var",
    title: "Duplicate environment variable",
    category: "reliability",
    severity: "medium",
    description:
      "When a container lists the same variable twice, the kubelet keeps the last entry and silently drops the earlier one, and `kubectl apply` and server-side apply mishandle or reject the duplicate list key.",
    remediation: "Keep one `env` entry per variable name and remove the others.",
    messages: {
      conflicting:
        "Container `{{container}}` sets `{{name}}` again with a different value, silently overriding the earlier entry.",
      repeated: "Container `{{container}}` sets `{{name}}` twice with the same value.",
    },
    fix: "none",
    concepts: ["M-DUP-ENV"],
    equivalents: {
      "kube-linter": ["duplicate-env-var"],
      kubescape: ["C-0295"],
      "kube-score": ["environment-variable-key-duplication"],
    },
    notes:
      "Names are case-sensitive (`FOO` and `foo` are different variables), and a variable in `env` overriding one from `envFrom` is deliberate and not reported.",
  },
  create(context) {
    return {
      container(c) {
        const env = c.container.env;
        if (!Array.isArray(env)) return;
        const seen = new Map<string, EnvVar>();
        env.forEach((e, i) => {
          const first = seen.get(e.name);
          if (first === undefined) {
            seen.set(e.name, e);
            return;
          }
          const same = valueKey(first) === valueKey(e);
          reportContainer(context, c, ["env", i, "name"], same ? "repeated" : "conflicting", {
            name: e.name,
          });
          // Compare the next duplicate against the entry that now wins.
          seen.set(e.name, e);
        });
      },
    };
  },
});
