import { defineRule } from "../../core/rule.js";

// Secret types that Kubernetes or its controllers manage; an external store cannot replace them.
const MANAGED_TYPES = new Set([
  "kubernetes.io/service-account-token",
  "bootstrap.kubernetes.io/token",
  "helm.sh/release.v1",
]);

export default defineRule({
  meta: {
    id: "native-secret",
    title: "Secret kept as a native Kubernetes Secret",
    category: "security",
    severity: "info",
    description:
      "A Secret in a manifest holds its value base64-encoded, not encrypted: whoever reads the repository, the rendered chart or (without encryption at rest) etcd reads the secret. An external secret store (Vault, a cloud secret manager through the External Secrets Operator or the Secrets Store CSI driver, or Sealed Secrets) keeps the value out of the manifests.",
    remediation:
      "Move the value to an external secret store and sync it into the cluster (ExternalSecret, SecretProviderClass, SealedSecret) instead of committing a Secret.",
    messages: {
      native:
        "Secret `{{name}}` is a native Kubernetes Secret in the manifests; consider an external secret store.",
    },
    kinds: ["Secret"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["S-NATIVE"],
    equivalents: {
      kubescape: ["C-0208", "C-0234"],
      kics: ["b9c83569-459b-4110-8f79-6305aa33cb37"],
    },
    notes:
      "Off by default: a policy choice, and many Secrets in charts are generated or empty placeholders. Service-account tokens, bootstrap tokens and Helm release records are never reported.",
  },
  create(context) {
    return {
      resource(r) {
        const type = r.object["type"];
        if (typeof type === "string" && MANAGED_TYPES.has(type)) return;
        context.report({ resource: r, path: ["kind"], messageId: "native", data: { name: r.ref.name } });
      },
    };
  },
});
