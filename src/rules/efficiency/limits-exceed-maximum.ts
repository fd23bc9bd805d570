import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import { parseQuantity, quantityText } from "../lib/quantity.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "limits-exceed-maximum",
    title: "Container limit above the allowed maximum",
    category: "efficiency",
    severity: "medium",
    description:
      "An organisation caps what one container may take (so that a single pod cannot claim a whole node, or a quota's share); a limit above the cap is a mistake in a values file or a request that needs review.",
    remediation: "Lower the container's CPU or memory limit to at most the configured maximum.",
    messages: {
      exceeded:
        "Container `{{container}}` limits {{resource}} to {{limit}}, above the allowed maximum {{max}}.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["R-MAX"],
    equivalents: { kubeaudit: ["limits/LimitsCPUExceeded", "limits/LimitsMemoryExceeded"] },
    notes:
      "Off by default and silent until `maxCpu` or `maxMemory` is set (kubeaudit's `cpu` and `memory` options of its limits auditor).",
  },
  options: {
    maxCpu: option.string(
      "The largest CPU limit allowed (a quantity, such as `2` or `1500m`); empty: not checked.",
      "",
    ),
    maxMemory: option.string(
      "The largest memory limit allowed (a quantity, such as `4Gi`); empty: not checked.",
      "",
    ),
  },
  create(context) {
    const caps = [
      ["cpu", context.options.maxCpu],
      ["memory", context.options.maxMemory],
    ] as const;
    return {
      container(c) {
        if (c.kind === "ephemeralContainer") return;
        for (const [name, max] of caps) {
          const cap = parseQuantity(max);
          const rawLimit: unknown = c.container.resources?.limits?.[name];
          const limit = parseQuantity(rawLimit);
          if (cap === undefined || limit === undefined || limit <= cap) continue;
          reportContainer(context, c, ["resources", "limits", name], "exceeded", {
            resource: name,
            limit: quantityText(rawLimit),
            max,
          });
        }
      },
    };
  },
});
