import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "host-port",
    title: "Container binds a host port",
    category: "security",
    severity: "medium",
    description:
      "A hostPort opens the port on the node's own IP address, bypassing the Service layer and, with many network plugins, NetworkPolicies; it also limits the workload to one pod per node and port.",
    remediation: "Remove `hostPort` and expose the container through a Service (or an Ingress) instead.",
    messages: {
      hostPort: "Container `{{container}}` binds port {{port}} on the node (`hostPort`).",
    },
    fix: "unsafe",
    standards: { pss: "baseline", cis: ["5.2.13"] },
    concepts: ["W-HOSTPORT"],
    equivalents: {
      trivy: ["KSV-0024"],
      kubescape: ["C-0044"],
      checkov: ["CKV_K8S_26"],
      polaris: ["hostPortSet"],
      kics: ["2b1836f1-dcce-416e-8e16-da8c71920633"],
    },
    notes:
      "Ingress controllers and node-level agents sometimes bind host ports on purpose: suppress the finding on them with a reason. `hostPort: 0` means unset and is not reported; with `hostNetwork: true` every port is on the node anyway, which `host-network` reports.",
  },
  create(context) {
    return {
      container(c) {
        (c.container.ports ?? []).forEach((p, i) => {
          if (isRecord(p) && typeof p.hostPort === "number" && p.hostPort > 0) {
            reportContainer(
              context,
              c,
              ["ports", i, "hostPort"],
              "hostPort",
              { port: p.hostPort },
              {
                fix: {
                  description: `Remove hostPort ${String(p.hostPort)} from container ${c.name} (reach it through a Service).`,
                  ops: [{ op: "remove", path: ["ports", i, "hostPort"] }],
                },
              },
            );
          }
        });
      },
    };
  },
});
