import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "secret-in-env",
    title: "Secret exposed as environment variables",
    category: "security",
    severity: "low",
    description:
      "Environment variables leak easily: they are inherited by child processes, printed by crash reports and debug endpoints, and readable from /proc; a Secret mounted as a file can be kept out of all of those and is updated without a restart.",
    remediation: "Mount the Secret as a volume and have the application read the value from the file.",
    messages: {
      secretKeyRef:
        "Container `{{container}}` reads key `{{key}}` of Secret `{{secret}}` into environment variable `{{name}}`.",
      secretRef: "Container `{{container}}` loads every key of Secret `{{secret}}` as environment variables.",
    },
    fix: "none",
    standards: { cis: ["5.4.1"], nsa: ["Secrets"] },
    concepts: ["S-ENV-SECRETREF"],
    equivalents: {
      "kube-linter": ["read-secret-from-env-var"],
      kubescape: ["C-0207"],
      checkov: ["CKV_K8S_35"],
      kics: ["3d658f8b-d988-41a0-a841-40043121de1e"],
      terrascan: ["AC_K8S_0051"],
    },
    notes:
      "Many applications (and most twelve-factor images) can only take credentials from the environment; changing them may not be worth it, in which case disable this rule. It is much better than a value hard-coded in the manifest (see `hardcoded-secret-in-env`).",
  },
  create(context) {
    return {
      container(c) {
        (c.container.env ?? []).forEach((e, i) => {
          if (!isRecord(e)) return;
          const ref = e.valueFrom?.secretKeyRef;
          if (!isRecord(ref)) return;
          reportContainer(context, c, ["env", i, "valueFrom", "secretKeyRef"], "secretKeyRef", {
            name: e.name,
            secret: ref.name ?? "",
            key: ref.key ?? "",
          });
        });
        (c.container.envFrom ?? []).forEach((src, i) => {
          if (!isRecord(src)) return;
          const ref = src.secretRef;
          if (!isRecord(ref)) return;
          reportContainer(context, c, ["envFrom", i, "secretRef"], "secretRef", {
            secret: typeof ref.name === "string" ? ref.name : "",
          });
        });
      },
    };
  },
});
