// Validating/MutatingWebhookConfigurations: a webhook whose Service is missing or has no ready
// endpoint. With failurePolicy Fail (the default) every matching API request is rejected.
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { num, rec, recs, refKey, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";
import { serviceByName, serviceHealth } from "./service.js";

const CHECKS = {
  "webhook-service-missing": { severity: "critical", title: "Admission webhook's Service does not exist" },
  "webhook-service-unavailable": {
    severity: "critical",
    title: "Admission webhook's Service has no ready endpoints",
  },
} as const satisfies Record<string, Check>;

export const webhookAnalyzer: Analyzer = {
  name: "webhook",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    return ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"].flatMap((kind) =>
      g.all(kind).flatMap((cfg) => {
        const subject = refOf(cfg);
        const out: Problem[] = [];
        recs(cfg["webhooks"]).forEach((wh, i) => {
          const svcRef = rec(rec(wh["clientConfig"])["service"]);
          const name = str(svcRef["name"]);
          const ns = str(svcRef["namespace"]);
          if (name === undefined) return;
          const hook = str(wh["name"]) ?? `#${i}`;
          const fail = (str(wh["failurePolicy"]) ?? "Fail") === "Fail";
          const severity = fail ? "critical" : "medium";
          const effect = fail
            ? "the API server rejects every request the webhook matches (creates and updates of those objects fail)"
            : "the API server skips the webhook (failurePolicy Ignore), so its checks or mutations silently do not happen";
          const svc = serviceByName(ctx, ns, name);
          const svcText = `service/${name} -n ${ns ?? "default"}${num(svcRef["port"]) !== undefined ? `:${String(num(svcRef["port"]))}` : ""}`;
          if (svc === undefined) {
            if (!g.knows("Service", ns ?? "default")) return;
            out.push(
              problem(
                CHECKS,
                "webhook-service-missing",
                subject,
                {
                  message: `webhook "${hook}" calls ${svcText}, which does not exist`,
                  explanation: `The API server cannot reach the webhook, so ${effect}.`,
                  remediation: `Reinstall the component that serves the webhook, or delete the stale ${kind} (kubectl delete ${kind.toLowerCase()} ${subject.name}) if that component was removed.`,
                },
                [
                  field(subject, `webhooks[${i}].clientConfig.service`, svcRef),
                  field(subject, `webhooks[${i}].failurePolicy`, fail ? "Fail" : "Ignore"),
                ],
                {
                  severity,
                  keyParts: [refKey(subject), hook],
                },
              ),
            );
            return;
          }
          const health = serviceHealth(ctx, svc);
          if (health.keys.length === 0) return;
          const message = `webhook "${hook}" calls ${svcText}, which has no ready endpoint`;
          out.push(
            problem(
              CHECKS,
              "webhook-service-unavailable",
              subject,
              {
                message,
                explanation: `The webhook's Service has no ready pod, so ${effect}.`,
                remediation: `Fix the webhook's pods (below); until then, setting failurePolicy: Ignore unblocks the API at the price of skipping the webhook.`,
              },
              [
                field(subject, `webhooks[${i}].clientConfig.service`, svcRef),
                field(subject, `webhooks[${i}].failurePolicy`, fail ? "Fail" : "Ignore"),
              ],
              {
                severity,
                keyParts: [refKey(subject), hook],
                causes: {
                  keys: health.keys,
                  via: [
                    objStep(subject, `webhook ${hook} (failurePolicy ${fail ? "Fail" : "Ignore"})`),
                    ...health.via,
                  ],
                },
              },
            ),
          );
        });
        return out;
      }),
    );
  },
};
