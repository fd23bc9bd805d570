import { grantRule } from "../lib/rbac-grant.js";

export default grantRule({
  meta: {
    id: "rbac-pv-create",
    title: "Role can create PersistentVolumes",
    severity: "high",
    description:
      "A PersistentVolume can be a `hostPath` on a node: whoever can create one and claim it mounts the node's filesystem into their pod, which Pod Security admission does not see because the pod only names a claim.",
    remediation:
      "Remove `create` on `persistentvolumes`; let a StorageClass provisioner create volumes, and give users only PersistentVolumeClaims.",
    message: "{{kind}} `{{name}}` can create PersistentVolumes ({{verbs}} on {{resources}}).",
    concepts: ["RB-PV"],
    equivalents: { kubescape: ["C-0278"] },
    standards: { cis: ["5.1.9"], mitre: ["T1611"] },
    notes:
      'CSI provisioners and storage operators create PersistentVolumes by design: suppress the rule on their roles with a reason. `resources: ["*"]` is left to rbac-wildcard.',
  },
  grants: [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] }],
});
