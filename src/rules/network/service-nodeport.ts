import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "service-nodeport",
    title: "Service of type NodePort",
    category: "network",
    severity: "low",
    description:
      "A NodePort Service opens its port on every node's addresses, bypassing Ingress, load balancer and most firewall rules that were written for them; on nodes with public IPs the workload is on the internet.",
    remediation:
      "Use a `ClusterIP` Service behind an Ingress or Gateway, or a `LoadBalancer` Service, instead of `type: NodePort`.",
    messages: {
      nodePort: "Service `{{name}}` has `type: NodePort`: it listens on every node{{ports}}.",
    },
    kinds: ["Service"],
    fix: "unsafe",
    standards: { nsa: ["Network separation and hardening"] },
    concepts: ["N-NODEPORT"],
    equivalents: {
      "kube-linter": ["exposed-services"],
      "kube-score": ["service-type"],
      kics: ["845acfbe-3e10-4b8e-b656-3b404d36dfb2"],
      terrascan: ["AC_K8S_0111"],
    },
    notes:
      "NodePort is the normal way to expose a Service on bare-metal clusters without a load balancer integration, and for an ingress controller behind an external load balancer that targets node ports: suppress it there. `LoadBalancer` Services, which also allocate node ports, are not flagged.",
  },
  create(context) {
    return {
      resource(r) {
        const spec = r.object["spec"];
        if (!isRecord(spec) || spec["type"] !== "NodePort") return;
        const ports = Array.isArray(spec["ports"]) ? spec["ports"] : [];
        const fixed = ports
          .map((p: unknown) => (isRecord(p) && typeof p["nodePort"] === "number" ? p["nodePort"] : undefined))
          .filter((p): p is number => p !== undefined);
        context.report({
          resource: r,
          path: ["spec", "type"],
          messageId: "nodePort",
          data: {
            name: r.ref.name,
            ports: fixed.length === 0 ? "" : ` (node port${fixed.length > 1 ? "s" : ""} ${fixed.join(", ")})`,
          },
          fix: {
            description: `Make Service ${r.ref.name} type ClusterIP (and drop its nodePort and externalTrafficPolicy fields, which only node ports use).`,
            ops: [
              { op: "set", path: ["spec", "type"], value: "ClusterIP" },
              ...ports.flatMap((p: unknown, i) =>
                isRecord(p) && p["nodePort"] !== undefined
                  ? [{ op: "remove" as const, path: ["spec", "ports", i, "nodePort"] }]
                  : [],
              ),
              ...(spec["externalTrafficPolicy"] !== undefined
                ? [{ op: "remove" as const, path: ["spec", "externalTrafficPolicy"] }]
                : []),
            ],
          },
        });
      },
    };
  },
});
