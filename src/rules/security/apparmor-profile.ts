import type { AppArmorProfile } from "../../core/k8s.js";
import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { containersOf, isRecord, type ContainerView } from "../../core/workloads.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer, reportPod, setFix } from "../lib/report.js";

/** The pre-1.30 way to set a container's profile, still honoured (and kept in sync) by the API server. */
const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

type Verdict = "confined" | "unconfined" | "invalid" | "unset";

/** `securityContext.appArmorProfile` (Kubernetes >= 1.30). Values are case-sensitive. */
function fieldVerdict(p: AppArmorProfile | undefined): { verdict: Verdict; at: Path; value: string } {
  if (!isRecord(p)) return { verdict: "unset", at: [], value: "" };
  const type = typeof p.type === "string" ? p.type : undefined;
  if (type === undefined) return { verdict: "invalid", at: [], value: "`appArmorProfile` without a `type`" };
  if (type === "RuntimeDefault") return { verdict: "confined", at: ["type"], value: type };
  if (type === "Unconfined") return { verdict: "unconfined", at: ["type"], value: type };
  if (type === "Localhost") {
    const ok = typeof p.localhostProfile === "string" && p.localhostProfile.trim() !== "";
    return {
      verdict: ok ? "confined" : "invalid",
      at: ["type"],
      value: "`type: Localhost` without a `localhostProfile`",
    };
  }
  return { verdict: "invalid", at: ["type"], value: `\`type: ${type}\`` };
}

/** The annotation value: `runtime/default`, `localhost/<profile>` or `unconfined`; empty means unset. */
function annotationVerdict(value: string): Verdict {
  if (value === "") return "unset";
  if (value === "runtime/default") return "confined";
  if (value === "unconfined") return "unconfined";
  if (value.startsWith("localhost/") && value.length > "localhost/".length) return "confined";
  return "invalid";
}

export default defineRule({
  meta: {
    id: "apparmor-profile",
    title: "AppArmor profile missing, unconfined or invalid",
    category: "security",
    severity: "medium",
    description:
      "AppArmor limits which files, capabilities and mounts a container's processes may use; an unconfined container loses that layer, and one without an explicit profile depends on the node's runtime to apply its default.",
    remediation:
      "Set `securityContext.appArmorProfile.type: RuntimeDefault` (or `Localhost` with a profile) on the pod, and never `Unconfined`.",
    messages: {
      unconfined: "Container `{{container}}` runs without AppArmor confinement (`{{value}}`).",
      podUnconfined: "The pod disables AppArmor for its containers (`appArmorProfile.type: Unconfined`).",
      invalid:
        "Invalid AppArmor profile: {{value}}; use RuntimeDefault (`runtime/default`) or Localhost (`localhost/<profile>`).",
      unknownContainer: "The AppArmor annotation names container `{{name}}`, which this pod does not have.",
      missing: "Container `{{container}}` sets no AppArmor profile.",
      podMissing: "Neither the pod nor any of its containers sets an AppArmor profile.",
    },
    fix: "unsafe",
    standards: { pss: "baseline", nsa: ["Hardening container environments"] },
    concepts: ["W-APPARMOR"],
    equivalents: {
      trivy: ["KSV-0002"],
      kics: ["8b36775e-183d-4d46-b0f7-96a6f34a723f"],
      kubeaudit: [
        "apparmor/AppArmorAnnotationMissing",
        "apparmor/AppArmorDisabled",
        "apparmor/AppArmorBadValue",
        "apparmor/AppArmorInvalidAnnotation",
      ],
      terrascan: ["AC_K8S_0073"],
    },
    notes:
      "When no profile is set, containerd and CRI-O apply their default profile on nodes with AppArmor enabled, so the missing-profile findings ask to make that explicit rather than report an open door; clusters whose nodes use SELinux instead (RHEL, Bottlerocket) can disable this rule. Only `Unconfined` and invalid values break the Pod Security Standards baseline. Windows pods are skipped, and ephemeral containers are only checked for unconfined or invalid profiles. Field values are case-sensitive, as in the API server.",
  },
  create(context) {
    return {
      podSpec(pod) {
        if (isWindowsPod(pod)) return;
        const containers = containersOf(pod);
        const names = new Set(containers.map((c) => c.name));
        const annotations = pod.podMeta.annotations ?? {};
        const annotationPath = (key: string): Path => [...pod.podMetaPath, "annotations", key];

        for (const key of Object.keys(annotations)) {
          if (!key.startsWith(ANNOTATION_PREFIX)) continue;
          const name = key.slice(ANNOTATION_PREFIX.length);
          if (!names.has(name)) {
            context.report({
              resource: pod.resource,
              path: annotationPath(key),
              messageId: "unknownContainer",
              data: { name },
            });
          }
        }

        const podField = fieldVerdict(pod.spec.securityContext?.appArmorProfile);
        const podAt = ["securityContext", "appArmorProfile", ...podField.at];
        const podFix = setFix(
          ["securityContext", "appArmorProfile"],
          { type: "RuntimeDefault" },
          "Set securityContext.appArmorProfile.type: RuntimeDefault in the pod spec.",
        );
        if (podField.verdict === "unconfined") reportPod(context, pod, podAt, "podUnconfined", {}, podFix);
        if (podField.verdict === "invalid")
          reportPod(context, pod, podAt, "invalid", { value: podField.value }, { noFix: INVALID_NO_FIX });

        const unset: ContainerView[] = [];
        let anySet = podField.verdict !== "unset";
        for (const c of containers) {
          const own = fieldVerdict(c.container.securityContext?.appArmorProfile);
          const ownAt = ["securityContext", "appArmorProfile", ...own.at];
          const key = ANNOTATION_PREFIX + c.name;
          const raw = annotations[key];
          const annotation = typeof raw === "string" ? annotationVerdict(raw.trim()) : "unset";

          if (own.verdict === "unconfined") {
            reportContainer(
              context,
              c,
              ownAt,
              "unconfined",
              { value: "appArmorProfile.type: Unconfined" },
              containerFix(c.name),
            );
          } else if (own.verdict === "invalid") {
            reportContainer(context, c, ownAt, "invalid", { value: own.value }, { noFix: INVALID_NO_FIX });
          }
          if (annotation === "unconfined" || annotation === "invalid") {
            context.report({
              resource: pod.resource,
              path: annotationPath(key),
              messageId: annotation,
              data: {
                container: c.name,
                value:
                  annotation === "unconfined" ? `${key}: unconfined` : `annotation value \`${raw ?? ""}\``,
              },
              container: c.name,
              noFix: "the annotation is read by older clusters; set appArmorProfile and remove it by hand",
            });
          }
          if (own.verdict !== "unset" || annotation !== "unset") anySet = true;
          else if (c.kind !== "ephemeralContainer") unset.push(c);
        }

        if (!anySet) {
          reportPod(context, pod, [], "podMissing", {}, podFix);
        } else if (podField.verdict === "unset") {
          for (const c of unset) reportContainer(context, c, [], "missing", {}, containerFix(c.name));
        }
      },
    };
  },
});

const INVALID_NO_FIX =
  "the intended profile is unclear; write RuntimeDefault, Localhost (with localhostProfile) or Unconfined";

function containerFix(container: string) {
  return setFix(
    ["securityContext", "appArmorProfile"],
    { type: "RuntimeDefault" },
    `Set securityContext.appArmorProfile.type: RuntimeDefault on container ${container}.`,
  );
}
