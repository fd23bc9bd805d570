import { defineRule } from "../../core/rule.js";
import { runningPodSpecs } from "../lib/workload-pods.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { serviceAccountOf } from "../lib/service-account.js";

export default defineRule({
  meta: {
    id: "service-account-missing",
    title: "Pod runs as a ServiceAccount that does not exist",
    category: "reliability",
    severity: "high",
    description:
      "The API server refuses to create a pod whose ServiceAccount does not exist, so the workload never starts: its ReplicaSet or Job keeps reporting `serviceaccount not found` events.",
    remediation:
      "Create the ServiceAccount in the workload's namespace, or set `serviceAccountName` to one that exists.",
    messages: {
      missing:
        "The pod runs as ServiceAccount `{{name}}`, which is not in {{namespace}}; the API server will not create its pods.",
    },
    scope: "cluster",
    fix: "none",
    concepts: ["X-SA-MISSING"],
    equivalents: {
      "kube-linter": ["non-existent-service-account"],
      kubescape: ["C-0307"],
    },
    notes: `The \`default\` ServiceAccount exists in every namespace and is never reported. ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        for (const pod of runningPodSpecs(resources)) {
          const r = pod.resource;
          const sa = serviceAccountOf(pod);
          if (sa.from === undefined) continue;
          const check = resolve(r, "ServiceAccount", sa.name);
          if (check.exists || !check.complete) continue;
          context.report({
            resource: r,
            path: [...pod.path, sa.from],
            messageId: "missing",
            data: { name: sa.name, namespace: describeNamespace(namespaceOf(r)) },
          });
        }
      },
    };
  },
});
