import { defineRule } from "../../core/rule.js";
import { capabilityEntries, isAllCapabilities } from "../lib/capabilities.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "capabilities-not-dropped",
    title: "Capabilities not dropped",
    category: "security",
    severity: "low",
    description:
      "Container runtimes grant a default set of capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW, ...) that most applications never use; each one widens what an attacker can do after a compromise. Dropping ALL and adding back only what is needed is the least-privilege baseline.",
    remediation:
      'Set `securityContext.capabilities.drop: ["ALL"]` and add back only the capabilities the container needs.',
    messages: {
      missing: "Container `{{container}}` does not drop any capabilities.",
      notAll: "Container `{{container}}` drops some capabilities but not `ALL`.",
      wrongCase:
        "Container `{{container}}` drops `{{capability}}`: runtimes accept it, but Pod Security admission only accepts `ALL` in capitals.",
    },
    fix: "unsafe",
    standards: { pss: "restricted", cis: ["5.2.10"], nsa: ["Pod security enforcement"] },
    concepts: ["W-CAP-DROP"],
    equivalents: {
      trivy: ["KSV-0003", "KSV-0004"],
      checkov: ["CKV_K8S_37"],
      polaris: ["insecureCapabilities"],
      kics: ["268ca686-7fb7-4ae9-b129-955a2a89064e"],
      kubeaudit: ["capabilities/CapabilityShouldDropAll", "capabilities/CapabilityOrSecurityContextMissing"],
    },
    notes:
      "Images that start as root and switch user, chown files or bind ports below 1024 need some capabilities back (SETUID, SETGID, CHOWN, NET_BIND_SERVICE): add them explicitly after dropping ALL. A privileged container keeps every capability whatever it drops; privileged-container reports that. Windows pods, which have no capabilities, are not checked.",
  },
  create(context) {
    return {
      container(c) {
        if (isWindowsPod(c.pod)) return;
        const drop = capabilityEntries(c, "drop");
        if (drop.some((e) => e.name === "ALL")) return;
        const lower = drop.find((e) => isAllCapabilities(e.name));
        if (lower !== undefined) {
          reportContainer(
            context,
            c,
            lower.at,
            "wrongCase",
            { capability: lower.name },
            setFix(
              lower.at,
              "ALL",
              `Write the capability as ALL in container ${c.name} (names are case-sensitive).`,
            ),
          );
          return;
        }
        if (drop.length > 0) {
          reportContainer(
            context,
            c,
            ["securityContext", "capabilities", "drop"],
            "notAll",
            {},
            {
              fix: {
                description: `Add ALL to securityContext.capabilities.drop of container ${c.name}.`,
                ops: [{ op: "append", path: ["securityContext", "capabilities", "drop"], value: "ALL" }],
              },
            },
          );
          return;
        }
        reportContainer(
          context,
          c,
          deepestExisting(c.container, ["securityContext", "capabilities", "drop"]),
          "missing",
          {},
          {
            fix: {
              description: `Add ALL to securityContext.capabilities.drop of container ${c.name}.`,
              ops: [{ op: "append", path: ["securityContext", "capabilities", "drop"], value: "ALL" }],
            },
          },
        );
      },
    };
  },
});
