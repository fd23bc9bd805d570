// Services: a selector that matches no pod, no ready endpoint in the EndpointSlices (traced to the
// pods' own problems), and a named targetPort no selected pod declares.
import type { KObject } from "../../core/types.js";
import { type Analyzer, type Check, type Context, field, objStep, problem } from "../analyzer.js";
import { labelsOf, metaOf, namespaceOf, nameOf, rec, recs, refKey, refOf, refText, str } from "../graph.js";
import type { ChainStep, Problem } from "../types.js";
import { podCauseKeys } from "./pods-of.js";

const CHECKS = {
  "service-selector-mismatch": { severity: "high", title: "Service selector matches no pod" },
  "service-no-ready-endpoints": { severity: "high", title: "Service has no ready endpoints" },
  "service-target-port-missing": {
    severity: "high",
    title: "Service targetPort names a port no pod declares",
  },
} as const satisfies Record<string, Check>;

export interface ServiceHealth {
  problems: Problem[];
  /** Keys of the root causes a caller (Ingress, webhook, HTTPRoute) should fold into. */
  keys: string[];
  /** Steps from the Service down to the root cause, for callers' chains. */
  via: ChainStep[];
}

export function endpointSlicesOf(ctx: Context, svc: KObject): KObject[] {
  const ns = namespaceOf(svc);
  const name = nameOf(svc);
  return ctx.graph
    .all("EndpointSlice")
    .filter((s) => namespaceOf(s) === ns && labelsOf(s)["kubernetes.io/service-name"] === name);
}

function readyEndpoints(slice: KObject): number {
  return recs(slice["endpoints"]).filter((e) => rec(e["conditions"])["ready"] !== false).length;
}

function podReady(pod: KObject): boolean {
  return recs(rec(pod["status"])["conditions"]).some((c) => c["type"] === "Ready" && c["status"] === "True");
}

export function serviceHealth(ctx: Context, svc: KObject): ServiceHealth {
  return ctx.memoise(`svc:${refKey(refOf(svc))}`, () => computeServiceHealth(ctx, svc));
}

function computeServiceHealth(ctx: Context, svc: KObject): ServiceHealth {
  const subject = refOf(svc);
  const spec = rec(svc["spec"]);
  const selector = rec(spec["selector"]);
  const none: ServiceHealth = { problems: [], keys: [], via: [] };
  if (spec["type"] === "ExternalName" || Object.keys(selector).length === 0) return none;
  if (!ctx.graph.knows("Pod")) return none;
  const pods = ctx.graph.podsSelected(subject.namespace, selector, true);
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
  if (pods.length === 0) {
    const near = nearMisses(ctx, subject.namespace, selector);
    const p = problem(
      CHECKS,
      "service-selector-mismatch",
      subject,
      {
        message: `selector ${selectorText} matches no pod in namespace ${subject.namespace ?? "default"}`,
        explanation: `The Service sends traffic only to pods whose labels include every key=value of its selector; none do, so it has no endpoints and every connection to it fails.${near !== "" ? ` Closest pods: ${near}.` : ""}`,
        remediation: `Make spec.selector equal to the labels of the pod template it should serve (compare kubectl get pods --show-labels), or fix the workload's labels.`,
      },
      [field(subject, "spec.selector", selector)],
    );
    return { problems: [p], keys: [p.key], via: [] };
  }
  const problems: Problem[] = [];
  // Named target ports must be declared by the pods.
  recs(spec["ports"]).forEach((port, i) => {
    const target = port["targetPort"];
    if (typeof target !== "string") return;
    const declares = pods.some((pod) =>
      recs(rec(pod["spec"])["containers"]).some((c) => recs(c["ports"]).some((cp) => cp["name"] === target)),
    );
    if (!declares) {
      problems.push(
        problem(
          CHECKS,
          "service-target-port-missing",
          subject,
          {
            message: `targetPort "${target}" is not a named port of any selected pod`,
            explanation: `A named targetPort is looked up in each pod's container ports; no selected pod declares "${target}", so the Service has no endpoints for this port.`,
            remediation: `Name the container port "${target}" in the pod template, or set targetPort to the container's port number or its actual name.`,
          },
          [field(subject, `spec.ports[${i}].targetPort`, target)],
          { keyParts: [refKey(subject), target] },
        ),
      );
    }
  });
  const slices = endpointSlicesOf(ctx, svc);
  // Without any slice for the Service (not exported, or not yet written), judge by pod readiness.
  const ready =
    slices.length > 0 ? slices.reduce((n, s) => n + readyEndpoints(s), 0) : pods.filter(podReady).length;
  if (ready > 0 || problems.length > 0) {
    return { problems, keys: problems.map((p) => p.key), via: [] };
  }
  const keys = podCauseKeys(ctx, pods);
  const sliceStep: ChainStep[] = slices.slice(0, 1).map((s) => objStep(refOf(s), "0 ready endpoints"));
  const via = [
    objStep(subject, `no ready endpoints (${pods.length} selected pods, none ready)`),
    ...sliceStep,
  ];
  const p = problem(
    CHECKS,
    "service-no-ready-endpoints",
    subject,
    {
      message: `no ready endpoints: ${pods.length} pods match the selector but none is ready`,
      explanation: `The Service selects pods, but none passes its readiness checks, so the EndpointSlices list no ready address and connections to the Service fail.`,
      remediation: `Fix the selected pods (see their status and events); the Service recovers on its own once a pod is ready.`,
    },
    [
      field(subject, "spec.selector", selector),
      ...slices.map((s) => field(refOf(s), "endpoints[*].conditions.ready", `${readyEndpoints(s)} ready`)),
    ],
    keys.length > 0 ? { causes: { keys, via } } : {},
  );
  return { problems: [p], keys: keys.length > 0 ? keys : [p.key], via };
}

/** Pods that share a selector key but not its value: the usual typo. */
function nearMisses(ctx: Context, ns: string | undefined, selector: Record<string, unknown>): string {
  const seen = new Set<string>();
  for (const pod of ctx.graph.pods(ns)) {
    const labels = labelsOf(pod);
    const shared = Object.keys(selector).filter((k) => labels[k] !== undefined);
    if (shared.length === 0) continue;
    seen.add(`${refText(refOf(pod))} has ${shared.map((k) => `${k}=${labels[k] ?? ""}`).join(",")}`);
    if (seen.size >= 3) break;
  }
  return [...seen].join("; ");
}

export function serviceByName(ctx: Context, ns: string | undefined, name: string): KObject | undefined {
  return ctx.graph.get("Service", ns, name);
}

/** A Service port matches a reference by number or by name. */
export function servicePortMatches(svc: KObject, port: { number?: number; name?: string }): boolean {
  return recs(rec(svc["spec"])["ports"]).some(
    (p) =>
      (port.number !== undefined && p["port"] === port.number) ||
      (port.name !== undefined && p["name"] === port.name),
  );
}
export function servicePortsText(svc: KObject): string {
  return recs(rec(svc["spec"])["ports"])
    .map((p) => `${String(p["port"])}${typeof p["name"] === "string" ? ` (${p["name"]})` : ""}`)
    .join(", ");
}

export const serviceAnalyzer: Analyzer = {
  name: "service",
  checks: CHECKS,
  analyze(ctx) {
    return ctx.graph
      .all("Service")
      .flatMap((s) => (str(metaOf(s)["name"]) !== undefined ? serviceHealth(ctx, s).problems : []));
  },
};
