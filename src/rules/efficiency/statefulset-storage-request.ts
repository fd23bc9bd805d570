import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";

export default defineRule({
  meta: {
    id: "statefulset-storage-request",
    title: "StatefulSet claims persistent storage per replica",
    category: "efficiency",
    severity: "info",
    description:
      "Each replica of a StatefulSet gets its own PersistentVolumeClaim from `volumeClaimTemplates`, and the claims outlive the pods: scaling up multiplies the storage bill, and scaling down or deleting the StatefulSet leaves the volumes behind unless `persistentVolumeClaimRetentionPolicy` says otherwise.",
    remediation:
      "Review the requested size against the replica count, and set `persistentVolumeClaimRetentionPolicy` (`whenScaled`, `whenDeleted`) to what should happen to the volumes.",
    messages: {
      requests:
        "StatefulSet `{{name}}` claims {{storage}} of storage per replica in `{{claim}}`, kept after scale-down and deletion (no persistentVolumeClaimRetentionPolicy).",
    },
    kinds: ["StatefulSet"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-STS-STORAGE"],
    equivalents: { kics: ["8cf4671a-cf3d-46fc-8389-21e7405063a2"] },
    notes:
      "Off by default: an inventory for cost review rather than a defect (KICS reports every StatefulSet that requests storage). A StatefulSet that sets `persistentVolumeClaimRetentionPolicy` has decided what happens to its volumes and is not reported.",
  },
  create(context) {
    return {
      resource(r) {
        if (getIn(r.object, ["spec", "persistentVolumeClaimRetentionPolicy"]) !== undefined) return;
        const templates = getIn(r.object, ["spec", "volumeClaimTemplates"]);
        if (!Array.isArray(templates)) return;
        templates.forEach((t: unknown, i) => {
          const path = ["spec", "volumeClaimTemplates", i, "spec", "resources", "requests", "storage"];
          const storage = getIn(r.object, path);
          if (typeof storage !== "string" && typeof storage !== "number") return;
          const claim = getIn(t, ["metadata", "name"]);
          context.report({
            resource: r,
            path,
            messageId: "requests",
            data: {
              name: r.ref.name,
              storage: String(storage),
              claim: typeof claim === "string" ? claim : String(i),
            },
          });
        });
      },
    };
  },
});
