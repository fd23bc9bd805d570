// Nodes: not Ready, resource pressure, network unavailable, cordoned. Conditions the kubelet does
// not own (node-problem-detector and vendor ones) are not judged: their polarity is unknown.
import { type Analyzer, type Check, field, problem } from "../analyzer.js";
import { conditionsOf, rec, refOf } from "../graph.js";
import type { Problem } from "../types.js";

const CHECKS = {
  "node-not-ready": { severity: "critical", title: "Node is not Ready" },
  "node-pressure": { severity: "high", title: "Node reports memory, disk or PID pressure" },
  "node-network-unavailable": { severity: "high", title: "Node network is unavailable" },
  "node-cordoned": { severity: "info", title: "Node is cordoned" },
} as const satisfies Record<string, Check>;

const PRESSURE = new Set(["MemoryPressure", "DiskPressure", "PIDPressure"]);

export const nodeAnalyzer: Analyzer = {
  name: "node",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("Node").flatMap((node) => {
      const subject = refOf(node);
      const out: Problem[] = [];
      for (const c of conditionsOf(node)) {
        const ev = [field(subject, `status.conditions[${c.index}]`, `${c.type}=${c.status} (${c.reason})`)];
        if (c.type === "Ready" && c.status !== "True") {
          out.push(
            problem(
              CHECKS,
              "node-not-ready",
              subject,
              {
                message: `node is ${c.status === "Unknown" ? "unreachable (Ready=Unknown)" : "NotReady"}: ${c.message || c.reason}`,
                explanation:
                  c.status === "Unknown"
                    ? `The kubelet stopped reporting to the API server; after the eviction timeout its pods are evicted and rescheduled elsewhere.`
                    : `The kubelet reports the node unhealthy (runtime, network plugin or kubelet problem); no new pods are scheduled to it.`,
                remediation: `Check the kubelet and container runtime on the node (journalctl -u kubelet) and its network plugin pod; drain and replace the node if it does not recover.`,
              },
              ev,
              { keyParts: [subject.name, c.type] },
            ),
          );
        } else if (PRESSURE.has(c.type) && c.status === "True") {
          out.push(
            problem(
              CHECKS,
              "node-pressure",
              subject,
              {
                message: `node reports ${c.type}: ${c.message || c.reason}`,
                explanation: `The kubelet is low on ${c.type.replace("Pressure", "").toLowerCase()}; it taints the node against new pods and evicts running pods to recover.`,
                remediation: `Free or add the resource (clean images and logs for disk, set requests and limits for memory, lower pid use) or move workloads away.`,
              },
              ev,
              { keyParts: [subject.name, c.type] },
            ),
          );
        } else if (c.type === "NetworkUnavailable" && c.status === "True") {
          out.push(
            problem(
              CHECKS,
              "node-network-unavailable",
              subject,
              {
                message: `node network is unavailable: ${c.message || c.reason}`,
                explanation: `The network plugin has not configured routes for this node; pods on it cannot reach other pods.`,
                remediation: `Check the network plugin (CNI) pod on this node and its logs.`,
              },
              ev,
              { keyParts: [subject.name, c.type] },
            ),
          );
        }
      }
      if (rec(node["spec"])["unschedulable"] === true) {
        out.push(
          problem(
            CHECKS,
            "node-cordoned",
            subject,
            {
              message: "node is cordoned (unschedulable)",
              explanation: `No new pods are placed on the node, usually because a drain or maintenance is in progress.`,
              remediation: `Uncordon it when maintenance is over: kubectl uncordon ${subject.name}.`,
            },
            [field(subject, "spec.unschedulable", true)],
          ),
        );
      }
      return out;
    });
  },
};
