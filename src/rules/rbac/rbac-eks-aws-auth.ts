import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-eks-aws-auth",
    title: "Role can change the EKS aws-auth ConfigMap",
    severity: "critical",
    description:
      "On Amazon EKS the `aws-auth` ConfigMap in kube-system maps IAM roles and users to Kubernetes users and groups: whoever can write it can map an IAM identity they control to `system:masters` and own the cluster.",
    remediation:
      "Remove write verbs on the `aws-auth` ConfigMap from the role; manage the mapping with EKS access entries or from the cluster's infrastructure code.",
    message: "{{kind}} `{{name}}` can change the EKS `aws-auth` ConfigMap ({{verbs}} on {{resources}}).",
    concepts: ["RB-EKS-AUTH"],
    equivalents: { trivy: ["KSV-0115"] },
    standards: { mitre: ["T1098"] },
    notes:
      "Only rule entries that name `aws-auth` in `resourceNames` are reported here; broader ConfigMap write rights are rbac-configmap-write's. Outside EKS the name means nothing special, but a role that names it was written with EKS in mind.",
  },
  grants: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["update", "patch", "delete"] }],
  onlyNames: (names) => names.includes("aws-auth"),
});
