import { defineRule } from "../../core/rule.js";
import { containersOf } from "../../core/workloads.js";
import { isWindowsPod, usesUserNamespace } from "../lib/pod-platform.js";
import { reportContainer, reportPod, setFix, type FixOffer } from "../lib/report.js";

/** UIDs up to here are commonly allocated to real users and services on Linux nodes. */
const MAX_LOW_UID = 10000;

export default defineRule({
  meta: {
    id: "low-user-id",
    title: "Container runs with a low UID",
    category: "security",
    severity: "low",
    description:
      "UIDs of 10000 and below are usually taken by users and services on the node; if the container escapes or shares a host volume, its processes act as that host user and own that user's files.",
    remediation: "Set `runAsUser` to a UID above 10000 (and build the image to work with it).",
    messages: {
      containerLowUid:
        "Container `{{container}}` runs as UID {{uid}}, which may belong to a user on the node.",
      podLowUid: "The pod runs its containers as UID {{uid}}, which may belong to a user on the node.",
    },
    fix: "unsafe",
    concepts: ["W-UID"],
    equivalents: {
      trivy: ["KSV-0020"],
      checkov: ["CKV_K8S_40"],
      "kube-score": ["container-security-context-user-group-id"],
      kics: ["02323c00-cdc3-4fdc-a310-4f2b3e7a1660"],
      terrascan: ["AC_K8S_0079"],
    },
    notes:
      "Only an explicit `runAsUser` is checked: when it is unset the image decides, which this rule cannot see. UID 0 is the business of the run-as-root rule and is not reported here. With user namespaces (`hostUsers: false`) the container's UIDs do not map to node users and the rule does not apply; Windows pods ignore `runAsUser` and are skipped. Many published images use fixed UIDs such as 1001; changing them needs an image that tolerates it.",
  },
  create(context) {
    const low = (uid: unknown): uid is number => typeof uid === "number" && uid > 0 && uid <= MAX_LOW_UID;
    const uid = context.fixDefaults.runAsUser;
    const offer = (where: string): FixOffer =>
      typeof uid === "number" && uid > MAX_LOW_UID
        ? setFix(
            ["securityContext", "runAsUser"],
            uid,
            `Set runAsUser: ${String(uid)} in ${where} (fix.defaults.runAsUser).`,
          )
        : {
            noFix: `no user ID above ${String(MAX_LOW_UID)} is known for this image; set fix.defaults.runAsUser in .kubeward.yaml`,
          };
    return {
      podSpec(pod) {
        if (isWindowsPod(pod) || usesUserNamespace(pod)) return;
        const podUid = pod.spec.securityContext?.runAsUser;
        let inherited = false;
        for (const c of containersOf(pod)) {
          const own: unknown = c.container.securityContext?.runAsUser;
          if (own === undefined || own === null) {
            inherited = true;
            continue;
          }
          if (low(own))
            reportContainer(
              context,
              c,
              ["securityContext", "runAsUser"],
              "containerLowUid",
              { uid: own },
              offer(`container ${c.name}`),
            );
        }
        if (inherited && low(podUid)) {
          reportPod(
            context,
            pod,
            ["securityContext", "runAsUser"],
            "podLowUid",
            { uid: podUid },
            offer("the pod spec"),
          );
        }
      },
    };
  },
});
