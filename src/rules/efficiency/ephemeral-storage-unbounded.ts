import { defineRule } from "../../core/rule.js";
import { parseQuantity, quantityText as text } from "../lib/quantity.js";
import { reportContainer } from "../lib/report.js";

const NAME = "ephemeral-storage";

export default defineRule({
  meta: {
    id: "ephemeral-storage-unbounded",
    title: "Ephemeral storage without request and limit",
    category: "efficiency",
    severity: "low",
    description:
      "Logs, `emptyDir` volumes and the writable layer of a container use the node's disk. Without an `ephemeral-storage` limit one container can fill it and get every pod on the node evicted; without a request the scheduler does not count its disk use when placing it.",
    remediation:
      "Set `resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage` (equal, or the limit above the request) on every container.",
    messages: {
      noRequest: "Container `{{container}}` has no ephemeral-storage request.",
      noLimit: "Container `{{container}}` has no ephemeral-storage limit.",
      differs: "Container `{{container}}` requests ephemeral-storage {{request}} but limits it to {{limit}}.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["R-EPH"],
    equivalents: {
      "kube-score": [
        "container-ephemeral-storage-request-and-limit",
        "container-ephemeral-storage-request-equals-limit",
      ],
    },
    notes:
      "Off by default, as in kube-score: few charts set ephemeral storage, and a LimitRange can supply it. The `differs` message (kube-score's request-equals-limit check) is reported only when both are set.",
  },
  create(context) {
    return {
      container(c) {
        if (c.kind === "ephemeralContainer") return;
        const res = c.container.resources;
        const rawRequest: unknown = res?.requests?.[NAME];
        const rawLimit: unknown = res?.limits?.[NAME];
        if (rawRequest === undefined || rawRequest === null) {
          reportContainer(context, c, ["resources", "requests", NAME], "noRequest");
        }
        if (rawLimit === undefined || rawLimit === null) {
          reportContainer(context, c, ["resources", "limits", NAME], "noLimit");
          return;
        }
        const request = parseQuantity(rawRequest);
        const limit = parseQuantity(rawLimit);
        if (request !== undefined && limit !== undefined && request !== limit) {
          reportContainer(context, c, ["resources", "requests", NAME], "differs", {
            request: text(rawRequest),
            limit: text(rawLimit),
          });
        }
      },
    };
  },
});
