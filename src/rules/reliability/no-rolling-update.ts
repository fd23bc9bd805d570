import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

/** Where each kind keeps its update strategy, and the value that means "no rolling update". */
const STRATEGY: Readonly<
  Record<string, { field: string; value: string; messageId: "recreate" | "onDelete" }>
> = {
  Deployment: { field: "strategy", value: "Recreate", messageId: "recreate" },
  DeploymentConfig: { field: "strategy", value: "Recreate", messageId: "recreate" },
  DaemonSet: { field: "updateStrategy", value: "OnDelete", messageId: "onDelete" },
  StatefulSet: { field: "updateStrategy", value: "OnDelete", messageId: "onDelete" },
};

export default defineRule({
  meta: {
    id: "no-rolling-update",
    title: "Rolling update disabled",
    category: "reliability",
    severity: "low",
    description:
      "With `Recreate` every old pod is stopped before any new one starts, so each rollout is an outage; with `OnDelete` a changed template reaches no pod until someone deletes the pods by hand.",
    remediation: "Use the `RollingUpdate` strategy (the default), or remove the strategy type.",
    messages: {
      recreate:
        "{{kind}} uses the `Recreate` strategy: every rollout stops all pods before starting new ones.",
      onDelete:
        "{{kind}} uses the `OnDelete` update strategy: template changes are not rolled out until pods are deleted by hand.",
    },
    kinds: Object.keys(STRATEGY),
    fix: "unsafe",
    concepts: ["A-STRATEGY"],
    equivalents: {
      "kube-linter": ["no-rolling-update-strategy"],
      kubescape: ["C-0305"],
      "kube-score": ["deployment-strategy"],
    },
    notes:
      "`Recreate` is right when two versions must never run together (schema migrations, ReadWriteOnce volumes, singletons holding a lock); `OnDelete` suits node agents and databases whose pods an operator replaces in a controlled order.",
  },
  create(context) {
    return {
      resource(r) {
        const s = STRATEGY[r.ref.kind];
        if (s === undefined) return;
        const path = ["spec", s.field, "type"];
        // Values are case-sensitive: the API server rejects "recreate", so only the exact value counts.
        if (getIn(r.object, path) === s.value) {
          context.report({
            resource: r,
            path,
            messageId: s.messageId,
            data: { kind: r.ref.kind },
            fix: {
              description: `Set spec.${s.field}.type: RollingUpdate.`,
              ops: [{ op: "set", path, value: "RollingUpdate" }],
            },
          });
        }
      },
    };
  },
});
