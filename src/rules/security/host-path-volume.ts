import { defineRule } from "../../core/rule.js";
import { hostPathVolumes } from "../lib/host-path.js";

export default defineRule({
  meta: {
    id: "host-path-volume",
    title: "hostPath volume",
    category: "security",
    severity: "medium",
    description:
      "A hostPath volume exposes part of the node's filesystem to the pod: it is a common step in container escapes, and it ties the pod's data to whichever node it lands on.",
    remediation:
      "Replace the hostPath volume with a PersistentVolumeClaim, ConfigMap, Secret, emptyDir or CSI volume.",
    messages: {
      hostPath: "Volume `{{volume}}` mounts the host path `{{path}}` into the pod.",
    },
    fix: "none",
    standards: { pss: "baseline", cis: ["5.2.12"], mitre: ["T1611"] },
    concepts: ["W-HOSTPATH"],
    equivalents: {
      trivy: ["KSV-0023"],
      kubescape: ["C-0048"],
      polaris: ["hostPathSet"],
      kics: ["aa8f7a35-9923-4cad-bd61-a19b7f6aac91"],
      terrascan: ["AC_K8S_0076"],
    },
    notes:
      "Node agents (log collectors, monitoring exporters, CNI and CSI node plugins) legitimately need host paths: suppress the finding on those DaemonSets with a reason. Dangerous host paths are also reported by `sensitive-host-path`, and writable ones by `writable-host-path`.",
  },
  create(context) {
    return {
      podSpec(pod) {
        for (const v of hostPathVolumes(pod)) {
          context.report({
            resource: pod.resource,
            path: v.at,
            messageId: "hostPath",
            data: { volume: v.name, path: v.path },
          });
        }
      },
    };
  },
});
