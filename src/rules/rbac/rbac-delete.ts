import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-delete",
    title: "Role can delete workloads, logs or events",
    severity: "low",
    description:
      "Delete rights on workloads are a denial-of-service lever, and deleting pods' logs or the namespace's Events erases the evidence an incident responder needs (MITRE T1070, indicator removal).",
    remediation:
      "Remove `delete` and `deletecollection` from the rule, or limit them to the objects the subject owns with `resourceNames`.",
    message: "{{kind}} `{{name}}` can delete {{resources}} ({{verbs}}).",
    enabledByDefault: false,
    concepts: ["RB-DELETE"],
    equivalents: { trivy: ["KSV-0042"], kubescape: ["C-0007", "C-0031"] },
    standards: { mitre: ["T1070", "T1485"] },
    notes:
      'Off by default: operators, CI deployers and controllers delete pods and jobs as their normal work, so on real charts this rule mostly reports intended rights. Enable it for audits of human and CI roles. Rule entries limited by `resourceNames` are not reported; `resources: ["*"]` is left to rbac-wildcard.',
  },
  grants: [
    {
      apiGroups: ["", "apps", "batch", "events.k8s.io"],
      resources: [
        "pods",
        "pods/log",
        "events",
        "deployments",
        "statefulsets",
        "daemonsets",
        "replicasets",
        "jobs",
        "cronjobs",
        "services",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "namespaces",
      ],
      verbs: ["delete", "deletecollection"],
    },
  ],
  onlyNames: (names) => names.length === 0,
});
