// StatefulSets: the governing Service missing; fewer ready replicas than wanted, traced to pods.
import { type Analyzer, type Check, field, objStep, problem } from "../analyzer.js";
import { num, rec, refOf, str } from "../graph.js";
import { podCauseKeys, podsOwnedBy } from "./pods-of.js";

const CHECKS = {
  "statefulset-service-missing": {
    severity: "medium",
    title: "StatefulSet's governing Service does not exist",
  },
  "statefulset-unavailable": { severity: "high", title: "StatefulSet has fewer ready replicas than desired" },
} as const satisfies Record<string, Check>;

export const statefulSetAnalyzer: Analyzer = {
  name: "statefulset",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("StatefulSet").flatMap((sts) => {
      const subject = refOf(sts);
      const spec = rec(sts["spec"]);
      const out = [];
      const serviceName = str(spec["serviceName"]);
      if (
        serviceName !== undefined &&
        serviceName !== "" &&
        ctx.graph.knows("Service") &&
        ctx.graph.get("Service", subject.namespace, serviceName) === undefined
      ) {
        out.push(
          problem(
            CHECKS,
            "statefulset-service-missing",
            subject,
            {
              message: `governing Service "${serviceName}" does not exist`,
              explanation: `spec.serviceName names the headless Service that gives each replica its stable DNS name (${subject.name}-0.${serviceName}); without it the pods get no per-pod DNS records.`,
              remediation: `Create a headless Service (clusterIP: None) named "${serviceName}" that selects the StatefulSet's pods, or correct spec.serviceName.`,
            },
            [field(subject, "spec.serviceName", serviceName)],
          ),
        );
      }
      const desired = num(spec["replicas"]) ?? 1;
      const ready = num(rec(sts["status"])["readyReplicas"]) ?? 0;
      if (ready < desired) {
        const keys = podCauseKeys(ctx, podsOwnedBy(ctx, sts));
        const message = `${ready}/${desired} replicas ready`;
        out.push(
          problem(
            CHECKS,
            "statefulset-unavailable",
            subject,
            {
              message,
              explanation: `The StatefulSet wants ${desired} replicas but only ${ready} are ready; replicas start in order, so one stuck pod holds back all after it.`,
              remediation: `Look at the lowest-numbered pod that is not ready (kubectl describe pod ${subject.name}-${ready}) and its PersistentVolumeClaims.`,
            },
            [field(subject, "spec.replicas", desired), field(subject, "status.readyReplicas", ready)],
            keys.length > 0 ? { causes: { keys, via: [objStep(subject, message)] } } : {},
          ),
        );
      }
      return out;
    });
  },
};
