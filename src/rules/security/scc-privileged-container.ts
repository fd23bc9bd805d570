import { defineRule } from "../../core/rule.js";

export default defineRule({
  meta: {
    id: "scc-privileged-container",
    title: "SecurityContextConstraints allow privileged containers",
    category: "security",
    severity: "high",
    description:
      "An OpenShift SecurityContextConstraints object with `allowPrivilegedContainer: true` lets every pod admitted under it run privileged containers, which own the node they run on.",
    remediation:
      "Set `allowPrivilegedContainer: false`, and admit the few workloads that truly need privilege under a separate, narrowly granted SCC.",
    messages: {
      privileged: "SecurityContextConstraints `{{name}}` allows privileged containers.",
    },
    kinds: ["SecurityContextConstraints"],
    fix: "none",
    standards: { mitre: ["T1611"] },
    concepts: ["K-SCC"],
    equivalents: { "kube-linter": ["scc-deny-privileged-container"] },
    notes:
      "OpenShift's own `privileged` SCC allows it by design; what matters is who may use it (RBAC `use` on the SCC), which this rule does not check.",
  },
  create(context) {
    return {
      resource(r) {
        if (!r.ref.apiVersion.startsWith("security.openshift.io/")) return;
        if (r.object["allowPrivilegedContainer"] !== true) return;
        context.report({
          resource: r,
          path: ["allowPrivilegedContainer"],
          messageId: "privileged",
          data: { name: r.ref.name },
        });
      },
    };
  },
});
