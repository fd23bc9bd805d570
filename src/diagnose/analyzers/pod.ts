// Pods: container waiting reasons with the last termination reason, OOM kills, unschedulable and
// gated pods, evictions, failing probes and mounts (from Warning events).
import type { KObject } from "../../core/types.js";
import {
  type Analyzer,
  type Check,
  type Context,
  eventEvidence,
  eventStep,
  field,
  problem,
} from "../analyzer.js";
import { conditionOf, num, rec, recs, refKey, refOf, str } from "../graph.js";
import type { ChainStep, Evidence, Problem } from "../types.js";

const CHECKS = {
  "pod-crash-loop": { severity: "high", title: "Container keeps crashing (CrashLoopBackOff)" },
  "pod-oom-killed": { severity: "high", title: "Container killed for exceeding its memory limit" },
  "pod-image-pull": { severity: "high", title: "Container image cannot be pulled" },
  "pod-container-config": { severity: "high", title: "Container cannot be created from its configuration" },
  "pod-unschedulable": { severity: "high", title: "Pod cannot be scheduled" },
  "pod-scheduling-gated": { severity: "low", title: "Pod is held by scheduling gates" },
  "pod-evicted": { severity: "medium", title: "Pod was evicted" },
  "pod-probe-failing": { severity: "medium", title: "Liveness or readiness probe failing" },
  "pod-mount-failed": { severity: "high", title: "Volume cannot be mounted" },
} as const satisfies Record<string, Check>;
type Id = keyof typeof CHECKS;

const IMAGE_PULL = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);
const CONFIG_ERRORS = new Set([
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "ContainerCannotRun",
  "PreCreateHookError",
  "PostStartHookError",
]);

/** The pod's controller chain as a merge key: pods of one ReplicaSet share a root cause. */
function ownerKey(ctx: Context, pod: KObject): string {
  return refKey(refOf(ctx.graph.rootControllerOf(pod)));
}

function latestWarning(
  ctx: Context,
  pod: KObject,
  container?: string,
): ReturnType<Context["graph"]["warnings"]>[number] | undefined {
  const warnings = ctx.graph.warnings(pod);
  if (container !== undefined) {
    const own = warnings.find((e) => e.regarding.fieldPath?.includes(`{${container}}`) === true);
    if (own !== undefined) return own;
  }
  return warnings[0];
}

