import { defineRule } from "../../core/rule.js";
import { containerPorts } from "../lib/ports.js";
import { servicePortEntries } from "../lib/services.js";

const SSH = 22;

export default defineRule({
  meta: {
    id: "ssh-port",
    title: "Container or Service exposes the SSH port",
    category: "network",
    severity: "low",
    description:
      "Port 22 in a container or Service usually means an SSH server runs inside the container: another way in that bypasses `kubectl exec` auditing and RBAC, with credentials that must be managed and rotated apart from the cluster's.",
    remediation: "Remove the SSH server and use `kubectl exec` or `kubectl debug` for access.",
    messages: {
      container: "Container `{{container}}` declares port 22 (SSH).",
      service: "Service `{{name}}` exposes port 22 (SSH).",
    },
    fix: "none",
    concepts: ["N-SSH"],
    equivalents: { "kube-linter": ["ssh-port"], kubescape: ["C-0042"] },
    notes:
      "Git servers (Gitea, GitLab Shell) and SFTP services serve SSH on purpose: suppress the finding for them with that reason.",
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const p of containerPorts(pod)) {
          if (p.containerPort !== SSH || p.protocol !== "TCP") continue;
          context.report({
            resource: pod.resource,
            path: [...p.path, "containerPort"],
            messageId: "container",
            data: { container: p.container },
            container: p.container,
          });
        }
      },
      resource(svc) {
        for (const p of servicePortEntries(svc)) {
          const at = p.port === SSH ? "port" : p.targetPort === SSH ? "targetPort" : undefined;
          if (at === undefined || p.protocol !== "TCP") continue;
          context.report({
            resource: svc,
            path: ["spec", "ports", p.index, at],
            messageId: "service",
            data: { name: svc.ref.name },
          });
        }
      },
    };
  },
});
