import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "service-external-ips",
    title: "Service with externalIPs",
    category: "network",
    severity: "medium",
    description:
      "kube-proxy on every node routes traffic addressed to a Service's `externalIPs` to that Service's pods, whoever owns those addresses: anyone who can create a Service can intercept traffic meant for any IP, inside or outside the cluster (CVE-2020-8554, unfixed by design).",
    remediation:
      "Remove `spec.externalIPs` and expose the Service with a `LoadBalancer` or an Ingress; enable the `DenyServiceExternalIPs` admission plugin where nobody needs them.",
    messages: {
      externalIPs:
        "Service `{{name}}` claims external IP{{plural}} {{ips}}: kube-proxy on every node redirects traffic for {{them}} to this Service.",
    },
    kinds: ["Service"],
    fix: "unsafe",
    concepts: ["N-EXTIP"],
    equivalents: {
      trivy: ["KSV-0108"],
      terrascan: ["AC_K8S_0112"],
    },
    notes:
      "On bare-metal clusters `externalIPs` is a legitimate way to expose a Service on addresses routed to the nodes; there, suppress the finding with a reason and restrict who may create Services with them (an admission policy that allows only those addresses).",
  },
  create(context) {
    return {
      resource(r) {
        const spec = r.object["spec"];
        if (!isRecord(spec)) return;
        const list = spec["externalIPs"];
        if (!Array.isArray(list)) return;
        const ips = list.filter((ip): ip is string => typeof ip === "string" && ip.trim() !== "");
        if (ips.length === 0) return;
        context.report({
          resource: r,
          path: ["spec", "externalIPs"],
          messageId: "externalIPs",
          data: {
            name: r.ref.name,
            ips: ips.map((ip) => `\`${ip}\``).join(", "),
            plural: ips.length > 1 ? "s" : "",
            them: ips.length > 1 ? "them" : "it",
          },
          fix: {
            description: `Remove spec.externalIPs from Service ${r.ref.name}.`,
            ops: [{ op: "remove", path: ["spec", "externalIPs"] }],
          },
        });
      },
    };
  },
});