function containerProblems(ctx: Context, pod: KObject, statusKey: string, specKey: string): Problem[] {
  const subject = refOf(pod);
  const out: Problem[] = [];
  const statuses = recs(rec(pod["status"])[statusKey]);
  statuses.forEach((cs, i) => {
    const name = str(cs["name"]) ?? `#${i}`;
    const what = specKey === "initContainers" ? `init container "${name}"` : `container "${name}"`;
    const base = `status.${statusKey}[${i}]`;
    const waiting = rec(rec(cs["state"])["waiting"]);
    const reason = str(waiting["reason"]);
    const waitingMessage = str(waiting["message"]) ?? "";
    const last = rec(rec(cs["lastState"])["terminated"]);
    const lastReason = str(last["reason"]);
    const exitCode = num(last["exitCode"]);
    const restarts = num(cs["restartCount"]) ?? 0;
    const event = latestWarning(ctx, pod, name);
    const evidence: Evidence[] = [];
    const steps: ChainStep[] = [];
    const add = (id: Id, message: string, explanation: string, remediation: string, detail: string): void => {
      if (event !== undefined) {
        evidence.push(eventEvidence(subject, event));
        steps.push(eventStep(event));
      }
      out.push(
        problem(CHECKS, id, subject, { message, explanation, remediation }, evidence, {
          keyParts: [ownerKey(ctx, pod), name, detail],
          steps: [
            {
              object: subject,
              text: `${what} ${reason !== undefined ? `waiting: ${reason}` : "restarting"}${lastReason !== undefined ? ` (last terminated: ${lastReason}${exitCode !== undefined ? `, exit code ${exitCode}` : ""})` : ""}`,
            },
            ...steps,
          ],
        }),
      );
    };
    if (reason !== undefined) evidence.push(field(subject, `${base}.state.waiting.reason`, reason));
    if (lastReason !== undefined)
      evidence.push(field(subject, `${base}.lastState.terminated.reason`, lastReason));
    if (restarts > 0) evidence.push(field(subject, `${base}.restartCount`, restarts));

    if (lastReason === "OOMKilled" && (reason === "CrashLoopBackOff" || restarts > 0)) {
      const limit = memoryLimit(pod, specKey, name);
      add(
        "pod-oom-killed",
        `${what} was OOMKilled${reason === "CrashLoopBackOff" ? " and is in CrashLoopBackOff" : ""} (${restarts} restarts)`,
        `The kernel killed ${what} because it used more memory than its limit${limit !== undefined ? ` (${limit})` : ""}. Kubernetes restarts it with a growing back-off, so the pod is not serving in between.`,
        `Raise resources.limits.memory of ${what} above its real peak use, or reduce the application's memory use (heap size, caches); check the usage with kubectl top pod.`,
        "OOMKilled",
      );
    } else if (reason === "CrashLoopBackOff") {
      add(
        "pod-crash-loop",
        `${what} is in CrashLoopBackOff (${restarts} restarts${lastReason !== undefined ? `, last exit: ${lastReason}${exitCode !== undefined ? ` ${exitCode}` : ""}` : ""})`,
        `${cap(what)} starts and exits again and again; Kubernetes waits longer between restarts each time. The application fails during start-up or its command exits.`,
        `Read the previous run's output with kubectl logs --previous for ${what}, fix the cause (command, arguments, configuration, dependencies) and check that the process stays in the foreground.`,
        lastReason ?? "",
      );
    } else if (reason !== undefined && IMAGE_PULL.has(reason)) {
      const image = str(cs["image"]) ?? "";
      add(
        "pod-image-pull",
        `${what} cannot pull image "${image}" (${reason})`,
        `The kubelet cannot pull the image of ${what}: the name or tag does not exist, the registry is unreachable, or it needs credentials the pod does not have.${waitingMessage !== "" ? ` The kubelet says: ${waitingMessage}` : ""}`,
        `Check that the image reference exists (docker manifest inspect), and if the registry is private add an imagePullSecrets entry to the pod or its service account.`,
        image,
      );
    } else if (reason !== undefined && CONFIG_ERRORS.has(reason)) {
      add(
        "pod-container-config",
        `${what} cannot be created (${reason})${waitingMessage !== "" ? `: ${waitingMessage}` : ""}`,
        `The kubelet cannot create ${what} from its specification: usually a referenced ConfigMap, Secret or key does not exist, or the command cannot be executed.`,
        `Create the missing ConfigMap/Secret or key named in the message, or correct the reference (or mark it optional: true if the container can start without it).`,
        waitingMessage,
      );
    }
  });
  return out;
}

