import { defineRule } from "../../core/rule.js";
import { containerPorts } from "../lib/ports.js";

export default defineRule({
  meta: {
    id: "container-port-duplicate",
    title: "Pod declares the same port name or port number twice",
    category: "network",
    severity: "medium",
    description:
      "The API server rejects a container that declares one port name twice, and the same port number and protocol declared twice in a pod means two processes would bind it: one of them fails to start, and Server-Side Apply merges the entries by port, losing one.",
    remediation: "Give every port of the pod its own name and its own number/protocol pair.",
    messages: {
      name: "Port name `{{port}}` is declared twice in container `{{container}}`.",
      number: "Port {{number}}/{{protocol}} is declared twice (containers `{{first}}` and `{{container}}`).",
    },
    fix: "none",
    concepts: ["N-PORTS"],
    equivalents: { "kube-score": ["container-ports-check"] },
    notes:
      "Init containers that run to completion may reuse a regular container's port; only long-running ones are compared with each other.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const names = new Map<string, string>();
        const numbers = new Map<string, string>();
        // Ordinary init containers have exited before the others start.
        const init = new Set(
          (Array.isArray(pod.spec.initContainers) ? pod.spec.initContainers : [])
            .filter((c) => c.restartPolicy !== "Always")
            .map((c) => c.name),
        );
        for (const p of containerPorts(pod)) {
          if (p.path.includes("initContainers") && init.has(p.container)) continue;
          const report = (messageId: "name" | "number", first: string, at: string) => {
            context.report({
              resource: pod.resource,
              path: [...p.path, at],
              messageId,
              data: {
                port: p.name ?? "",
                number: p.containerPort ?? "",
                protocol: p.protocol,
                first,
                container: p.container,
              },
              container: p.container,
            });
          };
          // Names must be unique within a container; containers of a pod may repeat one.
          if (p.name !== undefined) {
            const key = `${p.container}/${p.name}`;
            if (names.has(key)) report("name", p.container, "name");
            else names.set(key, p.container);
          }
          if (p.containerPort !== undefined) {
            const key = `${p.containerPort}/${p.protocol}`;
            const first = numbers.get(key);
            if (first !== undefined) report("number", first, "containerPort");
            else numbers.set(key, p.container);
          }
        }
      },
    };
  },
});
