import { defineRule } from "../../core/rule.js";

/** Kinds that live outside namespaces: a `namespace` on them is ignored by the API server. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterIssuer",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterTrustBundle",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "DeviceClass",
  "FlowSchema",
  "IngressClass",
  "IPAddress",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "SecurityContextConstraints",
  "ServiceCIDR",
  "StorageClass",
  "StorageVersion",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeSnapshotClass",
]);

/** Objects Kubernetes itself keeps in `default`; they show up in exports of a cluster. */
const SYSTEM_OBJECTS: ReadonlySet<string> = new Set([
  "Service/kubernetes",
  "Endpoints/kubernetes",
  "EndpointSlice/kubernetes",
  "ServiceAccount/default",
  "ConfigMap/kube-root-ca.crt",
]);

export default defineRule({
  meta: {
    id: "default-namespace",
    title: "Object in the default namespace",
    category: "security",
    severity: "low",
    description:
      "The `default` namespace is shared by everything nobody placed elsewhere, so RBAC, NetworkPolicies, quotas and Pod Security labels cannot be scoped to the application, and names collide.",
    remediation: "Create a namespace for the application and set `metadata.namespace` to it.",
    messages: {
      defaultNamespace: "`{{kind}}` `{{name}}` is placed in the `default` namespace.",
    },
    fix: "none",
    standards: { cis: ["5.7.4"], nsa: ["Namespaces"] },
    concepts: ["W-NS-DEFAULT"],
    equivalents: {
      trivy: ["KSV-0110"],
      "kube-linter": ["use-namespace"],
      kubescape: ["C-0061", "C-0212"],
      checkov: ["CKV_K8S_21"],
      kics: ["611ab018-c4aa-4ba2-b0f6-a448337509a6"],
      terrascan: ["AC_K8S_0086"],
    },
    notes:
      "Only an explicit `metadata.namespace: default` is reported. Objects without a namespace get one at apply time (`kubectl -n`, Helm `--namespace`, Kustomize `namespace:`), and may still land in `default` if none is given; this rule cannot see that. Likewise a Helm chart that kubeward renders without `--namespace` is not reported where it writes `.Release.Namespace` (helm fills in `default`; the namespace is chosen at install); pass `--namespace default` to check that choice. Cluster-scoped kinds and the objects Kubernetes itself keeps there (the `kubernetes` Service and its endpoints, the `default` ServiceAccount, the `kube-root-ca.crt` ConfigMap) are never reported.",
  },
  create(context) {
    return {
      resource(r) {
        if (r.ref.namespace !== "default" || CLUSTER_SCOPED.has(r.ref.kind)) return;
        // `helm template` without --namespace writes "default" wherever a chart uses .Release.Namespace.
        if (r.defaultedNamespace === r.ref.namespace) return;
        if (SYSTEM_OBJECTS.has(`${r.ref.kind}/${r.ref.name}`)) return;
        context.report({
          resource: r,
          path: ["metadata", "namespace"],
          messageId: "defaultNamespace",
          data: { kind: r.ref.kind, name: r.ref.name },
        });
      },
    };
  },
});
