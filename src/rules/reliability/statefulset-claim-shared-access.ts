import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "statefulset-claim-shared-access",
    title: "StatefulSet volume claim template asks for shared access",
    category: "reliability",
    severity: "low",
    description:
      "A StatefulSet makes one PersistentVolumeClaim per replica, so its claim templates need no shared (`ReadWriteMany`/`ReadOnlyMany`) access; asking for it restricts the claims to storage classes that offer it (NFS and similar), and where the default class has none the claims stay Pending and the pods never start.",
    remediation:
      "Request `ReadWriteOnce` (or `ReadWriteOncePod`) in the StatefulSet's `volumeClaimTemplates`.",
    messages: {
      shared: "Volume claim template `{{template}}` asks for {{modes}} but no single-node access mode.",
    },
    kinds: ["StatefulSet"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-STS-PVC-MODE"],
    equivalents: { kics: ["3878dc92-8e5d-47cf-9cdd-7590f71d21b9"] },
    notes:
      "Off by default: some workloads do share one volume between replicas on purpose, through a storage class that offers shared access.",
  },
  create(context) {
    return {
      resource(sts) {
        const templates = getIn(sts.object, ["spec", "volumeClaimTemplates"]);
        if (!Array.isArray(templates)) return;
        templates.forEach((t: unknown, i) => {
          const modes = getIn(t, ["spec", "accessModes"]);
          if (!Array.isArray(modes) || modes.length === 0) return;
          const list = modes.filter((m): m is string => typeof m === "string");
          if (list.some((m) => m === "ReadWriteOnce" || m === "ReadWriteOncePod")) return;
          const name = getIn(t, ["metadata", "name"]);
          context.report({
            resource: sts,
            path: ["spec", "volumeClaimTemplates", i, "spec", "accessModes"],
            messageId: "shared",
            data: {
              template: typeof name === "string" ? name : `#${i}`,
              modes: list.map((m) => `\`${m}\``).join(", "),
            },
          });
        });
      },
    };
  },
});
