import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";

// AWS EBS provisioners, in-tree and CSI: volumes are encrypted only with `encrypted: "true"`
// (or when the account turned on EBS encryption by default, which a manifest cannot show).
const EBS = new Set(["kubernetes.io/aws-ebs", "ebs.csi.aws.com"]);

export default defineRule({
  meta: {
    id: "storageclass-unencrypted",
    title: "StorageClass provisions unencrypted EBS volumes",
    category: "security",
    severity: "medium",
    description:
      'An AWS EBS StorageClass without `encrypted: "true"` provisions volumes whose data, snapshots and copies are stored unencrypted at rest, unless the account enables EBS encryption by default.',
    remediation:
      'Add `parameters.encrypted: "true"` (and `kmsKeyId` for a customer-managed key) to the StorageClass; existing volumes must be migrated.',
    messages: {
      unencrypted:
        'StorageClass `{{name}}` ({{provisioner}}) does not set `encrypted: "true"`: its volumes are stored unencrypted.',
    },
    kinds: ["StorageClass"],
    fix: "none",
    concepts: ["S-PV-ENC"],
    equivalents: { kubescape: ["C-0264"] },
    notes:
      "Only AWS EBS is judged: GCE persistent disks and Azure disks are always encrypted at rest, and for other provisioners encryption is not a StorageClass parameter a scanner can read. Turn it off where the account enforces EBS encryption by default.",
  },
  create(context) {
    return {
      resource(r) {
        const provisioner = r.object["provisioner"];
        if (typeof provisioner !== "string" || !EBS.has(provisioner)) return;
        const params = r.object["parameters"];
        const encrypted = isRecord(params) ? params["encrypted"] : undefined;
        if (encrypted === "true" || encrypted === true) return;
        context.report({
          resource: r,
          path: isRecord(params) ? ["parameters", "encrypted"] : ["provisioner"],
          messageId: "unencrypted",
          data: { name: r.ref.name, provisioner },
        });
      },
    };
  },
});
