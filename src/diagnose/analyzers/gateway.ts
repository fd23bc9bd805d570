// Gateway API: GatewayClasses not accepted, Gateways with a missing class or not programmed,
// HTTPRoutes whose parent Gateway or backend Service (or its port) is missing, or not accepted.
import type { KObject } from "../../core/types.js";
import { type Analyzer, type Check, type Context, field, objStep, problem } from "../analyzer.js";
import { conditionsOf, groupOf, num, rec, recs, refKey, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";
import { serviceByName, serviceHealth, servicePortMatches, servicePortsText } from "./service.js";

const GROUP = "gateway.networking.k8s.io";
const CHECKS = {
  "gatewayclass-not-accepted": { severity: "high", title: "GatewayClass is not accepted by its controller" },
  "gateway-class-missing": { severity: "high", title: "Gateway names a GatewayClass that does not exist" },
  "gateway-not-ready": { severity: "high", title: "Gateway is not accepted or not programmed" },
  "httproute-parent-missing": { severity: "high", title: "HTTPRoute's parent Gateway does not exist" },
  "httproute-backend-missing": { severity: "high", title: "HTTPRoute backend Service does not exist" },
  "httproute-backend-port-missing": {
    severity: "high",
    title: "HTTPRoute backend port is not a port of the Service",
  },
  "httproute-backend-unavailable": { severity: "high", title: "HTTPRoute backend has no ready endpoints" },
  "httproute-not-accepted": {
    severity: "high",
    title: "HTTPRoute is not accepted or its references are unresolved",
  },
} as const satisfies Record<string, Check>;

const gw = (ctx: Context, kind: string): KObject[] => ctx.graph.all(kind).filter((o) => groupOf(o) === GROUP);

export const gatewayAnalyzer: Analyzer = {
  name: "gateway",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    const out: Problem[] = [];
    for (const gc of gw(ctx, "GatewayClass")) {
      const subject = refOf(gc);
      const c = conditionsOf(gc).find((x) => x.type === "Accepted" && x.status === "False");
      if (c !== undefined)
        out.push(
          problem(
            CHECKS,
            "gatewayclass-not-accepted",
            subject,
            {
              message: `not accepted (${c.reason}): ${c.message}`,
              explanation: `The controller named in spec.controllerName rejected this class (or none runs), so Gateways of this class are never programmed.`,
              remediation: `Check spec.controllerName against the installed Gateway controller and its parametersRef.`,
            },
            [field(subject, `status.conditions[${c.index}]`, `Accepted=False (${c.reason})`)],
          ),
        );
    }
    const classes = gw(ctx, "GatewayClass");
    for (const gate of gw(ctx, "Gateway")) {
      const subject = refOf(gate);
      const cls = str(rec(gate["spec"])["gatewayClassName"]) ?? "";
      if (classes.length > 0 && g.knows("GatewayClass") && !classes.some((c) => refOf(c).name === cls)) {
        out.push(
          problem(
            CHECKS,
            "gateway-class-missing",
            subject,
            {
              message: `GatewayClass "${cls}" does not exist`,
              explanation: `No controller owns this Gateway, so it gets no address and routes nothing.`,
              remediation: `Set spec.gatewayClassName to an installed GatewayClass (kubectl get gatewayclass).`,
            },
            [field(subject, "spec.gatewayClassName", cls)],
          ),
        );
        continue;
      }
      const bad = conditionsOf(gate).find(
        (c) => (c.type === "Accepted" || c.type === "Programmed") && c.status === "False",
      );
      if (bad !== undefined)
        out.push(
          problem(
            CHECKS,
            "gateway-not-ready",
            subject,
            {
              message: `${bad.type}=False (${bad.reason}): ${bad.message}`,
              explanation: `The Gateway controller could not ${bad.type === "Accepted" ? "accept" : "program"} this Gateway, so its listeners do not serve traffic.`,
              remediation: `Read the condition message; common causes are an unsupported listener protocol, a port conflict or no address available.`,
            },
            [field(subject, `status.conditions[${bad.index}]`, `${bad.type}=False (${bad.reason})`)],
          ),
        );
    }
    for (const route of gw(ctx, "HTTPRoute")) out.push(...routeProblems(ctx, route));
    return out;
  },
};

