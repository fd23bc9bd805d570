import { defineRule } from "../../core/rule.js";
import { namespaceObjects } from "../lib/namespace-objects.js";

export default defineRule({
  meta: {
    id: "namespace-limitrange-missing",
    title: "Namespace has no LimitRange",
    category: "efficiency",
    severity: "low",
    description:
      "Without a LimitRange, containers that set no requests or limits get none: they are scheduled as if they needed nothing, may use a whole node, and are the first to be OOM-killed or evicted.",
    remediation:
      "Add a LimitRange of type Container to the namespace with `default` and `defaultRequest` for CPU and memory.",
    messages: {
      missing: "Namespace `{{name}}` has no LimitRange, so containers without resources get no defaults.",
    },
    kinds: ["Namespace"],
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    concepts: ["R-LIMITRANGE"],
    equivalents: { trivy: ["KSV-0039"], kics: ["4a20ebac-1060-4c81-95d1-1f7f620e983b"] },
    notes:
      "Off by default: platforms often add LimitRanges to every namespace with a policy engine or namespace template that the scan does not see. Only Namespace objects in the scan are checked, against the LimitRanges of the scan (namespace-less ones count for any namespace). When a LimitRange is there, the `*-limit-missing`/`*-request-missing` rules count its defaults (see docs/cross-object.md).",
  },
  create(context) {
    return {
      end(resources) {
        for (const { namespace, members } of namespaceObjects(resources)) {
          if (members.some((r) => r.ref.kind === "LimitRange")) continue;
          context.report({
            resource: namespace,
            path: ["metadata", "name"],
            messageId: "missing",
            data: { name: namespace.ref.name },
          });
        }
      },
    };
  },
});
