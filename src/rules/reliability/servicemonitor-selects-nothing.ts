import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { selectionResolver } from "../lib/completeness.js";
import { namespaceOf } from "../lib/namespaces.js";
import { asLabelSelector, matchesSelector } from "../lib/selectors.js";

function labelsOf(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  const labels = getIn(r.object, ["metadata", "labels"]);
  if (isRecord(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  return out;
}

export default defineRule({
  meta: {
    id: "servicemonitor-selects-nothing",
    title: "ServiceMonitor selects no Service",
    category: "reliability",
    severity: "medium",
    description:
      "A ServiceMonitor whose selector matches no Service gives Prometheus no target: the metrics and the alerts built on them silently stop, usually after a label or namespace change on the Service.",
    remediation:
      "Make the ServiceMonitor's `spec.selector` (and `namespaceSelector`) match the labels and namespace of the Service that exposes the metrics.",
    messages: {
      noMatch: "ServiceMonitor `{{name}}` selects no Service in {{namespaces}}.",
    },
    kinds: ["ServiceMonitor"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-SVCMON-DANGLING"],
    equivalents: { "kube-linter": ["dangling-servicemonitor"] },
    notes: `Whether the scan holds the Services is decided as for other selectors: the target namespace's Namespace object is in the scan, or the ServiceMonitor comes from a Helm chart and its selector names the release. The Services are matched by their labels in the ServiceMonitor's namespace, the namespaces of \`namespaceSelector.matchNames\`, or every namespace with \`namespaceSelector.any: true\`. \`--assume-complete\` and \`--no-assume-complete\` override that (see docs/cross-object.md).`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = selectionResolver(resources, context.assumeComplete);
        for (const sm of resources) {
          if (sm.ref.kind !== "ServiceMonitor") continue;
          const selector = asLabelSelector(getIn(sm.object, ["spec", "selector"]));
          if (selector === undefined) continue;
          const nsSel = getIn(sm.object, ["spec", "namespaceSelector"]);
          const any = getIn(nsSel, ["any"]) === true;
          const names = getIn(nsSel, ["matchNames"]);
          const namespaces =
            Array.isArray(names) && names.length > 0
              ? names.filter((n): n is string => typeof n === "string")
              : [namespaceOf(sm)];
          const values = [
            ...Object.values(selector.matchLabels ?? {}),
            ...(selector.matchExpressions ?? []).flatMap((e) => e.values ?? []),
          ];
          const selections = any
            ? [resolve(sm, "Service", undefined, values)]
            : namespaces.map((ns) => resolve(sm, "Service", ns, values));
          const services = selections.flatMap((s) => s.candidates);
          if (services.some((s) => matchesSelector(selector, labelsOf(s)))) continue;
          if (!selections.every((s) => s.complete)) continue;
          context.report({
            resource: sm,
            path: ["spec", "selector"],
            messageId: "noMatch",
            data: {
              name: sm.ref.name,
              namespaces: any
                ? "any namespace"
                : namespaces.map((n) => (n === "" ? "its namespace" : `\`${n}\``)).join(", "),
            },
          });
        }
      },
    };
  },
});
