import { defineRule } from "../../core/rule.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { serviceAccountOf } from "../lib/service-account.js";
import { runningPodSpecs } from "../lib/workload-pods.js";
import type { PodSpecView } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "service-account-shared",
    title: "Several workloads share one ServiceAccount",
    category: "security",
    severity: "low",
    description:
      "Workloads that share a ServiceAccount share every permission and cloud identity granted to it, so the least-privileged of them effectively holds the rights the most demanding one needs, and a compromise of any of them exposes all.",
    remediation: "Give each workload its own ServiceAccount with only the permissions it needs.",
    messages: {
      shared: "ServiceAccount `{{name}}` in {{namespace}} is already used by {{others}}.",
    },
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    concepts: ["X-SA-SHARED"],
    equivalents: { kics: ["c1032cf7-3628-44e2-bd53-38c17cf31b6b"] },
    notes:
      "Off by default: charts commonly run several components of one application under one ServiceAccount on purpose. The `default` ServiceAccount is left to `default-service-account`; Pods owned by a controller of the scan are not counted twice.",
  },
  create(context) {
    return {
      end(resources) {
        const users = new Map<string, PodSpecView[]>();
        for (const pod of runningPodSpecs(resources)) {
          const sa = serviceAccountOf(pod);
          if (sa.from === undefined || sa.name === "default") continue;
          const key = `${namespaceOf(pod.resource)}/${sa.name}`;
          users.set(key, [...(users.get(key) ?? []), pod]);
        }
        for (const pods of users.values()) {
          // The first user is reported as the one the others share with.
          const [first, ...rest] = pods;
          if (first === undefined) continue;
          for (const pod of rest) {
            const sa = serviceAccountOf(pod);
            if (sa.from === undefined) continue;
            context.report({
              resource: pod.resource,
              path: [...pod.path, sa.from],
              messageId: "shared",
              data: {
                name: sa.name,
                namespace: describeNamespace(namespaceOf(pod.resource)),
                others: `${first.resource.ref.kind} \`${first.resource.ref.name}\``,
              },
            });
          }
        }
      },
    };
  },
});
