// Ingresses: a missing IngressClass, backends whose Service or port does not exist, a missing TLS
// Secret, and backends whose Service has no ready endpoint (folded into the root cause below it).
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { num, rec, recs, refKey, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";
import { serviceByName, serviceHealth, servicePortMatches, servicePortsText } from "./service.js";

const CHECKS = {
  "ingress-class-missing": { severity: "high", title: "Ingress names an IngressClass that does not exist" },
  "ingress-backend-service-missing": { severity: "high", title: "Ingress backend Service does not exist" },
  "ingress-backend-port-missing": {
    severity: "high",
    title: "Ingress backend port is not a port of the Service",
  },
  "ingress-tls-secret-missing": { severity: "medium", title: "Ingress TLS Secret does not exist" },
  "ingress-backend-unavailable": { severity: "high", title: "Ingress backend has no ready endpoints" },
} as const satisfies Record<string, Check>;

export const ingressAnalyzer: Analyzer = {
  name: "ingress",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    return g.all("Ingress").flatMap((ing) => {
      const subject = refOf(ing);
      const ns = subject.namespace;
      const spec = rec(ing["spec"]);
      const out: Problem[] = [];
      const cls = str(spec["ingressClassName"]);
      if (
        cls !== undefined &&
        g.knows("IngressClass") &&
        g.get("IngressClass", undefined, cls) === undefined
      ) {
        out.push(
          problem(
            CHECKS,
            "ingress-class-missing",
            subject,
            {
              message: `IngressClass "${cls}" does not exist`,
              explanation: `No ingress controller claims class "${cls}", so nothing routes this Ingress's traffic.`,
              remediation: `Set spec.ingressClassName to one of the cluster's IngressClasses (kubectl get ingressclass) or install the controller for "${cls}".`,
            },
            [field(subject, "spec.ingressClassName", cls)],
          ),
        );
      }
      const backends: { path: string; svc: Record<string, unknown> }[] = [];
      const def = rec(rec(spec["defaultBackend"])["service"]);
      if (str(def["name"]) !== undefined) backends.push({ path: "spec.defaultBackend.service", svc: def });
      recs(spec["rules"]).forEach((rule, r) => {
        recs(rec(rule["http"])["paths"]).forEach((p, i) => {
          const svc = rec(rec(p["backend"])["service"]);
          if (str(svc["name"]) !== undefined)
            backends.push({ path: `spec.rules[${r}].http.paths[${i}].backend.service`, svc });
        });
      });
      const seen = new Set<string>();
      for (const { path, svc: ref } of backends) {
        const name = str(ref["name"]) ?? "";
        const port = rec(ref["port"]);
        const number = num(port["number"]);
        const portName = str(port["name"]);
        const portText = number !== undefined ? String(number) : (portName ?? "");
        if (seen.has(`${name}:${portText}`)) continue;
        seen.add(`${name}:${portText}`);
        const svc = serviceByName(ctx, ns, name);
        if (svc === undefined) {
          if (!g.knows("Service", ns)) continue;
          out.push(
            problem(
              CHECKS,
              "ingress-backend-service-missing",
              subject,
              {
                message: `backend Service "${name}" does not exist`,
                explanation: `The Ingress routes to Service "${name}" in namespace ${ns ?? "default"}, which does not exist; the controller answers these requests with 503 or 404.`,
                remediation: `Create the Service or correct ${path}.name.`,
              },
              [field(subject, `${path}.name`, name)],
              { keyParts: [refKey(subject), name] },
            ),
          );
          continue;
        }
        if (
          !servicePortMatches(svc, {
            ...(number !== undefined ? { number } : {}),
            ...(portName !== undefined ? { name: portName } : {}),
          })
        ) {
          out.push(
            problem(
              CHECKS,
              "ingress-backend-port-missing",
              subject,
              {
                message: `backend port ${portText} is not a port of Service "${name}" (it has ${servicePortsText(svc) || "no ports"})`,
                explanation: `The Ingress sends traffic to port ${portText} of Service "${name}", but the Service does not expose that port, so the controller has no upstream for these paths.`,
                remediation: `Set ${path}.port to one of the Service's ports (${servicePortsText(svc) || "none"}), or add the port to the Service.`,
              },
              [
                field(subject, `${path}.port`, port),
                field(
                  refOf(svc),
                  "spec.ports",
                  recs(rec(svc["spec"])["ports"]).map((p) => p["port"]),
                ),
              ],
              {
                keyParts: [refKey(subject), name, portText],
              },
            ),
          );
          continue;
        }
        const health = serviceHealth(ctx, svc);
        if (health.keys.length > 0) {
          const message = `backend ${name}:${portText} has no ready endpoints`;
          out.push(
            problem(
              CHECKS,
              "ingress-backend-unavailable",
              subject,
              {
                message,
                explanation: `Requests routed to Service "${name}" fail because the Service has no ready pod behind it.`,
                remediation: `Fix the cause below the Service; the Ingress needs no change.`,
              },
              [field(subject, `${path}.name`, name)],
              {
                keyParts: [refKey(subject), name],
                causes: {
                  keys: health.keys,
                  via: [objStep(subject, `routes to service/${name}:${portText}`), ...health.via],
                },
              },
            ),
          );
        }
      }
      const tlsPaths = recs(spec["tls"]);
      tlsPaths.forEach((t, i) => {
        const secret = str(t["secretName"]);
        if (secret === undefined || !g.knows("Secret", ns) || g.get("Secret", ns, secret) !== undefined)
          return;
        out.push(
          problem(
            CHECKS,
            "ingress-tls-secret-missing",
            subject,
            {
              message: `TLS Secret "${secret}" does not exist`,
              explanation: `The controller cannot load the certificate for this Ingress and serves its default (self-signed) certificate instead.`,
              remediation: `Create the TLS Secret "${secret}" (or let cert-manager issue it) or correct spec.tls[${i}].secretName.`,
            },
            [field(subject, `spec.tls[${i}].secretName`, secret)],
            { keyParts: [refKey(subject), secret] },
          ),
        );
      });
      return out;
    });
  },
};