function routeProblems(ctx: Context, route: KObject): Problem[] {
  const g = ctx.graph;
  const subject = refOf(route);
  const spec = rec(route["spec"]);
  const out: Problem[] = [];
  recs(spec["parentRefs"]).forEach((p, i) => {
    const kind = str(p["kind"]) ?? "Gateway";
    if (kind !== "Gateway") return;
    const name = str(p["name"]) ?? "";
    const ns = str(p["namespace"]) ?? subject.namespace;
    if (!g.knows("Gateway", ns) || g.get("Gateway", ns, name) !== undefined) return;
    out.push(
      problem(
        CHECKS,
        "httproute-parent-missing",
        subject,
        {
          message: `parent Gateway ${ns ?? "default"}/${name} does not exist`,
          explanation: `The route attaches to no Gateway, so no traffic reaches it.`,
          remediation: `Correct spec.parentRefs[${i}] or create the Gateway.`,
        },
        [field(subject, `spec.parentRefs[${i}]`, p)],
        { keyParts: [refKey(subject), name] },
      ),
    );
  });
  const seen = new Set<string>();
  recs(spec["rules"]).forEach((rule, r) => {
    recs(rule["backendRefs"]).forEach((b, i) => {
      const kind = str(b["kind"]) ?? "Service";
      const group = str(b["group"]) ?? "";
      if (kind !== "Service" || group !== "") return;
      const name = str(b["name"]) ?? "";
      const ns = str(b["namespace"]) ?? subject.namespace;
      const port = num(b["port"]);
      const path = `spec.rules[${r}].backendRefs[${i}]`;
      if (seen.has(`${name}:${String(port)}`)) return;
      seen.add(`${name}:${String(port)}`);
      const svc = serviceByName(ctx, ns, name);
      if (svc === undefined) {
        if (!g.knows("Service", ns)) return;
        out.push(
          problem(
            CHECKS,
            "httproute-backend-missing",
            subject,
            {
              message: `backend Service ${ns ?? "default"}/${name} does not exist`,
              explanation: `Requests matching this rule get HTTP 500 from the Gateway because the backend cannot be resolved.`,
              remediation: `Create the Service or correct ${path}.name.`,
            },
            [field(subject, `${path}.name`, name)],
            { keyParts: [refKey(subject), name] },
          ),
        );
        return;
      }
      if (port !== undefined && !servicePortMatches(svc, { number: port })) {
        out.push(
          problem(
            CHECKS,
            "httproute-backend-port-missing",
            subject,
            {
              message: `backend port ${port} is not a port of Service "${name}" (it has ${servicePortsText(svc) || "no ports"})`,
              explanation: `The Gateway cannot send this rule's traffic to port ${port}: the Service does not expose it.`,
              remediation: `Set ${path}.port to one of ${servicePortsText(svc) || "the Service's ports"} or add the port to the Service.`,
            },
            [field(subject, `${path}.port`, port)],
            { keyParts: [refKey(subject), name, String(port)] },
          ),
        );
        return;
      }
      const health = serviceHealth(ctx, svc);
      if (health.keys.length > 0) {
        out.push(
          problem(
            CHECKS,
            "httproute-backend-unavailable",
            subject,
            {
              message: `backend ${name}:${String(port)} has no ready endpoints`,
              explanation: `The Gateway routes to a Service with no ready pod, so these requests fail.`,
              remediation: `Fix the cause below the Service.`,
            },
            [field(subject, `${path}.name`, name)],
            {
              keyParts: [refKey(subject), name],
              causes: {
                keys: health.keys,
                via: [objStep(subject, `routes to service/${name}:${String(port)}`), ...health.via],
              },
            },
          ),
        );
      }
    });
  });
  if (out.length === 0) {
    recs(rec(route["status"])["parents"]).forEach((parent, pi) => {
      const bad = conditionsOf(route, parent["conditions"]).find(
        (c) => (c.type === "Accepted" || c.type === "ResolvedRefs") && c.status === "False",
      );
      if (bad === undefined) return;
      out.push(
        problem(
          CHECKS,
          "httproute-not-accepted",
          subject,
          {
            message: `${bad.type}=False (${bad.reason}): ${bad.message}`,
            explanation:
              bad.type === "Accepted"
                ? `The parent Gateway did not accept the route (no matching listener, hostname or allowed namespace).`
                : `A backend or other reference of the route could not be resolved (missing object, or a cross-namespace reference without a ReferenceGrant).`,
            remediation: `Read the condition message and fix the parentRefs / backendRefs it names.`,
          },
          [
            field(
              subject,
              `status.parents[${pi}].conditions[${bad.index}]`,
              `${bad.type}=False (${bad.reason})`,
            ),
          ],
          {
            keyParts: [refKey(subject), String(pi)],
          },
        ),
      );
    });
  }
  return out;
}
