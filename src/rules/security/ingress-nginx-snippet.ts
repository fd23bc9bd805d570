import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

/**
 * ingress-nginx snippet annotations: `<prefix>/configuration-snippet`, `server-snippet`,
 * `auth-snippet`, `stream-snippet`, `modsecurity-snippet`. The default prefix is
 * `nginx.ingress.kubernetes.io`; old releases used `ingress.kubernetes.io`.
 */
const SNIPPET_ANNOTATION = /^([\w.-]*\.)?ingress\.kubernetes\.io\/[\w.-]*snippet$/;

/** ingress-nginx reads its ConfigMap booleans with Go's strconv.ParseBool. */
const TRUE_VALUES = ["1", "t", "T", "true", "TRUE", "True"];

export default defineRule({
  meta: {
    id: "ingress-nginx-snippet",
    title: "ingress-nginx snippet annotations",
    category: "security",
    severity: "high",
    description:
      "Snippet annotations paste raw NGINX configuration into the controller shared by every Ingress; anyone allowed to create an Ingress can then read the controller's service account token, which can read every Secret in the cluster (CVE-2021-25742, CVE-2023-5043).",
    remediation:
      'Replace snippets with the dedicated ingress-nginx annotations, and set `allow-snippet-annotations: "false"` in the controller\'s ConfigMap.',
    messages: {
      snippetAnnotation: "Ingress `{{name}}` injects raw NGINX configuration with `{{annotation}}`.",
      snippetsAllowed:
        'ConfigMap `{{name}}` sets `allow-snippet-annotations: "{{value}}"`: every user who can create an Ingress can inject NGINX configuration into the controller.',
    },
    kinds: ["Ingress", "ConfigMap"],
    fix: "none",
    concepts: ["N-NGINX-SNIPPET"],
    equivalents: {
      trivy: ["KCV-0093"],
      kubescape: ["C-0059"],
      checkov: ["CKV_K8S_154", "CKV_K8S_153", "CKV_K8S_152"],
      terrascan: ["AC_K8S_0050"],
    },
    notes:
      "In a cluster where only administrators can write Ingresses the snippets are not an escalation path, only a maintenance risk; suppress with a reason there. A ConfigMap is recognised by its `allow-snippet-annotations` key alone, and Ingresses by the annotation prefix (`nginx.ingress.kubernetes.io`, or a custom prefix ending in `ingress.kubernetes.io`); F5 NGINX Ingress (`nginx.org/*-snippets`) and other controllers are out of scope. Controllers before v1.9.0 allow snippets when the ConfigMap does not mention the key at all; that default is not detected.",
  },
  create(context) {
    return {
      resource(r) {
        const meta = r.object["metadata"];
        if (r.ref.kind === "Ingress") {
          const annotations = isRecord(meta) ? meta["annotations"] : undefined;
          if (!isRecord(annotations)) return;
          for (const [key, value] of Object.entries(annotations)) {
            if (!SNIPPET_ANNOTATION.test(key) || typeof value !== "string" || value.trim() === "") continue;
            context.report({
              resource: r,
              path: ["metadata", "annotations", key],
              messageId: "snippetAnnotation",
              data: { name: r.ref.name, annotation: key },
            });
          }
          return;
        }
        const data = r.object["data"];
        if (!isRecord(data)) return;
        const value = data["allow-snippet-annotations"];
        if (typeof value !== "string" || !TRUE_VALUES.includes(value)) return;
        context.report({
          resource: r,
          path: ["data", "allow-snippet-annotations"],
          messageId: "snippetsAllowed",
          data: { name: r.ref.name, value },
        });
      },
    };
  },
});
