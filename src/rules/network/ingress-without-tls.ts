import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

/**
 * Annotations through which cloud load balancers terminate TLS with certificates held outside
 * the cluster, so that `spec.tls` stays empty although clients do get HTTPS.
 */
const EXTERNAL_TLS_ANNOTATIONS = [
  "alb.ingress.kubernetes.io/certificate-arn",
  "networking.gke.io/managed-certificates",
  "ingress.gcp.kubernetes.io/pre-shared-cert",
  "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
];

/** Whether a TLS host entry covers `host`; a wildcard covers exactly one leading label. */
function covers(tlsHost: string, host: string): boolean {
  const a = tlsHost.toLowerCase();
  const b = host.toLowerCase();
  if (a === b) return true;
  if (!a.startsWith("*.")) return false;
  const dot = b.indexOf(".");
  return dot > 0 && !b.startsWith("*.") && b.slice(dot) === a.slice(1);
}

export default defineRule({
  meta: {
    id: "ingress-without-tls",
    title: "Ingress host served without TLS",
    category: "network",
    severity: "medium",
    description:
      "A host that no `spec.tls` entry covers is served over plain HTTP: cookies, tokens and form data cross the network readable and modifiable by anyone on the path.",
    remediation:
      "Add a `spec.tls` entry that lists every host of the Ingress with the Secret holding its certificate (cert-manager can issue it).",
    messages: {
      noTls: "Ingress `{{name}}` serves host `{{host}}` over plain HTTP: it has no `spec.tls`.",
      hostNotInTls:
        "Host `{{host}}` is not listed in any `spec.tls[].hosts` of Ingress `{{name}}`, so it is served over plain HTTP.",
      anyHostNoTls:
        "A rule of Ingress `{{name}}` has no host, so it answers for every host, and the Ingress has no `spec.tls`.",
    },
    kinds: ["Ingress"],
    fix: "none",
    standards: { nsa: ["Network separation and hardening"] },
    concepts: ["N-ING-TLS"],
    equivalents: {
      kubescape: ["C-0231", "C-0245", "C-0263"],
      polaris: ["tlsSettingsMissing"],
      terrascan: ["AC_K8S_0002"],
    },
    notes:
      "TLS terminated in front of the cluster (a CDN, an external load balancer, a service mesh gateway) leaves `spec.tls` empty on purpose: suppress the finding there. Ingresses carrying the AWS ALB `certificate-arn` (or HTTPS `listen-ports`, which discovers certificates), GKE `managed-certificates`/`pre-shared-cert`, or Azure Application Gateway certificate annotations are skipped, and a `spec.tls` entry without `hosts` is taken to cover every host (the controller's default certificate). A rule without a host is reported only when the Ingress has no `spec.tls` at all.",
  },
  create(context) {
    return {
      resource(r) {
        const meta = r.object["metadata"];
        const annotations = isRecord(meta) && isRecord(meta["annotations"]) ? meta["annotations"] : {};
        if (EXTERNAL_TLS_ANNOTATIONS.some((a) => typeof annotations[a] === "string" && annotations[a] !== ""))
          return;
        // The AWS load balancer controller discovers ACM certificates for the hosts when it listens on HTTPS.
        const listen = annotations["alb.ingress.kubernetes.io/listen-ports"];
        if (typeof listen === "string" && listen.includes("HTTPS")) return;
        const spec = r.object["spec"];
        if (!isRecord(spec)) return;
        const rules = Array.isArray(spec["rules"]) ? spec["rules"] : [];
        const tls = (Array.isArray(spec["tls"]) ? spec["tls"] : []).filter(isRecord);
        // An entry without hosts uses the controller's default certificate for every host.
        if (tls.some((t) => !Array.isArray(t["hosts"]) || t["hosts"].length === 0)) return;
        const tlsHosts = tls.flatMap((t) =>
          (t["hosts"] as unknown[]).filter((h): h is string => typeof h === "string"),
        );
        const seen = new Set<string>();
        rules.forEach((rule: unknown, i) => {
          if (!isRecord(rule)) return;
          const host = rule["host"];
          if (typeof host !== "string" || host === "") {
            if (tls.length === 0) {
              context.report({
                resource: r,
                path: ["spec", "rules", i],
                messageId: "anyHostNoTls",
                data: { name: r.ref.name },
              });
            }
            return;
          }
          if (seen.has(host.toLowerCase())) return;
          seen.add(host.toLowerCase());
          if (tlsHosts.some((t) => covers(t, host))) return;
          context.report({
            resource: r,
            path: ["spec", "rules", i, "host"],
            messageId: tls.length === 0 ? "noTls" : "hostNotInTls",
            data: { name: r.ref.name, host },
          });
        });
      },
    };
  },
});
