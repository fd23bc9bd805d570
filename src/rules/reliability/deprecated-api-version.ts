import { DEFAULT_KUBE_VERSION, kubeMinor } from "../../core/kube-version.js";
import { defineRule } from "../../core/rule.js";

interface Removal {
  /** Kubernetes minor version (1.x) that stopped serving it. */
  removedIn: number;
  /** The apiVersion to use instead, or undefined when the kind itself is gone. */
  replacement: string | undefined;
  /** Minor version from which the replacement is served. */
  since: number;
  /** What to do when there is no replacement API. */
  instead?: string;
}

// The Kubernetes "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/),
// "Removed APIs by release": every removal from v1.16 to v1.32, the last one it lists (v1.33 to v1.35
// removed no beta API). `since` is the release from which the replacement is served, as the guide
// gives it. Keyed by "apiVersion kind".
type Row = readonly [
  apiVersion: string,
  kinds: readonly string[],
  removedIn: number,
  replacement: string | undefined,
  since: number,
];
const ROWS: readonly Row[] = [
  // v1.16
  ["extensions/v1beta1", ["NetworkPolicy"], 16, "networking.k8s.io/v1", 8],
  ["extensions/v1beta1", ["DaemonSet", "Deployment", "ReplicaSet"], 16, "apps/v1", 9],
  ["apps/v1beta1", ["Deployment", "StatefulSet", "ReplicaSet"], 16, "apps/v1", 9],
  ["apps/v1beta2", ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"], 16, "apps/v1", 9],
  ["extensions/v1beta1", ["PodSecurityPolicy"], 16, undefined, 0],
  // v1.22
  [
    "admissionregistration.k8s.io/v1beta1",
    ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    22,
    "admissionregistration.k8s.io/v1",
    16,
  ],
  ["apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], 22, "apiextensions.k8s.io/v1", 16],
  ["apiregistration.k8s.io/v1beta1", ["APIService"], 22, "apiregistration.k8s.io/v1", 10],
  ["authentication.k8s.io/v1beta1", ["TokenReview"], 22, "authentication.k8s.io/v1", 6],
  [
    "authorization.k8s.io/v1beta1",
    ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"],
    22,
    "authorization.k8s.io/v1",
    6,
  ],
  ["certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], 22, "certificates.k8s.io/v1", 19],
  ["coordination.k8s.io/v1beta1", ["Lease"], 22, "coordination.k8s.io/v1", 14],
  ["extensions/v1beta1", ["Ingress"], 22, "networking.k8s.io/v1", 19],
  ["networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], 22, "networking.k8s.io/v1", 19],
  [
    "rbac.authorization.k8s.io/v1beta1",
    ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    22,
    "rbac.authorization.k8s.io/v1",
    8,
  ],
  ["scheduling.k8s.io/v1beta1", ["PriorityClass"], 22, "scheduling.k8s.io/v1", 14],
  ["storage.k8s.io/v1beta1", ["CSIDriver"], 22, "storage.k8s.io/v1", 19],
  ["storage.k8s.io/v1beta1", ["CSINode"], 22, "storage.k8s.io/v1", 17],
  ["storage.k8s.io/v1beta1", ["StorageClass"], 22, "storage.k8s.io/v1", 6],
  ["storage.k8s.io/v1beta1", ["VolumeAttachment"], 22, "storage.k8s.io/v1", 13],
  // v1.25
  ["batch/v1beta1", ["CronJob"], 25, "batch/v1", 21],
  ["discovery.k8s.io/v1beta1", ["EndpointSlice"], 25, "discovery.k8s.io/v1", 21],
  ["events.k8s.io/v1beta1", ["Event"], 25, "events.k8s.io/v1", 19],
  ["autoscaling/v2beta1", ["HorizontalPodAutoscaler"], 25, "autoscaling/v2", 23],
  ["policy/v1beta1", ["PodDisruptionBudget"], 25, "policy/v1", 21],
  ["policy/v1beta1", ["PodSecurityPolicy"], 25, undefined, 0],
  ["node.k8s.io/v1beta1", ["RuntimeClass"], 25, "node.k8s.io/v1", 20],
  // v1.26
  [
    "flowcontrol.apiserver.k8s.io/v1beta1",
    ["FlowSchema", "PriorityLevelConfiguration"],
    26,
    "flowcontrol.apiserver.k8s.io/v1",
    29,
  ],
  ["autoscaling/v2beta2", ["HorizontalPodAutoscaler"], 26, "autoscaling/v2", 23],
  // v1.27
  ["storage.k8s.io/v1beta1", ["CSIStorageCapacity"], 27, "storage.k8s.io/v1", 24],
  // v1.29
  [
    "flowcontrol.apiserver.k8s.io/v1beta2",
    ["FlowSchema", "PriorityLevelConfiguration"],
    29,
    "flowcontrol.apiserver.k8s.io/v1",
    29,
  ],
  // v1.32
  [
    "flowcontrol.apiserver.k8s.io/v1beta3",
    ["FlowSchema", "PriorityLevelConfiguration"],
    32,
    "flowcontrol.apiserver.k8s.io/v1",
    29,
  ],
];

const REMOVED: ReadonlyMap<string, Removal> = new Map(
  ROWS.flatMap(([apiVersion, kinds, removedIn, replacement, since]) =>
    kinds.map((kind): [string, Removal] => [
      `${apiVersion} ${kind}`,
      replacement === undefined
        ? {
            removedIn,
            replacement,
            since,
            instead: "Pod Security Admission (namespace labels) or a policy engine",
          }
        : { removedIn, replacement, since },
    ]),
  ),
);

/** The removal record for an apiVersion and kind, if Kubernetes stopped (or will stop) serving that pair. */
export function removedApi(apiVersion: string, kind: string): Removal | undefined {
  return REMOVED.get(`${apiVersion} ${kind}`);
}

export default defineRule({
  meta: {
    id: "deprecated-api-version",
    title: "Removed or deprecated API version",
    category: "reliability",
    severity: "medium",
    description:
      "Kubernetes stops serving beta API versions some releases after the stable one ships; a manifest that still uses one is rejected by every cluster at or past that release, so the deployment (or the cluster upgrade) fails. The scan checks against the release given with `--kube-version` (default: a recent stable release).",
    remediation:
      "Change `apiVersion` to the replacement the message names and adapt the fields that changed (`kubectl convert` can help).",
    messages: {
      removed:
        "`{{apiVersion}}` {{kind}} is not served by Kubernetes {{target}} (removed in 1.{{removedIn}}); use `{{replacement}}`, served since 1.{{since}}.",
      removedNoReplacement:
        "`{{apiVersion}}` {{kind}} is not served by Kubernetes {{target}} (removed in 1.{{removedIn}}) and has no replacement API; use {{instead}}.",
      deprecated:
        "`{{apiVersion}}` {{kind}} is deprecated: Kubernetes 1.{{removedIn}} stops serving it; move to `{{replacement}}`, already served by {{target}}.",
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
      "The table holds every removal of the Kubernetes Deprecated API Migration Guide (v1.16 to v1.32; v1.33 to v1.35 removed no beta API). For a target release before the removal, the API is reported as deprecated once its replacement is served by that release (so there is something to move to); alpha APIs and the APIs of add-ons (CRDs) are not covered. A chart that picks the apiVersion with `.Capabilities.APIVersions` renders an old one only for old clusters: `--kube-version` sets both the Helm render and this check.",
  },
  create(context) {
    const target =
      kubeMinor(context.kubeVersion ?? DEFAULT_KUBE_VERSION) ?? Number(DEFAULT_KUBE_VERSION.split(".")[1]);
    const targetName = `1.${String(target)}`;
    return {
      resource(r) {
        const removal = removedApi(r.ref.apiVersion, r.ref.kind);
        if (removal === undefined) return;
        const data = {
          apiVersion: r.ref.apiVersion,
          kind: r.ref.kind,
          removedIn: removal.removedIn,
          since: removal.since,
          target: targetName,
        };
        if (removal.removedIn > target) {
          if (removal.replacement === undefined || removal.since > target) return;
          context.report({
            resource: r,
            path: ["apiVersion"],
            messageId: "deprecated",
            data: { ...data, replacement: removal.replacement },
          });
        } else if (removal.replacement === undefined) {
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
