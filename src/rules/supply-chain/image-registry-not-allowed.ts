// An instance of the `allowed-registries` template with its allow-list open to users.
import { allowedRegistriesTemplate } from "../templates/allowed-registries.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(allowedRegistriesTemplate, {
  meta: {
    id: "image-registry-not-allowed",
    title: "Image from a registry outside the allowed list",
    category: "supply-chain",
    severity: "high",
    description:
      'Organisations pull images only from registries they control or trust (a mirror that scans and signs images, the cloud provider\'s registry): an image from anywhere else bypasses those checks, and a typo-squatted or hijacked public repository runs with the pod\'s privileges (NSA-CISA Kubernetes Hardening Guide, "Use trusted repositories"; Kubernetes docs, "Images": https://kubernetes.io/docs/concepts/containers/images/).',
    remediation:
      "Pull the image through an allowed registry (mirror it there), or add its registry to `allowedRegistries` if it is trusted.",
    messages: {
      notAllowed:
        "Container `{{container}}` pulls `{{image}}` from `{{registry}}`, which is not in the allowed registries ({{allowed}}).",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["I-REGISTRY"],
    equivalents: {
      trivy: ["KSV-0032", "KSV-0035", "KSV-0033", "KSV-0034", "KSV-0125"],
      kubescape: ["C-0001", "C-0078"],
    },
    notes:
      'Off until configured: set `allowedRegistries` to your registries, e.g. `["registry.example.com", "*.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io/acme"]` (the examples on this page use `registry.example.com`). An entry names a registry host or a path prefix within one; images without a registry are Docker Hub, written `docker.io` (official images are `docker.io/library/…`). With an empty list the rule reports nothing. Unrendered templates and containers without an image are skipped.',
  },
  messageIds: { notAllowed: "notAllowed" },
  configurable: { defaults: {} },
});
