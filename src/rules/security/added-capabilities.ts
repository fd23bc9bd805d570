import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import { removeAddedFix, capabilityEntries, capabilityOption } from "../lib/capabilities.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer } from "../lib/report.js";

/** The only capability the Pod Security Standards (restricted) let a container add. */
const PSS_RESTRICTED_ALLOWED: readonly string[] = ["NET_BIND_SERVICE"];

export default defineRule({
  meta: {
    id: "added-capabilities",
    title: "Capability added beyond the allowed list",
    category: "security",
    severity: "medium",
    description:
      "Every capability added to a container is kernel privilege an attacker inherits on compromise. The Pod Security Standards (restricted) allow adding only NET_BIND_SERVICE; anything else should be a reviewed exception.",
    remediation:
      "Remove the capability from `securityContext.capabilities.add`, or list it in this rule's `allowed` option if it is reviewed and required.",
    messages: {
      added:
        "Container `{{container}}` adds the `{{capability}}` capability, which is not allowed ({{allowed}}).",
    },
    fix: "unsafe",
    standards: { pss: "restricted", cis: ["5.2.9"], nsa: ["Pod security enforcement"] },
    concepts: ["W-CAP-ADD", "W-CAP-NBS"],
    equivalents: {
      trivy: ["KSV-0106", "KSV-0022"],
      checkov: ["CKV_K8S_25"],
      kics: ["19ebaa28-fc86-4a58-bcfa-015c9e22fe40"],
      kubeaudit: ["capabilities/CapabilityAdded"],
    },
    notes:
      "Workloads that genuinely need a capability (CHOWN or FOWNER for images that fix volume ownership at start, SYS_NICE for real-time schedulers) should list it in the `allowed` option or be exempted by container name; names are compared case-insensitively, with or without `CAP_`. Capabilities that dangerous-capabilities knows are reported by both rules.",
  },
  options: {
    allowed: option.strings(
      "Capabilities a container may add (case-insensitive, with or without `CAP_`).",
      PSS_RESTRICTED_ALLOWED,
    ),
  },
  create(context) {
    const allowed = capabilityOption(context.options.allowed);
    const allowedText = allowed.size === 0 ? "none is allowed" : `allowed: ${[...allowed].join(", ")}`;
    return {
      container(c) {
        if (isWindowsPod(c.pod)) return;
        for (const e of capabilityEntries(c, "add")) {
          if (!allowed.has(e.normalized)) {
            reportContainer(
              context,
              c,
              e.at,
              "added",
              { capability: e.name, allowed: allowedText },
              removeAddedFix(c, e),
            );
          }
        }
      },
    };
  },
});
