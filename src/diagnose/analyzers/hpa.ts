// HorizontalPodAutoscalers: a missing scale target, resource metrics on containers without
// requests (HPA → target → container), metrics the HPA cannot read, and an HPA stuck at its
// maximum. Sitting at minReplicas is normal and not reported (a K8sGPT false positive).
import type { KObject } from "../../core/types.js";
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { conditionOf, num, rec, recs, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";

const CHECKS = {
  "hpa-target-missing": { severity: "high", title: "HPA scale target does not exist" },
  "hpa-missing-requests": {
    severity: "high",
    title: "HPA scales on a resource the target's containers do not request",
  },
  "hpa-metrics-unavailable": { severity: "high", title: "HPA cannot read its metrics" },
  "hpa-cannot-scale": { severity: "high", title: "HPA cannot scale its target" },
  "hpa-at-max": { severity: "low", title: "HPA is limited by maxReplicas" },
} as const satisfies Record<string, Check>;

const TEMPLATE_SPEC: Readonly<Record<string, readonly string[]>> = {
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
};

/** Resources the HPA scales on by utilisation (these need requests). */
function utilisationResources(hpa: KObject): string[] {
  const spec = rec(hpa["spec"]);
  const out = new Set<string>();
  if (num(spec["targetCPUUtilizationPercentage"]) !== undefined) out.add("cpu");
  for (const m of recs(spec["metrics"])) {
    for (const key of ["resource", "containerResource"]) {
      const r = rec(m[key]);
      const name = str(r["name"]);
      const target = rec(r["target"]);
      if (
        name !== undefined &&
        (target["type"] === "Utilization" || num(r["targetAverageUtilization"]) !== undefined)
      )
        out.add(name);
    }
  }
  return [...out].sort();
}

export const hpaAnalyzer: Analyzer = {
  name: "hpa",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    return g.all("HorizontalPodAutoscaler").flatMap((hpa) => {
      const subject = refOf(hpa);
      const spec = rec(hpa["spec"]);
      const tref = rec(spec["scaleTargetRef"]);
      const kind = str(tref["kind"]) ?? "";
      const name = str(tref["name"]) ?? "";
      const target = g.get(kind, subject.namespace, name);
      const out: Problem[] = [];
      const active = conditionOf(hpa, "ScalingActive");
      if (target === undefined) {
        if (!g.knows(kind)) return [];
        return [
          problem(
            CHECKS,
            "hpa-target-missing",
            subject,
            {
              message: `scale target ${kind.toLowerCase()}/${name} does not exist`,
              explanation: `The autoscaler has nothing to scale; it stays inactive.`,
              remediation: `Correct spec.scaleTargetRef or delete the HPA.`,
            },
            [field(subject, "spec.scaleTargetRef", tref)],
          ),
        ];
      }
      const targetRef = refOf(target);
      const specPath = TEMPLATE_SPEC[kind];
      const missing: string[] = [];
      const missingRes = new Set<string>();
      if (specPath !== undefined) {
        let podSpec: unknown = target;
        for (const k of specPath) podSpec = rec(podSpec)[k];
        for (const res of utilisationResources(hpa)) {
          for (const c of recs(rec(podSpec)["containers"])) {
            if (rec(rec(c["resources"])["requests"])[res] === undefined) {
              missing.push(`${res} request of container "${str(c["name"]) ?? "?"}"`);
              missingRes.add(res);
            }
          }
        }
      }
      const activeEv =
        active !== undefined
          ? [
              field(
                subject,
                `status.conditions[${active.index}]`,
                `ScalingActive=${active.status} (${active.reason}): ${active.message}`,
              ),
            ]
          : [];
      if (missing.length > 0) {
        out.push(
          problem(
            CHECKS,
            "hpa-missing-requests",
            subject,
            {
              message: `scales on utilisation but the target sets no ${missing.join(", ")}`,
              explanation: `Utilisation is usage divided by the container's request; without a request the HPA cannot compute it, reports FailedGetResourceMetric and never scales.`,
              remediation: `Set resources.requests.${[...missingRes].join(" and ")} for every container in ${kind.toLowerCase()}/${name}'s pod template, or scale on an AverageValue target instead.`,
            },
            [field(targetRef, "spec.template.spec.containers[*].resources.requests", "missing"), ...activeEv],
            {
              steps: [objStep(targetRef, `pod template lacks ${missing.join(", ")}`)],
            },
          ),
        );
      } else if (active?.status === "False") {
        out.push(
          problem(
            CHECKS,
            "hpa-metrics-unavailable",
            subject,
            {
              message: `cannot read metrics (${active.reason}): ${active.message}`,
              explanation: `The HPA gets no metric values, so it cannot scale; usually the metrics API (metrics-server, or an adapter for custom metrics) is missing or failing.`,
              remediation: `Check kubectl get apiservice v1beta1.metrics.k8s.io and the metrics-server pods; for custom or external metrics, the adapter that serves them.`,
            },
            activeEv,
          ),
        );
      }
      const able = conditionOf(hpa, "AbleToScale");
      if (able?.status === "False") {
        out.push(
          problem(
            CHECKS,
            "hpa-cannot-scale",
            subject,
            {
              message: `cannot scale (${able.reason}): ${able.message}`,
              explanation: `The HPA cannot read or update the target's scale subresource.`,
              remediation: `Check that the target exists and supports scaling, and that the controller may update it.`,
            },
            [field(subject, `status.conditions[${able.index}]`, `AbleToScale=False (${able.reason})`)],
          ),
        );
      }
      const limited = conditionOf(hpa, "ScalingLimited");
      const max = num(spec["maxReplicas"]);
      if (limited?.status === "True" && limited.reason === "TooManyReplicas" && max !== undefined) {
        out.push(
          problem(
            CHECKS,
            "hpa-at-max",
            subject,
            {
              message: `held at maxReplicas (${max}) while the metrics ask for more`,
              explanation: `The load calls for more replicas than spec.maxReplicas allows, so pods run above their target utilisation.`,
              remediation: `Raise maxReplicas if the cluster has room, or make each replica handle more load.`,
            },
            [
              field(subject, "spec.maxReplicas", max),
              field(subject, `status.conditions[${limited.index}].reason`, limited.reason),
            ],
          ),
        );
      }
      return out;
    });
  },
};
