// Storage: PVCs pending (missing StorageClass, provisioning failures) or lost, failed or released
// PersistentVolumes, and StorageClasses (several defaults, in-tree provisioners). A claim waiting
// for its first consumer is normal and not reported.
import { type Analyzer, type Check, eventEvidence, eventStep, field, problem } from "../analyzer.js";
import { metaOf, rec, refOf, str } from "../graph.js";
import type { Problem } from "../types.js";

const CHECKS = {
  "pvc-storageclass-missing": { severity: "high", title: "PVC names a StorageClass that does not exist" },
  "pvc-provisioning-failed": { severity: "high", title: "PVC cannot be provisioned" },
  "pvc-pending": { severity: "medium", title: "PVC is pending" },
  "pvc-lost": { severity: "high", title: "PVC lost its volume" },
  "pv-failed": { severity: "high", title: "PersistentVolume failed" },
  "pv-released": { severity: "info", title: "PersistentVolume released but not reclaimed" },
  "storageclass-multiple-defaults": { severity: "medium", title: "More than one default StorageClass" },
  "storageclass-in-tree-provisioner": {
    severity: "low",
    title: "StorageClass uses a removed in-tree provisioner",
  },
} as const satisfies Record<string, Check>;

const DEFAULT_ANN = "storageclass.kubernetes.io/is-default-class";
const IN_TREE = new Set([
  "kubernetes.io/aws-ebs",
  "kubernetes.io/gce-pd",
  "kubernetes.io/azure-disk",
  "kubernetes.io/azure-file",
  "kubernetes.io/cinder",
  "kubernetes.io/vsphere-volume",
  "kubernetes.io/portworx-volume",
]);

export const storageAnalyzer: Analyzer = {
  name: "storage",
  checks: CHECKS,
  analyze(ctx) {
    const g = ctx.graph;
    const out: Problem[] = [];
    const classes = g.all("StorageClass");
    const defaults = classes.filter((c) => rec(metaOf(c)["annotations"])[DEFAULT_ANN] === "true");
    for (const pvc of g.all("PersistentVolumeClaim")) {
      const subject = refOf(pvc);
      const phase = str(rec(pvc["status"])["phase"]);
      const cls = str(rec(pvc["spec"])["storageClassName"]);
      if (phase === "Lost") {
        out.push(
          problem(
            CHECKS,
            "pvc-lost",
            subject,
            {
              message: "claim is Lost: its PersistentVolume no longer exists",
              explanation: `The volume bound to this claim was deleted; pods using the claim cannot start.`,
              remediation: `Restore the volume from a backup or recreate the claim; check the reclaim policy of the class.`,
            },
            [field(subject, "status.phase", "Lost")],
          ),
        );
        continue;
      }
      if (phase !== "Pending") continue;
      const events = g.eventsFor(pvc);
      const latest = events[0];
      if (
        latest !== undefined &&
        latest.type === "Normal" &&
        /WaitForFirstConsumer|ExternalProvisioning|Provisioning/.test(latest.reason)
      )
        continue;
      if (
        cls !== undefined &&
        cls !== "" &&
        g.knows("StorageClass") &&
        !classes.some((c) => refOf(c).name === cls)
      ) {
        out.push(
          problem(
            CHECKS,
            "pvc-storageclass-missing",
            subject,
            {
              message: `StorageClass "${cls}" does not exist`,
              explanation: `No provisioner will create a volume for this claim, so it stays Pending and pods using it are not scheduled.`,
              remediation: `Set spec.storageClassName to an existing class (kubectl get storageclass); the field is immutable, so recreate the claim.`,
            },
            [field(subject, "spec.storageClassName", cls)],
          ),
        );
        continue;
      }
      const failed = events.find((e) => e.type === "Warning" && e.reason === "ProvisioningFailed");
      if (failed !== undefined) {
        out.push(
          problem(
            CHECKS,
            "pvc-provisioning-failed",
            subject,
            {
              message: `provisioning failed: ${failed.message}`,
              explanation: `The storage provisioner tried to create the volume and failed, so the claim stays Pending.`,
              remediation: `Fix what the provisioner reports (quota, zone, parameters of the StorageClass, driver health).`,
            },
            [eventEvidence(subject, failed)],
            { steps: [eventStep(failed)] },
          ),
        );
        continue;
      }
      if (latest !== undefined || (cls === undefined && g.knows("StorageClass") && defaults.length === 0)) {
        out.push(
          problem(
            CHECKS,
            "pvc-pending",
            subject,
            {
              message: `claim is Pending${latest !== undefined ? `: ${latest.message}` : " and there is no default StorageClass"}`,
              explanation: `No volume is bound to the claim, so pods that use it are not scheduled.`,
              remediation: `Name a StorageClass in spec.storageClassName, mark one class as default, or create a matching PersistentVolume.`,
            },
            latest !== undefined
              ? [eventEvidence(subject, latest)]
              : [field(subject, "spec.storageClassName", "unset")],
          ),
        );
      }
    }
    for (const pv of g.all("PersistentVolume")) {
      const subject = refOf(pv);
      const phase = str(rec(pv["status"])["phase"]);
      if (phase === "Failed")
        out.push(
          problem(
            CHECKS,
            "pv-failed",
            subject,
            {
              message: `volume failed: ${str(rec(pv["status"])["message"]) ?? "automatic reclamation failed"}`,
              explanation: `The volume's automatic reclamation failed; it cannot be bound again.`,
              remediation: `Inspect and clean up the backing storage, then delete the PersistentVolume.`,
            },
            [field(subject, "status.phase", "Failed")],
          ),
        );
      else if (phase === "Released")
        out.push(
          problem(
            CHECKS,
            "pv-released",
            subject,
            {
              message: "volume was released by its claim and is not reclaimed",
              explanation: `With reclaim policy Retain the data stays and the volume is not reused until an administrator acts.`,
              remediation: `Back up what you need, then delete the PersistentVolume (and its backing disk), or clear spec.claimRef to reuse it.`,
            },
            [field(subject, "status.phase", "Released")],
          ),
        );
    }
    if (defaults.length > 1) {
      for (const d of defaults)
        out.push(
          problem(
            CHECKS,
            "storageclass-multiple-defaults",
            refOf(d),
            {
              message: `one of ${defaults.length} default StorageClasses (${defaults.map((c) => refOf(c).name).join(", ")})`,
              explanation: `With several defaults, claims without a class get whichever was created last, which is rarely intended.`,
              remediation: `Keep the ${DEFAULT_ANN} annotation on one class only.`,
            },
            [field(refOf(d), `metadata.annotations["${DEFAULT_ANN}"]`, "true")],
            { keyParts: ["defaults"] },
          ),
        );
    }
    for (const c of classes) {
      const prov = str(c["provisioner"]) ?? "";
      if (IN_TREE.has(prov))
        out.push(
          problem(
            CHECKS,
            "storageclass-in-tree-provisioner",
            refOf(c),
            {
              message: `uses the in-tree provisioner ${prov}`,
              explanation: `In-tree cloud volume plugins were removed from Kubernetes; new volumes are served only through CSI migration, if at all.`,
              remediation: `Switch to the cloud's CSI driver (e.g. ebs.csi.aws.com, pd.csi.storage.gke.io, disk.csi.azure.com).`,
            },
            [field(refOf(c), "provisioner", prov)],
          ),
        );
    }
    return out;
  },
};