function memoryLimit(pod: KObject, specKey: string, container: string): string | undefined {
  const c = recs(rec(pod["spec"])[specKey]).find((x) => x["name"] === container);
  const v = rec(rec(c?.["resources"])["limits"])["memory"];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/** Every problem of one pod, memoised so that symptoms (Deployment, Service, …) link to them. */
export function podProblems(ctx: Context, pod: KObject): Problem[] {
  return ctx.memoise(`pod:${refKey(refOf(pod))}`, () => computePodProblems(ctx, pod));
}

function computePodProblems(ctx: Context, pod: KObject): Problem[] {
  const subject = refOf(pod);
  const status = rec(pod["status"]);
  const phase = str(status["phase"]);
  const out: Problem[] = [];
  const owner = ownerKey(ctx, pod);

  if (phase === "Failed" && status["reason"] === "Evicted") {
    out.push(
      problem(
        CHECKS,
        "pod-evicted",
        subject,
        {
          message: `pod was evicted: ${str(status["message"]) ?? "no message"}`,
          explanation: `The kubelet evicted the pod to reclaim a node resource (memory, disk or PIDs). The evicted pod object stays until it is deleted; its controller starts a replacement elsewhere.`,
          remediation: `Set memory and ephemeral-storage requests that match real use so the scheduler places the pod where it fits, and delete evicted pods (kubectl delete pod --field-selector=status.phase=Failed).`,
        },
        [
          field(subject, "status.reason", "Evicted"),
          field(subject, "status.message", str(status["message"]) ?? ""),
        ],
        { keyParts: [owner] },
      ),
    );
    return out;
  }

  const scheduled = conditionOf(pod, "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "SchedulingGated") {
    const gates = recs(rec(pod["spec"])["schedulingGates"]).map((g) => str(g["name"]) ?? "");
    out.push(
      problem(
        CHECKS,
        "pod-scheduling-gated",
        subject,
        {
          message: `pod is held by scheduling gates: ${gates.join(", ") || "unnamed"}`,
          explanation: `The pod is not considered for scheduling until every entry of spec.schedulingGates is removed; the controller that added the gates (a queue, an autoscaler) has not released it.`,
          remediation: `Find the controller that owns the gate (${gates.join(", ") || "see spec.schedulingGates"}) and check why it has not removed it; remove the gate by hand only if that controller is gone.`,
        },
        [
          field(subject, "status.conditions[PodScheduled].reason", "SchedulingGated"),
          field(subject, "spec.schedulingGates", gates),
        ],
        { keyParts: [owner, gates.join(",")] },
      ),
    );
  } else if (scheduled?.status === "False") {
    const event = ctx.graph.warnings(pod).find((e) => e.reason === "FailedScheduling");
    const why = event?.message ?? scheduled.message;
    const evidence: Evidence[] = [
      field(subject, `status.conditions[${scheduled.index}].reason`, scheduled.reason),
    ];
    if (scheduled.message !== "")
      evidence.push(field(subject, `status.conditions[${scheduled.index}].message`, scheduled.message));
    if (event !== undefined) evidence.push(eventEvidence(subject, event));
    const taint = /untolerated taint/i.test(why);
    out.push(
      problem(
        CHECKS,
        "pod-unschedulable",
        subject,
        {
          message: `pod cannot be scheduled: ${why || scheduled.reason}`,
          explanation: taint
            ? `No node accepts the pod: the nodes carry taints the pod does not tolerate, and the remaining nodes do not fit its requests, affinity or selectors.`
            : `The scheduler found no node that satisfies the pod's resource requests, node selector, affinity, topology spread and tolerations.`,
          remediation: taint
            ? `Add a toleration for the taint to the pod template if it may run there, or remove the taint from a node (kubectl taint nodes NODE KEY-), or add capacity without the taint.`
            : `Lower the pod's requests or constraints, or add nodes that satisfy them; the scheduler message lists why each node was rejected.`,
        },
        evidence,
        {
          keyParts: [owner, why.replace(/\d+\/\d+ nodes/g, "N nodes")],
          ...(event !== undefined ? { steps: [eventStep(event)] } : {}),
        },
      ),
    );
  }

  out.push(...containerProblems(ctx, pod, "initContainerStatuses", "initContainers"));
  out.push(...containerProblems(ctx, pod, "containerStatuses", "containers"));

  const warnings = ctx.graph.warnings(pod);
  const mount = warnings.find((e) => e.reason === "FailedMount" || e.reason === "FailedAttachVolume");
  if (mount !== undefined && phase === "Pending") {
    out.push(
      problem(
        CHECKS,
        "pod-mount-failed",
        subject,
        {
          message: `a volume cannot be mounted: ${mount.message}`,
          explanation: `The pod waits in ContainerCreating because the kubelet cannot attach or mount one of its volumes (a missing ConfigMap/Secret/PVC, or a volume still attached elsewhere).`,
          remediation: `Create the object the message names or fix the volume reference; for attach errors, check the PVC's VolumeAttachment and the node the volume is still attached to.`,
        },
        [eventEvidence(subject, mount)],
        { keyParts: [owner, mount.message], steps: [eventStep(mount)] },
      ),
    );
  }

  const probe = warnings.find((e) => e.reason === "Unhealthy" && /probe failed/i.test(e.message));
  const notReady = recs(status["containerStatuses"]).some((c) => c["ready"] === false);
  const alreadyExplained = out.some((p) => p.id !== "pod-scheduling-gated");
  if (probe !== undefined && notReady && !alreadyExplained) {
    const kind = /^(\w+) probe/i.exec(probe.message)?.[1] ?? "A";
    out.push(
      problem(
        CHECKS,
        "pod-probe-failing",
        subject,
        {
          message: `${kind} probe failing: ${probe.message}`,
          explanation: `The container runs but its ${kind.toLowerCase()} probe fails, so the pod is ${kind.toLowerCase() === "liveness" ? "restarted" : "kept out of its Services' endpoints"}.`,
          remediation: `Check that the probe's port and path match what the application serves, and give slow starters a startupProbe or a longer initialDelaySeconds/timeoutSeconds.`,
        },
        [eventEvidence(subject, probe)],
        { keyParts: [owner, probe.message.replace(/\d+\.\d+\.\d+\.\d+/g, "IP")], steps: [eventStep(probe)] },
      ),
    );
  }
  return out;
}

export const podAnalyzer: Analyzer = {
  name: "pod",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph.all("Pod").flatMap((p) => podProblems(ctx, p));
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
