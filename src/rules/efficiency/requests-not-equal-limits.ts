import { defineRule } from "../../core/rule.js";
import { parseQuantity, quantityText as text } from "../lib/quantity.js";
import { reportContainer } from "../lib/report.js";

const RESOURCES = ["cpu", "memory"] as const;

export default defineRule({
  meta: {
    id: "requests-not-equal-limits",
    title: "Requests differ from limits",
    category: "efficiency",
    severity: "low",
    description:
      "A container whose requests are below its limits is overcommitted: the scheduler places it by the request, so under node pressure it competes for resources it was never promised, is throttled, and is among the first evicted. Requests equal to limits for CPU and memory give the pod the Guaranteed QoS class.",
    remediation:
      "Set `resources.requests` equal to `resources.limits` for CPU and memory (or leave the request out: it then defaults to the limit).",
    messages: {
      differs:
        "Container `{{container}}` requests {{resource}} {{request}} but limits it to {{limit}}: it is overcommitted and not Guaranteed.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["R-EQ"],
    equivalents: {
      "kube-score": [
        "container-resource-requests-equal-limits",
        "container-cpu-requests-equal-limits",
        "container-memory-requests-equal-limits",
      ],
    },
    notes:
      "Off by default: Burstable pods (requests below limits) are a sound choice for most workloads; turn it on where every pod must be Guaranteed. A missing request equals the limit (Kubernetes defaults it so) and is not reported; missing limits are the business of cpu-limit-missing and memory-limit-missing.",
  },
  create(context) {
    return {
      container(c) {
        if (c.kind === "ephemeralContainer") return;
        const res = c.container.resources;
        for (const name of RESOURCES) {
          const rawRequest: unknown = res?.requests?.[name];
          const rawLimit: unknown = res?.limits?.[name];
          const request = parseQuantity(rawRequest);
          const limit = parseQuantity(rawLimit);
          if (request === undefined || limit === undefined || request === limit) continue;
          reportContainer(context, c, ["resources", "requests", name], "differs", {
            resource: name,
            request: text(rawRequest),
            limit: text(rawLimit),
          });
        }
      },
    };
  },
});
