import { defineRule } from "../../core/rule.js";
import { reportContainer } from "../lib/report.js";

// git-sync reads the path of the git binary from these variables (v4 and v3 spellings) and from
// the --git flag: whoever can set them runs any command in the container.
const ENV_NAMES = new Set(["GITSYNC_GIT", "GIT_SYNC_GIT"]);

export default defineRule({
  meta: {
    id: "git-sync-git-override",
    title: "git-sync told to run another git binary",
    category: "security",
    severity: "high",
    description:
      'git-sync runs whatever program `GITSYNC_GIT` / `GIT_SYNC_GIT` (or `--git`) names as its git binary. Anyone able to set it (a values file, a mutating webhook, a user with `patch` on the workload) gets command execution with the container\'s identity and its repository credentials (Akamai, "Kubernetes git-sync command injection", DEF CON 32, 2024).',
    remediation:
      "Remove the git override and use the git binary shipped in the git-sync image; if a different git is really needed, build it into the image.",
    messages: {
      env: "Container `{{container}}` sets `{{name}}`, so git-sync runs the program it names instead of git.",
      flag: "Container `{{container}}` passes `{{arg}}`, so git-sync runs the program it names instead of git.",
    },
    fix: "none",
    concepts: ["K-GITSYNC"],
    equivalents: { checkov: ["CKV_K8S_159"] },
    notes: "Only the override is reported, not git-sync itself, which is safe with its default git.",
  },
  create(context) {
    return {
      container(c) {
        (c.container.env ?? []).forEach((e, i) => {
          if (ENV_NAMES.has(e.name)) reportContainer(context, c, ["env", i, "name"], "env", { name: e.name });
        });
        for (const field of ["command", "args"] as const) {
          (c.container[field] ?? []).forEach((arg, i) => {
            if (typeof arg === "string" && /^--git(=|$)/.test(arg)) {
              reportContainer(context, c, [field, i], "flag", {
                arg: arg.length > 60 ? `${arg.slice(0, 60)}…` : arg,
              });
            }
          });
        }
      },
    };
  },
});
