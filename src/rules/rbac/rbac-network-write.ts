import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-network-write",
    title: "Role can change Services, endpoints or network policies",
    severity: "medium",
    description:
      "Whoever can change Services, Endpoints, EndpointSlices, Ingresses or NetworkPolicies can redirect traffic meant for another workload to their own pod, expose it outside the cluster, or lift the policies that isolate it.",
    remediation:
      "Grant write verbs on networking objects only to the deployer or controller that owns them, limited with `resourceNames` where possible.",
    message: "{{kind}} `{{name}}` can change networking objects ({{verbs}} on {{resources}}).",
    enabledByDefault: false,
    concepts: ["RB-NETWORK"],
    equivalents: { trivy: ["KSV-0056"] },
    standards: { mitre: ["T1557"] },
    notes:
      'Off by default: ingress controllers, service meshes, operators and CI deployers hold these rights by design. Enable it to audit human and application roles. Rule entries limited by `resourceNames` are not reported; `resources: ["*"]` is left to rbac-wildcard.',
  },
  grants: [
    {
      apiGroups: ["", "networking.k8s.io", "discovery.k8s.io", "gateway.networking.k8s.io"],
      resources: [
        "services",
        "endpoints",
        "endpointslices",
        "networkpolicies",
        "ingresses",
        "gateways",
        "httproutes",
      ],
      verbs: ["create", "update", "patch", "delete", "deletecollection"],
    },
  ],
  onlyNames: (names) => names.length === 0,
});
