import { defineRule } from "../../core/rule.js";
import { containerPorts } from "../lib/ports.js";

export default defineRule({
  meta: {
    id: "privileged-port",
    title: "Container listens on a privileged port (below 1024)",
    category: "network",
    severity: "low",
    description:
      "Binding a port below 1024 traditionally needs root or the NET_BIND_SERVICE capability, so images that listen there tend to run as root; a Service can map any port to an unprivileged container port instead.",
    remediation:
      "Make the container listen on a port of 1024 or above and map the well-known port in the Service (`port: 80`, `targetPort: 8080`).",
    messages: {
      privileged: "Container `{{container}}` declares port {{number}}, below 1024.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["N-PRIVPORT"],
    equivalents: { trivy: ["KSV-0117"], "kube-linter": ["privileged-ports"] },
    notes:
      "Off by default: since Kubernetes 1.22 the container runtime sets `net.ipv4.ip_unprivileged_port_start=0` in pods on most setups, so non-root processes can bind low ports and the port alone says little.",
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const p of containerPorts(pod)) {
          if (p.containerPort === undefined || p.containerPort >= 1024 || p.containerPort <= 0) continue;
          context.report({
            resource: pod.resource,
            path: [...p.path, "containerPort"],
            messageId: "privileged",
            data: { container: p.container, number: p.containerPort },
            container: p.container,
          });
        }
      },
    };
  },
});
