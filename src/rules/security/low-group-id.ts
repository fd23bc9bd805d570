import { defineRule } from "../../core/rule.js";
import { containersOf } from "../../core/workloads.js";
import { isWindowsPod, usesUserNamespace } from "../lib/pod-platform.js";
import { reportContainer, reportPod, setFix, type FixOffer } from "../lib/report.js";

/** GIDs up to here are commonly allocated to groups on Linux nodes; 0 is root's group. */
const MAX_LOW_GID = 10000;

const low = (gid: unknown): gid is number => typeof gid === "number" && gid >= 0 && gid <= MAX_LOW_GID;

export default defineRule({
  meta: {
    id: "low-group-id",
    title: "Container runs with the root group or a low GID",
    category: "security",
    severity: "low",
    description:
      "Files on the node and in images are often group-owned by root (GID 0) or by low system groups; a process in those groups can read or write them if it escapes the container or shares a host volume.",
    remediation:
      "Set `runAsGroup`, `fsGroup` and `supplementalGroups` to GIDs above 10000 (and build the image to work with them).",
    messages: {
      containerGroup: "Container `{{container}}` runs with primary group {{gid}}{{root}}.",
      podGroup: "The pod sets `{{field}}` to GID {{gid}}{{root}}.",
    },
    fix: "unsafe",
    concepts: ["W-GID"],
    equivalents: {
      trivy: ["KSV-0021", "KSV-0116"],
      "kube-linter": ["run-as-non-root"],
      "kube-score": ["container-security-context-user-group-id"],
    },
    notes:
      "Only explicit GIDs are checked: when `runAsGroup` is unset the image decides. `fsGroup` and `supplementalGroups` apply to every container and are reported once on the pod; a pod-level `runAsGroup` is reported when a container inherits it. OpenShift-style images that rely on the root group (GID 0) for writable directories are a legitimate use. Pods with user namespaces (`hostUsers: false`) and Windows pods are skipped.",
  },
  create(context) {
    const gid = context.fixDefaults.runAsGroup;
    const offer = (where: string): FixOffer =>
      typeof gid === "number" && !low(gid)
        ? setFix(
            ["securityContext", "runAsGroup"],
            gid,
            `Set runAsGroup: ${String(gid)} in ${where} (fix.defaults.runAsGroup).`,
          )
        : {
            noFix: `no group ID above ${String(MAX_LOW_GID)} is known for this image; set fix.defaults.runAsGroup in .kubeward.yaml`,
          };
    const volumeNoFix: FixOffer = {
      noFix: "volume file ownership depends on this group; choose it by hand",
    };
    const rootNote = (gid: number) => (gid === 0 ? " (root)" : ", which may belong to a group on the node");
    return {
      podSpec(pod) {
        if (isWindowsPod(pod) || usesUserNamespace(pod)) return;
        const sc = pod.spec.securityContext;
        let inherited = false;
        for (const c of containersOf(pod)) {
          const own: unknown = c.container.securityContext?.runAsGroup;
          if (own === undefined || own === null) {
            inherited = true;
          } else if (low(own)) {
            reportContainer(
              context,
              c,
              ["securityContext", "runAsGroup"],
              "containerGroup",
              { gid: own, root: rootNote(own) },
              offer(`container ${c.name}`),
            );
          }
        }
        const podGroup = sc?.runAsGroup;
        if (inherited && low(podGroup)) {
          reportPod(
            context,
            pod,
            ["securityContext", "runAsGroup"],
            "podGroup",
            {
              field: "runAsGroup",
              gid: podGroup,
              root: rootNote(podGroup),
            },
            offer("the pod spec"),
          );
        }
        if (low(sc?.fsGroup)) {
          reportPod(
            context,
            pod,
            ["securityContext", "fsGroup"],
            "podGroup",
            {
              field: "fsGroup",
              gid: sc.fsGroup,
              root: rootNote(sc.fsGroup),
            },
            volumeNoFix,
          );
        }
        (sc?.supplementalGroups ?? []).forEach((gid, i) => {
          if (!low(gid)) return;
          reportPod(
            context,
            pod,
            ["securityContext", "supplementalGroups", i],
            "podGroup",
            {
              field: "supplementalGroups",
              gid,
              root: rootNote(gid),
            },
            volumeNoFix,
          );
        });
      },
    };
  },
});
