import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer } from "../lib/report.js";

const HANDLERS = ["httpGet", "tcpSocket", "grpc", "exec"] as const;

/** The probe's handler (what it calls), in a canonical form; undefined when it has none. */
function handlerOf(probe: unknown): string | undefined {
  if (!isRecord(probe)) return undefined;
  for (const h of HANDLERS) {
    if (isRecord(probe[h])) return `${h}:${canonical(probe[h])}`;
  }
  return undefined;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  // Values parsed from YAML are never undefined, so this is always a string.
  return JSON.stringify(v);
}

export default defineRule({
  meta: {
    id: "probes-identical",
    title: "Liveness probe identical to the readiness probe",
    category: "reliability",
    severity: "low",
    description:
      "When the liveness probe calls the same endpoint as the readiness probe, every time the container is too busy or a dependency is down to be ready, the kubelet also restarts it: overload turns into a restart storm instead of the pod being taken out of the Service until it recovers.",
    remediation:
      "Point the liveness probe at a check that fails only when the process is wedged (a cheap `/livez` that does not test dependencies), or drop it.",
    messages: {
      identical:
        "Container `{{container}}` has a liveness probe that calls the same {{handler}} as its readiness probe: failing readiness restarts it.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["P-IDENT"],
    equivalents: { "kube-score": ["pod-probes-identical"] },
    notes:
      "Off by default: many widely used charts (ingress-nginx, grafana, external-dns) probe one cheap endpoint for both on purpose, and that is harmless when the endpoint tests nothing but the process (on the 63 corpus charts it would report 54 containers). Turn it on to enforce separate checks. Only the handler (httpGet, tcpSocket, grpc or exec and its settings) is compared, as kube-score does; different timings do not make the probes different checks.",
  },
  create(context) {
    return {
      container(c) {
        const live = handlerOf(c.container.livenessProbe);
        if (live === undefined || live !== handlerOf(c.container.readinessProbe)) return;
        reportContainer(context, c, ["livenessProbe"], "identical", {
          handler: live.slice(0, live.indexOf(":")),
        });
      },
    };
  },
});
