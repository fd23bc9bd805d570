import { defineRule } from "../../core/rule.js";
import { containerPorts, portNameProblem } from "../lib/ports.js";
import { servicePortEntries } from "../lib/services.js";

export default defineRule({
  meta: {
    id: "port-name-invalid",
    title: "Port name is not a valid IANA service name",
    category: "network",
    severity: "high",
    description:
      "Container port names and the port names a Service's `targetPort` refers to must be IANA service names (at most 15 characters of lowercase letters, digits and '-', with a letter): the API server rejects the object otherwise, so the workload or Service is never created.",
    remediation:
      "Rename the port to at most 15 lowercase letters, digits and single hyphens, with at least one letter.",
    messages: {
      container: "Port name `{{port}}` of container `{{container}}` {{problem}}.",
      targetPort: "Service `{{name}}` targets port name `{{port}}`, which {{problem}}.",
    },
    kinds: [
      "Service",
      "Pod",
      "PodTemplate",
      "Deployment",
      "ReplicaSet",
      "ReplicationController",
      "StatefulSet",
      "DaemonSet",
      "Job",
      "CronJob",
      "DeploymentConfig",
    ],
    fix: "none",
    concepts: ["N-PORTNAME"],
    equivalents: { "kube-linter": ["invalid-target-ports"] },
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const p of containerPorts(pod)) {
          if (p.name === undefined) continue;
          const problem = portNameProblem(p.name);
          if (problem !== undefined)
            context.report({
              resource: pod.resource,
              path: [...p.path, "name"],
              messageId: "container",
              data: { port: p.name, container: p.container, problem },
              container: p.container,
            });
        }
      },
      resource(svc) {
        for (const { index, targetPort: target } of servicePortEntries(svc)) {
          if (typeof target !== "string" || /^\d+$/.test(target)) continue;
          const problem = portNameProblem(target);
          if (problem !== undefined)
            context.report({
              resource: svc,
              path: ["spec", "ports", index, "targetPort"],
              messageId: "targetPort",
              data: { name: svc.ref.name, port: target, problem },
            });
        }
      },
    };
  },
});
