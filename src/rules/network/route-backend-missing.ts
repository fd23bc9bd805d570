import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { describePorts, servesPort } from "../lib/services.js";

const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

export default defineRule({
  meta: {
    id: "route-backend-missing",
    title: "Gateway API route sends traffic to a Service or port that does not exist",
    category: "network",
    severity: "medium",
    description:
      "A route whose backendRef names a missing Service, or a port the Service does not declare, is marked `ResolvedRefs: False` by the Gateway controller and the traffic meant for it fails (HTTP 500 for HTTPRoute).",
    remediation: "Point the backendRef at the name, namespace and port of an existing Service.",
    messages: {
      missing: "{{kind}} `{{route}}` sends traffic to Service `{{name}}`, which is not in {{namespace}}.",
      portMissing:
        "{{kind}} `{{route}}` sends traffic to port {{port}} of Service `{{name}}`, which declares {{ports}}.",
    },
    kinds: ROUTE_KINDS,
    scope: "cluster",
    fix: "none",
    concepts: ["X-GW-DANGLING"],
    equivalents: { kubescape: ["C-0302"] },
    notes: `Only backendRefs to core Services (no \`group\`/\`kind\`, or \`kind: Service\`) are checked; other kinds (ServiceImport, custom backends) are left alone. A backendRef with a \`namespace\` is looked up there (it also needs a ReferenceGrant, which this rule does not check). ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        for (const route of resources) {
          if (!ROUTE_KINDS.includes(route.ref.kind)) continue;
          const rules = getIn(route.object, ["spec", "rules"]);
          if (!Array.isArray(rules)) continue;
          rules.forEach((rule: unknown, i) => {
            const refs = getIn(rule, ["backendRefs"]);
            if (!Array.isArray(refs)) return;
            refs.forEach((ref: unknown, j) => {
              if (!isRecord(ref)) return;
              const group = ref["group"] ?? "";
              const kind = ref["kind"] ?? "Service";
              const name = ref["name"];
              if (group !== "" || kind !== "Service" || typeof name !== "string" || name === "") return;
              const ns = typeof ref["namespace"] === "string" ? ref["namespace"] : namespaceOf(route);
              const check = resolve(route, "Service", name, ns);
              const services = check.named;
              const at = ["spec", "rules", i, "backendRefs", j];
              const data = {
                kind: route.ref.kind,
                route: route.ref.name,
                name,
                namespace: describeNamespace(ns),
              };
              const service = services[0];
              if (service === undefined) {
                if (!check.exists && check.complete)
                  context.report({ resource: route, path: [...at, "name"], messageId: "missing", data });
                return;
              }
              const port = ref["port"];
              if (typeof port !== "number" || services.some((s) => servesPort(s, port))) return;
              context.report({
                resource: route,
                path: [...at, "port"],
                messageId: "portMissing",
                data: { ...data, port, ports: describePorts(service) },
              });
            });
          });
        }
      },
    };
  },
});
