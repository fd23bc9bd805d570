import { defineRule } from "../../core/rule.js";
import { namespaceObjects } from "../lib/namespace-objects.js";

export default defineRule({
  meta: {
    id: "namespace-resourcequota-missing",
    title: "Namespace has no ResourceQuota",
    category: "efficiency",
    severity: "low",
    description:
      "Without a ResourceQuota nothing caps what a namespace may consume: one runaway deployment or a compromised CI token can claim the cluster's CPU, memory, load balancers or volumes and starve every other team.",
    remediation: "Add a ResourceQuota to the namespace with limits on requests, limits and object counts.",
    messages: {
      missing: "Namespace `{{name}}` has no ResourceQuota.",
    },
    kinds: ["Namespace"],
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    concepts: ["R-QUOTA"],
    equivalents: { trivy: ["KSV-0040"], kics: ["48a5beba-e4c0-4584-a2aa-e6894e4cf424"] },
    notes:
      "Off by default: quotas are usually set per tenant by the platform team, outside the application's manifests. Only Namespace objects in the scan are checked, against the ResourceQuotas of the scan (namespace-less ones count for any namespace).",
  },
  create(context) {
    return {
      end(resources) {
        for (const { namespace, members } of namespaceObjects(resources)) {
          if (members.some((r) => r.ref.kind === "ResourceQuota")) continue;
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
