import { defineRule } from "../../core/rule.js";
import { getIn, isRecord, podSpecOf } from "../../core/workloads.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { hpaTargets, replicaRange } from "../lib/disruption.js";
import { matchesSelector } from "../lib/selectors.js";

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

export default defineRule({
  meta: {
    id: "statefulset-service-missing",
    title: "StatefulSet's governing Service is missing, not headless, or does not select its pods",
    category: "reliability",
    severity: "medium",
    description:
      "A StatefulSet's pods get their stable DNS names (`<pod>.<serviceName>`) only from a headless Service of that name that selects them; peers that find each other by those names (databases, queues, consensus clusters) cannot form a cluster without it.",
    remediation:
      "Create a headless Service (`clusterIP: None`) named as the StatefulSet's `spec.serviceName`, whose selector matches the pod template's labels.",
    messages: {
      missing: "StatefulSet `{{name}}` names Service `{{service}}`, which is not in {{namespace}}.",
      notHeadless:
        "StatefulSet `{{name}}` names Service `{{service}}`, which is not headless (`clusterIP: None`), so its pods get no stable DNS names.",
      notSelecting:
        "StatefulSet `{{name}}` names Service `{{service}}`, whose selector does not match the StatefulSet's pods, so they get no stable DNS names.",
    },
    kinds: ["StatefulSet"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-STS-SVCNAME"],
    equivalents: {
      "kube-score": ["statefulset-has-servicename"],
      kics: ["bb241e61-77c3-4b97-9575-c0f8a1e008d0"],
    },
    notes: `Only StatefulSets that run more than one replica (by \`replicas\` or an HPA's \`maxReplicas\`) are checked: a single pod has no peers that look it up by name. A StatefulSet without \`serviceName\` is not reported (the field is optional). ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        const hpas = hpaTargets(resources);
        for (const sts of resources) {
          if (sts.ref.kind !== "StatefulSet") continue;
          const service = getIn(sts.object, ["spec", "serviceName"]);
          if (typeof service !== "string" || service === "") continue;
          // One pod needs no name its peers can find; only then do the per-pod DNS names matter.
          const range = replicaRange(sts, hpas);
          if (range === undefined || range.max < 2) continue;
          const check = resolve(sts, "Service", service);
          const data = { name: sts.ref.name, service, namespace: describeNamespace(namespaceOf(sts)) };
          const path = ["spec", "serviceName"];
          const services = check.named;
          if (services.length === 0) {
            if (!check.exists && check.complete)
              context.report({ resource: sts, path, messageId: "missing", data });
            continue;
          }
          if (!services.some((s) => getIn(s.object, ["spec", "clusterIP"]) === "None")) {
            context.report({ resource: sts, path, messageId: "notHeadless", data });
            continue;
          }
          const labels = stringMap(podSpecOf(sts)?.podMeta.labels);
          const selects = services.some((s) => {
            const sel = stringMap(getIn(s.object, ["spec", "selector"]));
            // A selector-less headless Service has hand-made Endpoints: nothing to compare.
            return Object.keys(sel).length === 0 || matchesSelector({ matchLabels: sel }, labels);
          });
          if (!selects) context.report({ resource: sts, path, messageId: "notSelecting", data });
        }
      },
    };
  },
});
