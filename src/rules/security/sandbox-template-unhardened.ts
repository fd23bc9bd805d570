import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";

// Runtimes that isolate the sandbox from the node's kernel (gVisor, Kata Containers).
const HARDENED = /gvisor|runsc|kata/i;

export default defineRule({
  meta: {
    id: "sandbox-template-unhardened",
    title: "Agent sandbox template without isolation or resource ceilings",
    category: "security",
    severity: "high",
    description:
      "An Agent Sandbox `SandboxTemplate` (agents.x-k8s.io) runs untrusted, often AI-generated, code. Without a hardened runtime class (gVisor, Kata) that code shares the node's kernel, one exploit away from the node; without CPU and memory limits one sandbox can starve the others.",
    remediation:
      "Set `spec.podTemplate.spec.runtimeClassName` to a gVisor or Kata runtime class, and give every container CPU and memory limits.",
    messages: {
      runtime:
        "SandboxTemplate `{{name}}` runs its sandboxes without a hardened runtime class (gVisor or Kata): untrusted code shares the node's kernel.",
      limits: "SandboxTemplate `{{name}}`: container `{{container}}` has no {{resource}} limit.",
    },
    kinds: ["SandboxTemplate"],
    fix: "none",
    concepts: ["K-SANDBOX"],
    equivalents: { kubescape: ["C-0297", "C-0301", "C-0303", "C-0304"] },
    notes:
      "A runtime class counts as hardened when its name mentions gvisor, runsc or kata. Egress policy (C-0301) and image provenance (C-0304) are left to the NetworkPolicy and image rules, which check the sandbox pods like any other.",
  },
  create(context) {
    return {
      resource(r) {
        if (!r.ref.apiVersion.includes("agents.x-k8s.io/")) return;
        const base = ["spec", "podTemplate", "spec"];
        const spec = getIn(r.object, base);
        if (!isRecord(spec)) return;
        const runtime = spec["runtimeClassName"];
        if (typeof runtime !== "string" || !HARDENED.test(runtime)) {
          context.report({
            resource: r,
            path: [...base, "runtimeClassName"],
            messageId: "runtime",
            data: { name: r.ref.name },
          });
        }
        const containers = spec["containers"];
        if (!Array.isArray(containers)) return;
        containers.forEach((c: unknown, i) => {
          if (!isRecord(c)) return;
          const limits = getIn(c, ["resources", "limits"]);
          for (const resource of ["cpu", "memory"]) {
            if (isRecord(limits) && limits[resource] !== undefined && limits[resource] !== null) continue;
            context.report({
              resource: r,
              path: [...base, "containers", i, "resources", "limits", resource],
              messageId: "limits",
              data: {
                name: r.ref.name,
                container: typeof c["name"] === "string" ? c["name"] : String(i),
                resource,
              },
            });
          }
        });
      },
    };
  },
});
