import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { containersOf, getIn, isRecord, podSpecOf } from "../../core/workloads.js";
import { COMPLETENESS_NOTE, referenceResolver } from "../lib/completeness.js";
import { describeNamespace, namespaceOf } from "../lib/namespaces.js";
import { reportContainer, reportPod } from "../lib/report.js";

const DRA_GROUP = "resource.k8s.io/";

/** The object a pod's resourceClaims entry names: directly, or (alpha API) under `source`. */
function claimTarget(
  entry: Record<string, unknown>,
): { kind: string; name: string; field: string[] } | undefined {
  for (const base of [[], ["source"]] as string[][]) {
    const claim = getIn(entry, [...base, "resourceClaimName"]);
    if (typeof claim === "string" && claim !== "")
      return { kind: "ResourceClaim", name: claim, field: [...base, "resourceClaimName"] };
    const template = getIn(entry, [...base, "resourceClaimTemplateName"]);
    if (typeof template === "string" && template !== "")
      return { kind: "ResourceClaimTemplate", name: template, field: [...base, "resourceClaimTemplateName"] };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "resource-claim-missing",
    title: "Pod names a missing DRA ResourceClaim",
    category: "reliability",
    severity: "high",
    scope: "cluster",
    description:
      'With Dynamic Resource Allocation (resource.k8s.io), a pod gets its GPUs and other devices through the ResourceClaims it lists in `spec.resourceClaims`, each naming a ResourceClaim or a ResourceClaimTemplate of its namespace, and containers take a share by listing the claim\'s name under `resources.claims`. A pod whose claim or template does not exist is never scheduled, and a container that names a claim the pod does not list is rejected by the API server (Kubernetes docs, "Dynamic Resource Allocation": https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/; "Allocate Devices to Workloads with DRA": https://kubernetes.io/docs/tasks/configure-pod-container/assign-resources/allocate-devices-dra/).',
    remediation:
      "Name an existing ResourceClaim or ResourceClaimTemplate of the pod's namespace (or add it to the manifests), and list under a container's `resources.claims` only names of the pod's `spec.resourceClaims`.",
    messages: {
      missing:
        "{{kind}} `{{name}}` claims devices from {{targetKind}} `{{target}}`, which is not in {{namespace}} ({{targetKind}}s there: {{others}}): its pods are never scheduled.",
      unknownClaim:
        "Container `{{container}}` uses resource claim `{{claim}}`, but the pod lists no such entry in `spec.resourceClaims`: the API server rejects it.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes: `The container check (\`resources.claims\` naming no pod claim) needs no other object and always runs. ${COMPLETENESS_NOTE}`,
  },
  create(context) {
    return {
      end(resources) {
        const resolve = referenceResolver(resources, context.assumeComplete);
        for (const r of resources) {
          const pod = podSpecOf(r);
          if (pod === undefined) continue;
          const entries = getIn(pod.spec, ["resourceClaims"]);
          const names = new Set<string>();
          if (Array.isArray(entries)) {
            entries.forEach((entry: unknown, i) => {
              if (!isRecord(entry)) return;
              if (typeof entry["name"] === "string") names.add(entry["name"]);
              const target = claimTarget(entry);
              if (target === undefined) return;
              const found = resolve(r, target.kind, target.name);
              // Only the DRA objects count: another API group may have its own "ResourceClaim".
              const sameKind = found.candidates.filter((o: Resource) =>
                o.ref.apiVersion.startsWith(DRA_GROUP),
              );
              if (sameKind.some((o) => o.ref.name === target.name) || !found.complete) return;
              const ns = namespaceOf(r);
              reportPod(context, pod, ["resourceClaims", i, ...target.field], "missing", {
                kind: r.ref.kind,
                name: r.ref.name,
                targetKind: target.kind,
                target: target.name,
                namespace: describeNamespace(ns),
                others: sameKind.length === 0 ? "none" : sameKind.map((o) => `\`${o.ref.name}\``).join(", "),
              });
            });
          }
          for (const c of containersOf(pod)) {
            const claims = getIn(c.container, ["resources", "claims"]);
            if (!Array.isArray(claims)) continue;
            claims.forEach((claim: unknown, i) => {
              const name = isRecord(claim) ? claim["name"] : undefined;
              if (typeof name !== "string" || names.has(name)) return;
              reportContainer(context, c, ["resources", "claims", i, "name"], "unknownClaim", {
                claim: name,
              });
            });
          }
        }
      },
    };
  },
});
