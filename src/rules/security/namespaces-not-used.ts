import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";

const SYSTEM = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

export default defineRule({
  meta: {
    id: "namespaces-not-used",
    title: "No namespace besides the system ones",
    category: "security",
    severity: "low",
    description:
      "Namespaces are the boundary RBAC, NetworkPolicies, quotas and Pod Security admission apply to. A cluster whose only namespaces are `default` and the `kube-*` ones runs every workload inside one boundary, so a grant or a policy for one applies to all.",
    remediation:
      "Create a namespace per team or application and move the workloads out of `default`, with RBAC, quotas and NetworkPolicies per namespace.",
    messages: {
      none: "The Namespaces in the input are only the system ones ({{names}}): every workload shares one administrative boundary.",
    },
    scope: "cluster",
    fix: "none",
    concepts: ["M-NS-BOUNDARY"],
    equivalents: { kubescape: ["C-0209"], kics: ["e84eaf4d-2f45-47b2-abe8-e581b06deb66"] },
    notes:
      "Judged only when the input holds Namespace objects (a cluster dump or `scan --cluster`): manifests usually create no Namespace at all, which says nothing about the cluster. Each object left in `default` is the business of default-namespace.",
  },
  create(context) {
    return {
      end() {
        const namespaces: Resource[] = context.resources.filter((r) => r.ref.kind === "Namespace");
        const first = namespaces[0];
        if (first === undefined || namespaces.some((n) => !SYSTEM.has(n.ref.name))) return;
        context.report({
          resource: first,
          path: ["kind"],
          messageId: "none",
          data: { names: namespaces.map((n) => n.ref.name).join(", ") },
        });
      },
    };
  },
});
