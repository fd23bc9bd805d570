// DaemonSets: nodes where the daemon pod is missing or not ready, and pods on nodes they should not run on.
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { num, rec, refOf } from "../graph.js";
import { podCauseKeys, podsOwnedBy } from "./pods-of.js";

const CHECKS = {
  "daemonset-unavailable": { severity: "high", title: "DaemonSet pods missing or not ready on some nodes" },
  "daemonset-misscheduled": { severity: "low", title: "DaemonSet pods run on nodes they should not" },
} as const satisfies Record<string, Check>;

export const daemonSetAnalyzer: Analyzer = {
  name: "daemonset",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("DaemonSet").flatMap((ds) => {
      const subject = refOf(ds);
      const status = rec(ds["status"]);
      const desired = num(status["desiredNumberScheduled"]) ?? 0;
      const ready = num(status["numberReady"]) ?? 0;
      const misscheduled = num(status["numberMisscheduled"]) ?? 0;
      const out = [];
      if (ready < desired) {
        const keys = podCauseKeys(ctx, podsOwnedBy(ctx, ds));
        const message = `${ready}/${desired} daemon pods ready`;
        out.push(
          problem(
            CHECKS,
            "daemonset-unavailable",
            subject,
            {
              message,
              explanation: `The DaemonSet should run one ready pod on each of ${desired} nodes but ${desired - ready} are missing or not ready; the per-node function it provides (logging, networking, storage) is absent there.`,
              remediation: `Check the DaemonSet's pods that are not ready (kubectl get pods -o wide -l …) and their events.`,
            },
            [
              field(subject, "status.desiredNumberScheduled", desired),
              field(subject, "status.numberReady", ready),
            ],
            keys.length > 0 ? { causes: { keys, via: [objStep(subject, message)] } } : {},
          ),
        );
      }
      if (misscheduled > 0) {
        out.push(
          problem(
            CHECKS,
            "daemonset-misscheduled",
            subject,
            {
              message: `${misscheduled} daemon pods run on nodes the DaemonSet does not select`,
              explanation: `Node labels or taints changed after the pods were placed; these pods no longer match the DaemonSet's node selector or tolerations.`,
              remediation: `Check the node selector, affinity and tolerations against the nodes' labels and taints.`,
            },
            [field(subject, "status.numberMisscheduled", misscheduled)],
          ),
        );
      }
      return out;
    });
  },
};
