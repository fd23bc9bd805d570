import { defineRule } from "../../core/rule.js";
import { runningPodSpecs } from "../lib/workload-pods.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { podReferences } from "../lib/pod-references.js";

export default defineRule({
  meta: {
    id: "pod-reference-missing",
    title: "Pod references a ConfigMap, Secret or PersistentVolumeClaim that does not exist",
    category: "reliability",
    severity: "high",
    description:
      "A container whose env or envFrom names a missing ConfigMap or Secret stays in CreateContainerConfigError, and a pod whose volume names a missing ConfigMap, Secret or PersistentVolumeClaim never leaves ContainerCreating or Pending: the workload does not start.",
    remediation:
      "Add the missing object to the release, fix the name in the reference, or mark the reference `optional: true` when the pod can start without it.",
    messages: {
      missing: "The pod needs {{kind}} `{{name}}`, which is not in {{namespace}}; the pod will not start.",
    },
    scope: "cluster",
    fix: "none",
    concepts: ["X-ENV-REF"],
    equivalents: { "kube-linter": ["env-value-from"] },
    notes: `References marked \`optional: true\` are not checked. Secrets that cert-manager Certificates, ExternalSecrets or SealedSecrets of the scan create count as present, and so does the \`kube-root-ca.crt\` ConfigMap every namespace has. ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        for (const pod of runningPodSpecs(resources)) {
          const r = pod.resource;
          for (const ref of podReferences(pod)) {
            const check = resolve(r, ref.kind, ref.name);
            if (check.exists || !check.complete) continue;
            context.report({
              resource: r,
              path: ref.path,
              messageId: "missing",
              data: { kind: ref.kind, name: ref.name, namespace: describeNamespace(namespaceOf(r)) },
              ...(ref.container !== undefined ? { container: ref.container } : {}),
            });
          }
        }
      },
    };
  },
});
