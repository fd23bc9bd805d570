import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn } from "../../core/workloads.js";

const OPTIONS = {
  minReplicas: option.integer("The smallest acceptable replica count.", 2, 1),
};

/** Objects that scale a workload: an HPA, or a KEDA ScaledObject (which creates one). */
const SCALER_KINDS: ReadonlySet<string> = new Set(["HorizontalPodAutoscaler", "ScaledObject"]);

/** `kind/name` keys, per namespace, of the workloads an autoscaler in the scan set manages. */
function autoscaled(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    if (!SCALER_KINDS.has(r.ref.kind)) continue;
    const name = getIn(r.object, ["spec", "scaleTargetRef", "name"]);
    const kind = getIn(r.object, ["spec", "scaleTargetRef", "kind"]) ?? "Deployment";
    if (typeof name === "string" && typeof kind === "string") {
      out.add(`${r.ref.namespace ?? ""}\0${kind}\0${name}`);
    }
  }
  return out;
}

export default defineRule<"unset" | "tooLow", typeof OPTIONS>({
  meta: {
    id: "too-few-replicas",
    title: "Workload runs a single replica",
    category: "reliability",
    severity: "low",
    description:
      "With one replica every node drain, eviction, crash or rollout of a Deployment or StatefulSet makes the service unavailable until a new pod is up.",
    remediation:
      "Set `spec.replicas` to 2 or more, or let a HorizontalPodAutoscaler with `minReplicas` of 2 or more manage it.",
    messages: {
      unset: "{{kind}} does not set `replicas`, so it runs 1 replica (at least {{min}} expected).",
      tooLow: "{{kind}} sets `replicas: {{value}}`; at least {{min}} replicas keep it available.",
    },
    kinds: ["Deployment", "StatefulSet"],
    fix: "unsafe",
    concepts: ["A-REPLICAS"],
    equivalents: {
      "kube-linter": ["minimum-three-replicas"],
      polaris: ["deploymentMissingReplicas"],
      "kube-score": ["deployment-replicas"],
    },
    notes:
      "Singletons (leader-only controllers, databases without replication, development environments) are meant to run alone. Workloads targeted by a HorizontalPodAutoscaler or KEDA ScaledObject in the scanned files are skipped (the autoscaler owns the count; see hpa-min-replicas), and `replicas: 0` is taken as deliberately scaled down. The `minReplicas` option (default 2) sets the threshold.",
  },
  options: OPTIONS,
  create(context) {
    const min = context.options.minReplicas;
    let scaled: Set<string> | undefined;
    return {
      resource(r) {
        scaled ??= autoscaled(context.resources);
        if (scaled.has(`${r.ref.namespace ?? ""}\0${r.ref.kind}\0${r.ref.name}`)) return;
        const value = getIn(r.object, ["spec", "replicas"]);
        const data = { kind: r.ref.kind, min };
        if (value === undefined || value === null) {
          // The API server defaults replicas to 1.
          if (min > 1)
            context.report({ resource: r, path: ["spec"], messageId: "unset", data, fix: replicasFix(min) });
          return;
        }
        if (typeof value === "number" && value > 0 && value < min) {
          context.report({
            resource: r,
            path: ["spec", "replicas"],
            messageId: "tooLow",
            data: { ...data, value },
            fix: replicasFix(min),
          });
        }
      },
    };
  },
});

/** The rule's own minimum (its option) is the value: nothing is invented. */
function replicasFix(min: number) {
  return {
    description: `Set spec.replicas: ${String(min)} (the rule's minReplicas option).`,
    ops: [{ op: "set" as const, path: ["spec", "replicas"], value: min }],
  };
}
