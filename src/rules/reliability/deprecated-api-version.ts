import { defineRule } from "../../core/rule.js";

interface Removal {
  /** Kubernetes minor version that stopped serving it. */
  removedIn: string;
  /** The apiVersion to use instead, or undefined when the kind itself is gone. */
  replacement: string | undefined;
  /** What to do when there is no replacement API. */
  instead?: string;
}

// From the Kubernetes "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/),
// "Removed APIs by release", v1.16 to v1.32. Keyed by "apiVersion kind".
const REMOVED: ReadonlyMap<string, Removal> = new Map(
  (
    [
      // v1.16
      ["extensions/v1beta1", ["NetworkPolicy"], "1.16", "networking.k8s.io/v1"],
      ["extensions/v1beta1", ["DaemonSet", "Deployment", "ReplicaSet"], "1.16", "apps/v1"],
      ["apps/v1beta1", ["Deployment", "StatefulSet", "ReplicaSet"], "1.16", "apps/v1"],
      ["apps/v1beta2", ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"], "1.16", "apps/v1"],
      ["extensions/v1beta1", ["PodSecurityPolicy"], "1.16", undefined],
      // v1.22
      [
        "admissionregistration.k8s.io/v1beta1",
        ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
        "1.22",
        "admissionregistration.k8s.io/v1",
      ],
      ["apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], "1.22", "apiextensions.k8s.io/v1"],
      ["apiregistration.k8s.io/v1beta1", ["APIService"], "1.22", "apiregistration.k8s.io/v1"],
      ["authentication.k8s.io/v1beta1", ["TokenReview"], "1.22", "authentication.k8s.io/v1"],
      [
        "authorization.k8s.io/v1beta1",
        [
          "LocalSubjectAccessReview",
          "SelfSubjectAccessReview",
          "SubjectAccessReview",
          "SelfSubjectRulesReview",
        ],
        "1.22",
        "authorization.k8s.io/v1",
      ],
      ["certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], "1.22", "certificates.k8s.io/v1"],
      ["coordination.k8s.io/v1beta1", ["Lease"], "1.22", "coordination.k8s.io/v1"],
      ["extensions/v1beta1", ["Ingress"], "1.22", "networking.k8s.io/v1"],
      ["networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], "1.22", "networking.k8s.io/v1"],
      [
        "rbac.authorization.k8s.io/v1beta1",
        ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        "1.22",
        "rbac.authorization.k8s.io/v1",
      ],
      ["scheduling.k8s.io/v1beta1", ["PriorityClass"], "1.22", "scheduling.k8s.io/v1"],
      [
        "storage.k8s.io/v1beta1",
        ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        "1.22",
        "storage.k8s.io/v1",
      ],
      // v1.25
      ["batch/v1beta1", ["CronJob"], "1.25", "batch/v1"],
      ["discovery.k8s.io/v1beta1", ["EndpointSlice"], "1.25", "discovery.k8s.io/v1"],
      ["events.k8s.io/v1beta1", ["Event"], "1.25", "events.k8s.io/v1"],
      ["autoscaling/v2beta1", ["HorizontalPodAutoscaler"], "1.25", "autoscaling/v2"],
      ["policy/v1beta1", ["PodDisruptionBudget"], "1.25", "policy/v1"],
      ["policy/v1beta1", ["PodSecurityPolicy"], "1.25", undefined],
      ["node.k8s.io/v1beta1", ["RuntimeClass"], "1.25", "node.k8s.io/v1"],
      // v1.26
      [
        "flowcontrol.apiserver.k8s.io/v1beta1",
        ["FlowSchema", "PriorityLevelConfiguration"],
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1",
      ],
      ["autoscaling/v2beta2", ["HorizontalPodAutoscaler"], "1.26", "autoscaling/v2"],
      // v1.27
      ["storage.k8s.io/v1beta1", ["CSIStorageCapacity"], "1.27", "storage.k8s.io/v1"],
      // v1.29
      [
        "flowcontrol.apiserver.k8s.io/v1beta2",
        ["FlowSchema", "PriorityLevelConfiguration"],
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1",
      ],
      // v1.32
      [
        "flowcontrol.apiserver.k8s.io/v1beta3",
        ["FlowSchema", "PriorityLevelConfiguration"],
        "1.32",
        "flowcontrol.apiserver.k8s.io/v1",
      ],
    ] as const
  ).flatMap(([apiVersion, kinds, removedIn, replacement]) =>
    kinds.map((kind): [string, Removal] => [
      `${apiVersion} ${kind}`,
      replacement === undefined
        ? { removedIn, replacement, instead: "Pod Security Admission (namespace labels) or a policy engine" }
        : { removedIn, replacement },
    ]),
  ),
);

/** The removal record for an apiVersion and kind, if Kubernetes no longer serves that pair. */
function removedApi(apiVersion: string, kind: string): Removal | undefined {
  return REMOVED.get(`${apiVersion} ${kind}`);
}

export default defineRule({
  meta: {
    id: "deprecated-api-version",
    title: "Removed API version",
    category: "reliability",
    severity: "medium",
    description:
      "Kubernetes stops serving beta API versions some releases after the stable one ships; a manifest that still uses one is rejected by every cluster at or past that release, so the deployment (or the cluster upgrade) fails.",
    remediation:
      "Change `apiVersion` to the replacement the message names and adapt the fields that changed (`kubectl convert` can help).",
    messages: {
      removed:
        "`{{apiVersion}}` {{kind}} is no longer served since Kubernetes {{removedIn}}; use `{{replacement}}`.",
      removedNoReplacement:
        "`{{apiVersion}}` {{kind}} is no longer served since Kubernetes {{removedIn}} and has no replacement API; use {{instead}}.",
    },
    fix: "none",
    concepts: ["M-DEPR-API"],
    equivalents: {
      trivy: ["KSV-0107"],
      "kube-linter": ["no-extensions-v1beta"],
      "kube-score": ["stable-version"],
      kics: ["94b76ea5-e074-4ca2-8a03-c5a606e30645"],
      kubeaudit: ["deprecatedapis/DeprecatedAPIUsed"],
    },
    notes:
      "The table holds the removals of the Kubernetes Deprecated API Migration Guide up to v1.32; versions that are deprecated but still served, and APIs of add-ons (CRDs), are not flagged. A chart that picks the apiVersion with `.Capabilities.APIVersions` may render an old one only for old clusters: scan it rendered for the cluster version you run.",
  },
  create(context) {
    return {
      resource(r) {
        const removal = removedApi(r.ref.apiVersion, r.ref.kind);
        if (removal === undefined) return;
        const data = { apiVersion: r.ref.apiVersion, kind: r.ref.kind, removedIn: removal.removedIn };
        if (removal.replacement === undefined) {
          context.report({
            resource: r,
            path: ["apiVersion"],
            messageId: "removedNoReplacement",
            data: { ...data, instead: removal.instead ?? "another mechanism" },
          });
        } else {
          context.report({
            resource: r,
            path: ["apiVersion"],
            messageId: "removed",
            data: { ...data, replacement: removal.replacement },
          });
        }
      },
    };
  },
});
