import { defineRule } from "../../core/rule.js";
import type { Path, Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { describePorts, servesPort } from "../lib/services.js";

interface Backend {
  name: string;
  namePath: Path;
  port?: number | string;
  portPath: Path;
}

/** A backend of networking.k8s.io/v1 (`service.name`, `service.port`) or v1beta1 (`serviceName`, `servicePort`). */
function backendAt(ingress: Resource, path: Path): Backend | undefined {
  const b = getIn(ingress.object, path);
  if (!isRecord(b)) return undefined;
  const svc = b["service"];
  if (isRecord(svc) && typeof svc["name"] === "string" && svc["name"] !== "") {
    const number = getIn(svc, ["port", "number"]);
    const name = getIn(svc, ["port", "name"]);
    const port = typeof number === "number" ? number : typeof name === "string" ? name : undefined;
    return {
      name: svc["name"],
      namePath: [...path, "service", "name"],
      ...(port !== undefined ? { port } : {}),
      portPath: [...path, "service", "port", typeof number === "number" ? "number" : "name"],
    };
  }
  if (typeof b["serviceName"] === "string" && b["serviceName"] !== "") {
    const sp = b["servicePort"];
    return {
      name: b["serviceName"],
      namePath: [...path, "serviceName"],
      ...(typeof sp === "number" || typeof sp === "string" ? { port: sp } : {}),
      portPath: [...path, "servicePort"],
    };
  }
  return undefined;
}

/** Every Service backend of an Ingress: the default backend and each path's. */
function backendsOf(ingress: Resource): Backend[] {
  const out: Backend[] = [];
  for (const key of ["defaultBackend", "backend"]) {
    const b = backendAt(ingress, ["spec", key]);
    if (b !== undefined) out.push(b);
  }
  const rules = getIn(ingress.object, ["spec", "rules"]);
  if (!Array.isArray(rules)) return out;
  rules.forEach((rule: unknown, i) => {
    const paths = getIn(rule, ["http", "paths"]);
    if (!Array.isArray(paths)) return;
    paths.forEach((_: unknown, j) => {
      const b = backendAt(ingress, ["spec", "rules", i, "http", "paths", j, "backend"]);
      if (b !== undefined) out.push(b);
    });
  });
  return out;
}

export default defineRule({
  meta: {
    id: "ingress-backend-missing",
    title: "Ingress routes to a Service or port that does not exist",
    category: "network",
    severity: "medium",
    description:
      "An Ingress backend that names a missing Service, or a port the Service does not declare, has no endpoints: the controller answers every request on that path with 503 or 404, usually because of a typo or a Service renamed on one side only.",
    remediation:
      "Point the backend at the name and port (number or name) of a Service in the Ingress's namespace.",
    messages: {
      missing: "Ingress `{{ingress}}` routes to Service `{{name}}`, which is not in {{namespace}}.",
      portMissing:
        "Ingress `{{ingress}}` routes to port `{{port}}` of Service `{{name}}`, which declares {{ports}}.",
    },
    kinds: ["Ingress"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-ING-DANGLING"],
    equivalents: {
      "kube-linter": ["dangling-ingress"],
      kubescape: ["C-0298"],
      "kube-score": ["ingress-targets-service"],
    },
    notes: `Resource backends (\`backend.resource\`) are not checked. Ports are compared with the Service's \`spec.ports[].port\` (numbers) and \`.name\` (names); ExternalName Services and Services without ports are taken to serve any port. ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        for (const ingress of resources) {
          if (ingress.ref.kind !== "Ingress") continue;
          for (const b of backendsOf(ingress)) {
            const check = resolve(ingress, "Service", b.name);
            const services = check.named;
            const data = {
              ingress: ingress.ref.name,
              name: b.name,
              namespace: describeNamespace(namespaceOf(ingress)),
            };
            const service = services[0];
            if (service === undefined) {
              if (!check.exists && check.complete)
                context.report({ resource: ingress, path: b.namePath, messageId: "missing", data });
              continue;
            }
            const port = b.port;
            if (port === undefined || services.some((s) => servesPort(s, port))) continue;
            context.report({
              resource: ingress,
              path: b.portPath,
              messageId: "portMissing",
              data: { ...data, port, ports: describePorts(service) },
            });
          }
        }
      },
    };
  },
});
