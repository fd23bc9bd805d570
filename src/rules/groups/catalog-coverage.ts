// Rules written to cover the remaining peer concepts that can be checked precisely offline:
// probes, resource bounds, label syntax, key order, OpenShift SCCs, Gatekeeper constraints,
// StatefulSet storage, native Secrets, git-sync overrides, known-vulnerable images, unencrypted EBS
// StorageClasses and agent sandbox templates.
import type { AnyRule } from "../../core/rule.js";
import ephemeralStorageUnbounded from "../efficiency/ephemeral-storage-unbounded.js";
import limitsExceedMaximum from "../efficiency/limits-exceed-maximum.js";
import requestsNotEqualLimits from "../efficiency/requests-not-equal-limits.js";
import statefulsetStorageRequest from "../efficiency/statefulset-storage-request.js";
import keysNotSorted from "../reliability/keys-not-sorted.js";
import labelInvalid from "../reliability/label-invalid.js";
import probePortMissing from "../reliability/probe-port-missing.js";
import probesIdentical from "../reliability/probes-identical.js";
import gitSyncGitOverride from "../security/git-sync-git-override.js";
import kubernetesCveVersion from "../security/kubernetes-cve-version.js";
import namespacesNotUsed from "../security/namespaces-not-used.js";
import nativeSecret from "../security/native-secret.js";
import sandboxTemplateUnhardened from "../security/sandbox-template-unhardened.js";
import sccPrivilegedContainer from "../security/scc-privileged-container.js";
import storageclassUnencrypted from "../security/storageclass-unencrypted.js";
import gatekeeperRepoOpenEnded from "../supply-chain/gatekeeper-repo-open-ended.js";
import imageKnownVulnerable from "../supply-chain/image-known-vulnerable.js";

export const catalogCoverageRules: readonly AnyRule[] = [
  probesIdentical,
  probePortMissing,
  requestsNotEqualLimits,
  ephemeralStorageUnbounded,
  limitsExceedMaximum,
  labelInvalid,
  keysNotSorted,
  statefulsetStorageRequest,
  nativeSecret,
  sccPrivilegedContainer,
  gatekeeperRepoOpenEnded,
  gitSyncGitOverride,
  imageKnownVulnerable,
  storageclassUnencrypted,
  sandboxTemplateUnhardened,
  kubernetesCveVersion,
  namespacesNotUsed,
];
