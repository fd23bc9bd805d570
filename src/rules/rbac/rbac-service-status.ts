import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-service-status",
    title: "Role can change a Service's status",
    severity: "medium",
    description:
      "Writing `services/status` sets `status.loadBalancer.ingress[].ip`, which kube-proxy then routes to the Service: traffic for any IP, inside or outside the cluster, can be captured (CVE-2020-8554, which has no fix in Kubernetes).",
    remediation:
      "Remove `update`/`patch` on `services/status`; only the cloud controller or load-balancer controller should hold it.",
    message: "{{kind}} `{{name}}` can change Services' status ({{verbs}} on {{resources}}).",
    concepts: ["RB-SVCSTATUS"],
    equivalents: { checkov: ["CKV2_K8S_4"] },
    standards: { mitre: ["T1557"] },
    notes:
      "Load-balancer controllers (MetalLB, cloud controllers, kube-vip) need it: suppress the rule on their roles with a reason. Admission policies that restrict `externalIPs` and load-balancer IPs mitigate the CVE.",
  },
  grants: [{ apiGroups: [""], resources: ["services/status"], verbs: ["update", "patch"] }],
});
