import { defineRule } from "../../core/rule.js";
import { isRecord, type ContainerView } from "../../core/workloads.js";
import { reportEffective } from "../lib/effective-setting.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer, setFix, type FixOffer } from "../lib/report.js";
import { effective } from "../lib/security-context.js";

/** The pre-1.19 annotations, deprecated since and no longer honoured by current Kubernetes. */
const POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

function hasAnnotationFor(c: ContainerView): boolean {
  const annotations = c.pod.podMeta.annotations ?? {};
  return POD_ANNOTATION in annotations || CONTAINER_ANNOTATION_PREFIX + c.name in annotations;
}

export default defineRule({
  meta: {
    id: "seccomp-profile",
    title: "Seccomp profile not set or disabled",
    category: "security",
    severity: "medium",
    description:
      "Kubernetes runs containers Unconfined by default (unless the kubelet enables `seccompDefault`), leaving every system call available to an attacker, including those behind many kernel exploits and container escapes. The runtime's default profile blocks them at almost no cost.",
    remediation:
      "Set `securityContext.seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile) in the pod securityContext.",
    messages: {
      missing:
        "Container `{{container}}` has no seccomp profile, so it runs Unconfined unless the kubelet enables seccompDefault.",
      unconfined: "Container `{{container}}` runs with seccomp disabled: {{where}} sets `type: Unconfined`.",
      invalid:
        "Container `{{container}}` has an invalid seccomp profile in {{where}} ({{detail}}); the API server rejects it.",
      deprecatedAnnotation:
        "The annotation `{{annotation}}: {{value}}` is deprecated and ignored by current Kubernetes versions; set `securityContext.seccompProfile` instead.",
    },
    fix: "unsafe",
    standards: { pss: "restricted", cis: ["5.7.2"], nsa: ["Pod security enforcement"] },
    concepts: ["W-SECCOMP", "W-SECCOMP-UNCONF"],
    equivalents: {
      trivy: ["KSV-0030", "KSV-0104"],
      kubescape: ["C-0210"],
      checkov: ["CKV_K8S_31"],
      "kube-score": ["container-seccomp-profile"],
      kics: ["f377b83e-bd07-4f48-a591-60c82b14a78b"],
      kubeaudit: [
        "seccomp/SeccompProfileMissing",
        "seccomp/SeccompDisabledPod",
        "seccomp/SeccompDisabledContainer",
        "seccomp/SeccompDeprecatedAnnotations",
      ],
      terrascan: ["AC_K8S_0080"],
    },
    notes:
      "Clusters whose kubelets run with `seccompDefault: true` already apply RuntimeDefault to containers without a profile; there `missing` is only about making the manifest explicit and portable. Tools that need syscalls the default profile blocks (some debuggers, tracing agents, nested container builds) need a Localhost profile rather than Unconfined. Windows pods, which have no seccomp, are not checked.",
  },
  create(context) {
    return {
      podSpec(pod) {
        if (isWindowsPod(pod)) return;
        for (const [annotation, value] of Object.entries(pod.podMeta.annotations ?? {})) {
          if (annotation !== POD_ANNOTATION && !annotation.startsWith(CONTAINER_ANNOTATION_PREFIX)) continue;
          context.report({
            resource: pod.resource,
            path: [...pod.podMetaPath, "annotations", annotation],
            messageId: "deprecatedAnnotation",
            data: { annotation, value },
            noFix:
              "removing the annotation changes the profile on clusters that still read it; set seccompProfile, then remove it by hand",
          });
        }
      },
      container(c) {
        if (isWindowsPod(c.pod)) return;
        const { value: profile, from } = effective(c, "seccompProfile");
        if (from === undefined || !isRecord(profile)) {
          // A deprecated annotation is reported once on the pod; the fix is the same.
          if (hasAnnotationFor(c)) return;
          reportContainer(
            context,
            c,
            deepestExisting(c.container, ["securityContext", "seccompProfile"]),
            "missing",
            {},
            runtimeDefault(c.name),
          );
          return;
        }
        const type = profile.type;
        if (type === "RuntimeDefault") return;
        if (type === "Localhost") {
          const file = profile.localhostProfile;
          if (typeof file === "string" && file !== "") return;
          reportEffective(
            context,
            c,
            from,
            ["seccompProfile", "type"],
            "invalid",
            { detail: "type Localhost needs a `localhostProfile`" },
            { noFix: "the profile file on the node is unknown; name it in localhostProfile" },
          );
          return;
        }
        if (type === "Unconfined") {
          reportEffective(
            context,
            c,
            from,
            ["seccompProfile", "type"],
            "unconfined",
            {},
            runtimeDefault(c.name),
          );
          return;
        }
        if (typeof type !== "string") {
          reportEffective(
            context,
            c,
            from,
            ["seccompProfile"],
            "invalid",
            { detail: "no `type`" },
            runtimeDefault(c.name),
          );
          return;
        }
        reportEffective(
          context,
          c,
          from,
          ["seccompProfile", "type"],
          "invalid",
          {
            detail: `unknown type \`${type}\`; the values are case-sensitive: RuntimeDefault, Localhost or Unconfined`,
          },
          { noFix: "the intended profile is unclear; write RuntimeDefault, Localhost or Unconfined" },
        );
      },
    };
  },
});

/** The container's own seccompProfile becomes RuntimeDefault (it overrides the pod's). */
function runtimeDefault(container: string): FixOffer {
  return setFix(
    ["securityContext", "seccompProfile"],
    { type: "RuntimeDefault" },
    `Set securityContext.seccompProfile.type: RuntimeDefault on container ${container}.`,
  );
}
