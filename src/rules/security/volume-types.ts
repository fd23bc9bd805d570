import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

/** The volume sources the Pod Security Standards (restricted) allow. */
const RESTRICTED: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

export default defineRule({
  meta: {
    id: "volume-types",
    title: "Volume type outside the restricted set",
    category: "security",
    severity: "medium",
    description:
      "Volume sources other than ConfigMaps, Secrets, emptyDir, projected/downwardAPI, CSI, ephemeral and PersistentVolumeClaims (NFS, iSCSI, Ceph, Git repositories, cloud disks named in the pod, ...) reach storage directly from the pod, bypass the cluster's storage classes and access controls, and many run host-level mount helpers as root on the node.",
    remediation:
      "Mount the storage through a PersistentVolumeClaim (with a StorageClass or a pre-created PersistentVolume) or a CSI volume instead.",
    messages: {
      volumeType:
        "Volume `{{volume}}` uses the `{{type}}` source, which the restricted Pod Security Standard does not allow.",
    },
    fix: "none",
    standards: { pss: "restricted" },
    concepts: ["W-VOLTYPES"],
    equivalents: { trivy: ["KSV-0028"], terrascan: ["AC_K8S_0081"] },
    notes:
      "hostPath volumes are outside the restricted set too but are reported by host-path-volume (and sensitive-host-path, writable-host-path), not here. `gitRepo` volumes are deprecated and run git on the node as root; they are reported like any other non-restricted source.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const volumes: unknown = pod.spec.volumes;
        if (!Array.isArray(volumes)) return;
        volumes.forEach((v: unknown, i) => {
          if (!isRecord(v)) return;
          for (const key of Object.keys(v)) {
            if (key === "name" || key === "hostPath" || RESTRICTED.has(key)) continue;
            if (v[key] === null || v[key] === undefined) continue;
            reportPod(context, pod, ["volumes", i, key], "volumeType", {
              volume: typeof v["name"] === "string" ? v["name"] : String(i),
              type: key,
            });
          }
        });
      },
    };
  },
});
