import { defineRule } from "../../core/rule.js";
import { getIn, type ContainerView } from "../../core/workloads.js";
import { reportEffective } from "../lib/effective-setting.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod, usesUserNamespace } from "../lib/pod-platform.js";
import { reportContainer, setFix, type FixOffer } from "../lib/report.js";
import { effective } from "../lib/security-context.js";

/** Windows has no UIDs: a `runAsUserName` other than ContainerAdministrator is a non-admin user. */
function windowsNonAdmin(c: ContainerView): boolean {
  const own = getIn(c.container, ["securityContext", "windowsOptions", "runAsUserName"]);
  const name =
    typeof own === "string" ? own : getIn(c.pod.spec, ["securityContext", "windowsOptions", "runAsUserName"]);
  return typeof name === "string" && name !== "" && name.toLowerCase() !== "containeradministrator";
}

export default defineRule({
  meta: {
    id: "run-as-root",
    title: "Container may run as root",
    category: "security",
    severity: "medium",
    description:
      "A process running as UID 0 in a container is root on the node's kernel: one container escape or writable host mount turns it into full control of the node. Without `runAsNonRoot: true` or a non-zero `runAsUser`, the image's USER decides, and most images default to root.",
    remediation:
      "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod or container securityContext, and build the image to run as that user.",
    messages: {
      runAsUserZero:
        "Container `{{container}}` is set to run as root (UID 0) by `runAsUser: 0` in {{where}}.",
      runAsNonRootFalse:
        "Container `{{container}}` may run as root: {{where}} sets `runAsNonRoot: false` and no non-zero `runAsUser` is set.",
      missing:
        "Container `{{container}}` may run as root: neither `runAsNonRoot: true` nor a non-zero `runAsUser` is set, so the image's USER decides.",
    },
    fix: "unsafe",
    standards: {
      pss: "restricted",
      cis: ["5.2.7"],
      nsa: ["Non-root containers and rootless container engines"],
    },
    concepts: ["W-ROOT"],
    equivalents: {
      trivy: ["KSV-0012", "KSV-0105"],
      "kube-linter": ["run-as-non-root"],
      kubescape: ["C-0013"],
      checkov: ["CKV_K8S_23"],
      polaris: ["runAsRootAllowed"],
      "kube-score": ["container-security-context-user-group-id"],
      kics: ["cf34805e-3872-4c08-bf92-6ff7bb0cfadb"],
      kubeaudit: [
        "nonroot/RunAsUserCSCRoot",
        "nonroot/RunAsUserPSCRoot",
        "nonroot/RunAsNonRootCSCFalse",
        "nonroot/RunAsNonRootPSCNilCSCNil",
        "nonroot/RunAsNonRootPSCFalseCSCNil",
      ],
      terrascan: ["AC_K8S_0087"],
    },
    notes:
      "kubeward cannot see the image: a container whose image sets a non-root USER is reported as `missing` although it does not run as root; declare `runAsNonRoot: true` to make that a guarantee (the kubelet then refuses to start it as root). Pods with `hostUsers: false` are skipped: root in their user namespace is an unprivileged user on the node (the Pod Security Standards allow them too). Images that must start as root to bind low ports or drop privileges themselves (some nginx, database and init images) need an exception or a rebuild.",
  },
  create(context) {
    return {
      container(c) {
        if (usesUserNamespace(c.pod)) return;
        const user = effective(c, "runAsUser");
        if (user.value === 0 && user.from !== undefined) {
          const uid = context.fixDefaults.runAsUser;
          reportEffective(
            context,
            c,
            user.from,
            ["runAsUser"],
            "runAsUserZero",
            {},
            typeof uid === "number" && uid > 0
              ? setFix(
                  ["securityContext", "runAsUser"],
                  uid,
                  `Run container ${c.name} as user ${String(uid)} (fix.defaults.runAsUser).`,
                )
              : {
                  noFix:
                    "no non-root user ID is known for this image; set fix.defaults.runAsUser in .kubeward.yaml",
                },
          );
          return;
        }
        if (typeof user.value === "number") return;
        const nonRoot = effective(c, "runAsNonRoot");
        if (nonRoot.value === true) return;
        if (isWindowsPod(c.pod) && windowsNonAdmin(c)) return;
        if (nonRoot.value === false && nonRoot.from !== undefined) {
          reportEffective(
            context,
            c,
            nonRoot.from,
            ["runAsNonRoot"],
            "runAsNonRootFalse",
            {},
            nonRootFix(c.name),
          );
          return;
        }
        reportContainer(
          context,
          c,
          deepestExisting(c.container, ["securityContext", "runAsNonRoot"]),
          "missing",
          {},
          nonRootFix(c.name),
        );
      },
    };
  },
});

function nonRootFix(container: string): FixOffer {
  return setFix(
    ["securityContext", "runAsNonRoot"],
    true,
    `Set securityContext.runAsNonRoot: true on container ${container} (the kubelet then refuses to start it as root).`,
  );
}
