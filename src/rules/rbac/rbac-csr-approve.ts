import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-csr-approve",
    title: "Role can approve certificate signing requests",
    severity: "high",
    description:
      "Approving a CertificateSigningRequest makes the cluster's CA sign it: a subject that can create and approve CSRs can issue itself a client certificate for any user or group, `system:masters` included, and so become cluster admin.",
    remediation:
      "Remove `update`/`patch` on `certificatesigningrequests/approval` and `approve` on `signers`; leave approval to the controller manager or a dedicated, audited approver.",
    message: "{{kind}} `{{name}}` can approve certificate signing requests ({{verbs}} on {{resources}}).",
    concepts: ["RB-CSR"],
    equivalents: { kubescape: ["C-0280"], checkov: ["CKV_K8S_156"] },
    standards: { cis: ["5.1.11"], mitre: ["T1078"] },
    notes:
      "Approving needs both a grant on the approval subresource and `approve` on the signer; either one is reported, because together they are the dangerous pair and roles often grant them separately. Certificate managers (cert-manager's approver, kubelet-serving approvers) need it: suppress with a reason.",
  },
  grants: [
    {
      apiGroups: ["certificates.k8s.io"],
      resources: ["certificatesigningrequests/approval"],
      verbs: ["update", "patch"],
    },
    { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] },
  ],
});
