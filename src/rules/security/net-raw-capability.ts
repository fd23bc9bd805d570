import { defineRule } from "../../core/rule.js";
import { removeAddedFix, capabilityEntries, isAllCapabilities } from "../lib/capabilities.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "net-raw-capability",
    title: "NET_RAW capability not dropped",
    category: "security",
    severity: "medium",
    description:
      "NET_RAW lets a process craft raw packets: ARP and DNS spoofing against neighbouring pods, traffic interception, and a history of kernel exploits. containerd and Docker grant it by default, so it must be dropped explicitly.",
    remediation: "Add `NET_RAW` (or `ALL`) to `securityContext.capabilities.drop` and do not add it back.",
    messages: {
      notDropped: "Container `{{container}}` does not drop NET_RAW, which the runtime may grant by default.",
      added: "Container `{{container}}` grants NET_RAW by adding `{{capability}}`.",
    },
    fix: "unsafe",
    standards: { pss: "restricted", cis: ["5.2.8"], nsa: ["Pod security enforcement"] },
    concepts: ["W-CAP-NETRAW"],
    equivalents: {
      trivy: ["KSV-0119"],
      "kube-linter": ["drop-net-raw-capability"],
      checkov: ["CKV_K8S_28"],
      kics: ["dbbc6705-d541-43b0-b166-dd4be8208b54"],
      terrascan: ["AC_K8S_0048"],
    },
    notes:
      "`ping` and `traceroute` in old images, network diagnostic tools and some CNI or mesh components need NET_RAW (modern ping uses unprivileged ICMP sockets). CRI-O no longer grants NET_RAW by default, so on CRI-O nodes `notDropped` only asks you to make that explicit. A privileged container keeps NET_RAW whatever it drops; privileged-container reports that.",
  },
  create(context) {
    return {
      container(c) {
        if (isWindowsPod(c.pod)) return;
        const added = capabilityEntries(c, "add").find(
          (e) => e.normalized === "NET_RAW" || isAllCapabilities(e.name),
        );
        if (added !== undefined) {
          reportContainer(
            context,
            c,
            added.at,
            "added",
            { capability: added.name },
            removeAddedFix(c, added),
          );
          return;
        }
        const drop = capabilityEntries(c, "drop");
        if (drop.some((e) => e.normalized === "NET_RAW" || isAllCapabilities(e.name))) return;
        reportContainer(
          context,
          c,
          deepestExisting(c.container, ["securityContext", "capabilities", "drop"]),
          "notDropped",
          {},
          {
            fix: {
              description: `Add NET_RAW to securityContext.capabilities.drop of container ${c.name}.`,
              ops: [{ op: "append", path: ["securityContext", "capabilities", "drop"], value: "NET_RAW" }],
            },
          },
        );
      },
    };
  },
});
