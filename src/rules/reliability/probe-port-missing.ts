import { defineRule } from "../../core/rule.js";
import { reportContainer } from "../lib/report.js";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;

export default defineRule({
  meta: {
    id: "probe-port-missing",
    title: "Probe names a port the container does not declare",
    category: "reliability",
    severity: "high",
    description:
      "A probe may name its port (`port: http`); the kubelet resolves the name among the container's own `ports`. When no port of the container has that name, the probe can never succeed: a liveness probe restarts the container forever, a readiness probe keeps it out of every Service, a startup probe never lets it start.",
    remediation: "Name the port in the container's `ports` list, or give the probe the port number.",
    messages: {
      missing:
        "Container `{{container}}`: the {{probe}} uses port `{{port}}`, but the container declares no port with that name.",
    },
    fix: "none",
    concepts: ["P-PORT"],
    equivalents: { "kube-linter": ["liveness-port", "readiness-port", "startup-port"] },
    notes:
      "Only named ports are checked: a probe may use any port number, listed in `ports` or not (the list is informational), so kube-linter's report of an unlisted number is not repeated here.",
  },
  create(context) {
    return {
      container(c) {
        if (c.kind === "ephemeralContainer") return;
        const names = new Set(
          (c.container.ports ?? []).map((p) => p.name).filter((n) => typeof n === "string"),
        );
        for (const probe of PROBES) {
          const p = c.container[probe];
          for (const handler of ["httpGet", "tcpSocket"] as const) {
            const port: unknown = p?.[handler]?.port;
            if (typeof port !== "string" || /^\d+$/.test(port) || names.has(port)) continue;
            reportContainer(context, c, [probe, handler, "port"], "missing", { probe, port });
          }
        }
      },
    };
  },
});
