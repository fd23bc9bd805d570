import { defineRule } from "../../core/rule.js";
import { reportContainer } from "../lib/report.js";

/** `sudo` as a word of the command line: `sudo`, `/usr/bin/sudo`, `sh -c "sudo -u app ..."`. */
const SUDO = /(^|[\s;&|(/"'`])sudo(\s|$)/;

export default defineRule({
  meta: {
    id: "sudo-in-command",
    title: "Container runs sudo in its command",
    category: "security",
    severity: "medium",
    description:
      "`sudo` in a container's command means the image ships a setuid binary that turns an unprivileged process into root: the container's user setting no longer limits what a compromised process can do, and `allowPrivilegeEscalation: false` will break the command.",
    remediation:
      "Run the command as the user it needs (`securityContext.runAsUser`) and remove `sudo` from the command and the image.",
    messages: {
      sudo: "Container `{{container}}` calls `sudo` in its {{field}}.",
    },
    fix: "none",
    concepts: ["W-SUDO"],
    equivalents: { kubescape: ["C-0062"] },
    standards: { mitre: ["T1548"] },
    notes:
      "Only the manifest's `command` and `args` are read: a `sudo` in the image's entrypoint or in a script it runs is not seen. The word must stand alone (`sudoers` or `pseudo` do not count).",
  },
  create(context) {
    return {
      container(c) {
        for (const field of ["command", "args"] as const) {
          const list: unknown = c.container[field];
          if (!Array.isArray(list)) continue;
          const i = list.findIndex((s: unknown) => typeof s === "string" && SUDO.test(s));
          if (i !== -1) {
            reportContainer(context, c, [field, i], "sudo", { field: `\`${field}\`` });
            return;
          }
        }
      },
    };
  },
});
