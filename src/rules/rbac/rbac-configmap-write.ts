import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-configmap-write",
    title: "Role can change ConfigMaps",
    severity: "medium",
    description:
      "ConfigMaps configure cluster components and applications: whoever can change them can redirect the cluster's DNS (CoreDNS's `coredns` ConfigMap in kube-system), rewrite node-to-IAM mappings (`aws-auth`) or change an application's behaviour at its next restart.",
    remediation:
      "Grant only get, list and watch on `configmaps`, or limit the write verbs to the ConfigMaps the subject owns with `resourceNames`.",
    message: "{{kind}} `{{name}}` can change ConfigMaps ({{verbs}} on {{resources}}).",
    concepts: ["RB-CONFIGMAP"],
    equivalents: { trivy: ["KSV-0049"], kubescape: ["C-0037"] },
    standards: { mitre: ["T1565"] },
    notes:
      'Only verbs that change or remove an existing ConfigMap are reported: `create` alone (common for leader-election locks) cannot alter the ConfigMaps others rely on. Rule entries limited by `resourceNames` are not reported (writing one named ConfigMap is least privilege); `resources: ["*"]` is left to rbac-wildcard. Operators that manage ConfigMaps for their workloads need these verbs: suppress with a reason.',
  },
  grants: [
    {
      apiGroups: [""],
      resources: ["configmaps"],
      verbs: ["update", "patch", "delete", "deletecollection"],
    },
  ],
  onlyNames: (names) => names.length === 0,
});
