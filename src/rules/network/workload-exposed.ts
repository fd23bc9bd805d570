import { defineRule } from "../../core/rule.js";
import type { LabelSelector } from "../../core/k8s.js";
import type { Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { SelectorIndex } from "../lib/selectors.js";
import { workloadPods } from "../lib/workload-pods.js";

const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

/** Names of the Services an Ingress or Gateway API route sends traffic to. */
function routedServices(r: Resource): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v !== "") out.push(v);
  };
  if (r.ref.kind === "Ingress") {
    for (const key of ["defaultBackend", "backend"]) {
      add(getIn(r.object, ["spec", key, "service", "name"]));
      add(getIn(r.object, ["spec", key, "serviceName"]));
    }
    const rules = getIn(r.object, ["spec", "rules"]);
    if (Array.isArray(rules))
      for (const rule of rules as unknown[]) {
        const paths = getIn(rule, ["http", "paths"]);
        if (!Array.isArray(paths)) continue;
        for (const p of paths as unknown[]) {
          add(getIn(p, ["backend", "service", "name"]));
          add(getIn(p, ["backend", "serviceName"]));
        }
      }
  } else if (ROUTE_KINDS.includes(r.ref.kind)) {
    const rules = getIn(r.object, ["spec", "rules"]);
    if (Array.isArray(rules))
      for (const rule of rules as unknown[]) {
        const refs = getIn(rule, ["backendRefs"]);
        if (!Array.isArray(refs)) continue;
        for (const ref of refs as unknown[]) {
          if (!isRecord(ref) || (ref["kind"] ?? "Service") !== "Service" || (ref["group"] ?? "") !== "")
            continue;
          if (ref["namespace"] === undefined) add(ref["name"]);
        }
      }
  }
  return out;
}

/** A Service's selector as a label selector; undefined (selects nothing here) when it has none. */
function serviceSelector(s: Resource): LabelSelector | undefined {
  const sel = getIn(s.object, ["spec", "selector"]);
  if (!isRecord(sel) || Object.keys(sel).length === 0) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) if (typeof v === "string") matchLabels[k] = v;
  return { matchLabels };
}

export default defineRule({
  meta: {
    id: "workload-exposed",
    title: "Workload is reachable from outside the cluster",
    category: "network",
    severity: "info",
    description:
      "A workload behind a LoadBalancer or NodePort Service, an Ingress or a Gateway API route takes traffic from outside the cluster: its attack surface is the network beyond it, so its hardening, authentication and NetworkPolicies matter most.",
    remediation:
      "Make sure the exposure is intended: keep internal workloads behind ClusterIP Services, and give exposed ones authentication, TLS and a NetworkPolicy.",
    messages: {
      exposed: "{{kind}} `{{name}}` is reachable from outside the cluster through {{via}}.",
    },
    scope: "cluster",
    fix: "none",
    enabledByDefault: false,
    concepts: ["X-EXPOSED", "N-ING-CTRL"],
    equivalents: {
      kubescape: ["C-0021", "C-0256", "C-0266", "C-0274"],
      kics: ["69bbc5e3-0818-4150-89cc-1e989b48f23b"],
    },
    notes:
      "Off by default: an inventory of exposed workloads, useful in reviews and audits (`--enable workload-exposed`), not a misconfiguration. LoadBalancer Services with an internal-load-balancer annotation still count, since the rule cannot tell which networks reach them.",
  },
  create(context) {
    return {
      end(resources) {
        const scope = namespaceScope(resources);
        // Per namespace, computed once (a scan of many workloads and Services stays linear): its
        // Services by selector, and for each Service name the objects that route to it.
        const lookups = new Map<
          string,
          { services: SelectorIndex<Resource>; routes: Map<string, number[]> }
        >();
        const lookupsFor = (ns: string) => {
          let found = lookups.get(ns);
          if (found === undefined) {
            const routes = new Map<string, number[]>();
            scope(ns).forEach((r, at) => {
              for (const name of new Set(routedServices(r))) {
                const list = routes.get(name);
                if (list === undefined) routes.set(name, [at]);
                else list.push(at);
              }
            });
            const services = scope(ns).filter((s) => s.ref.kind === "Service");
            found = { services: new SelectorIndex(services, serviceSelector), routes };
            lookups.set(ns, found);
          }
          return found;
        };
        for (const w of resources) {
          const pods = workloadPods(w);
          if (pods === undefined || w.ref.kind === "Job" || w.ref.kind === "CronJob") continue;
          const ns = namespaceOf(w);
          const inNs = scope(ns);
          const { services: index, routes } = lookupsFor(ns);
          const services = index.selecting(pods.labels);
          const via: string[] = [];
          for (const s of services) {
            const type = getIn(s.object, ["spec", "type"]);
            if (type === "LoadBalancer" || type === "NodePort") via.push(`${type} Service \`${s.ref.name}\``);
          }
          const routing = new Set<number>();
          for (const s of services) for (const at of routes.get(s.ref.name) ?? []) routing.add(at);
          for (const at of [...routing].sort((a, b) => a - b)) {
            const r = inNs[at];
            if (r !== undefined) via.push(`${r.ref.kind} \`${r.ref.name}\``);
          }
          if (via.length === 0) continue;
          context.report({
            resource: w,
            path: pods.podMetaPath,
            messageId: "exposed",
            data: { kind: w.ref.kind, name: w.ref.name, via: [...new Set(via)].join(", ") },
          });
        }
      },
    };
  },
});
