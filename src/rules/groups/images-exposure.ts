// Image, API version, legacy component, labelling and exposure (Service/Ingress) rules.
import type { AnyRule } from "../../core/rule.js";
import ingressWithoutTls from "../network/ingress-without-tls.js";
import serviceExternalIps from "../network/service-external-ips.js";
import serviceNodeport from "../network/service-nodeport.js";
import deprecatedApiVersion from "../reliability/deprecated-api-version.js";
import requiredLabels from "../reliability/required-labels.js";
import configmapSecret from "../security/configmap-secret.js";
import ingressNginxSnippet from "../security/ingress-nginx-snippet.js";
import kubernetesDashboard from "../security/kubernetes-dashboard.js";
import tiller from "../security/tiller.js";
import imageDeprecatedRegistry from "../supply-chain/image-deprecated-registry.js";
import imageNotPinnedByDigest from "../supply-chain/image-not-pinned-by-digest.js";
import imagePullPolicyNotAlways from "../supply-chain/image-pull-policy-not-always.js";
import imageRegistryNotAllowed from "../supply-chain/image-registry-not-allowed.js";
import imageTagAndDigest from "../supply-chain/image-tag-and-digest.js";
import imageTagMutable from "../supply-chain/image-tag-mutable.js";

export const imageAndExposureRules: readonly AnyRule[] = [
  imageTagMutable,
  imageNotPinnedByDigest,
  imagePullPolicyNotAlways,
  imageTagAndDigest,
  imageRegistryNotAllowed,
  imageDeprecatedRegistry,
  deprecatedApiVersion,
  kubernetesDashboard,
  tiller,
  requiredLabels,
  serviceNodeport,
  ingressNginxSnippet,
  ingressWithoutTls,
  serviceExternalIps,
  configmapSecret,
];
