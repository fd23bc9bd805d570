import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "service-without-selector",
    title: "Externally reachable Service has no selector",
    category: "network",
    severity: "low",
    description:
      "A LoadBalancer or NodePort Service without a selector routes outside traffic to whatever its hand-made Endpoints list, which anyone who can write Endpoints in the namespace may point at internal addresses (a way to expose internal services, as in CVE-2020-8554).",
    remediation:
      "Give the Service a selector that matches its pods, or keep selector-less Services internal (`type: ClusterIP`).",
    messages: {
      missing: "Service `{{name}}` of type {{type}} has no selector.",
    },
    kinds: ["Service"],
    fix: "none",
    concepts: ["N-NOSELECTOR"],
    equivalents: { terrascan: ["AC_K8S_0114"] },
    notes:
      "Selector-less Services that front an external database or another cluster on purpose are fine as ClusterIP; give an exposed one a suppression with the reason.",
  },
  create(context) {
    return {
      resource(svc) {
        const type = getIn(svc.object, ["spec", "type"]);
        if (type !== "LoadBalancer" && type !== "NodePort") return;
        const sel = getIn(svc.object, ["spec", "selector"]);
        if (isRecord(sel) && Object.keys(sel).length > 0) return;
        context.report({
          resource: svc,
          path: ["spec", "selector"],
          messageId: "missing",
          data: { name: svc.ref.name, type },
        });
      },
    };
  },
});
