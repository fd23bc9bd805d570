import { defineRule } from "../../core/rule.js";
import { hostPathVolumes, mountsOf } from "../lib/host-path.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "writable-host-path",
    title: "hostPath mounted writable",
    category: "security",
    severity: "medium",
    description:
      "A container that can write to a host directory can plant files the node or other pods later trust (binaries, cron jobs, kubelet manifests) or fill the node's disk.",
    remediation: "Set `readOnly: true` on every volumeMount of a hostPath volume.",
    messages: {
      writable: "Container `{{container}}` mounts host path `{{path}}` (volume `{{volume}}`) writable.",
    },
    fix: "unsafe",
    standards: { mitre: ["T1611"] },
    concepts: ["W-HOSTPATH-RW"],
    equivalents: {
      "kube-linter": ["writable-host-mount"],
      kubescape: ["C-0045"],
      kics: ["b7652612-de4e-4466-a0bf-1cd81f0c6063"],
    },
    notes:
      "Some node agents must write to the host (log shippers keeping their read position, CSI node plugins, CNI installers): suppress the finding on them with a reason. A hostPath volume that no container mounts is not reported here (see `host-path-volume`).",
  },
  create(context) {
    return {
      container(c) {
        const mounts = c.container.volumeMounts ?? [];
        if (mounts.length === 0) return;
        for (const v of hostPathVolumes(c.pod)) {
          for (const m of mountsOf(c, v.name)) {
            if (m.readOnly) continue;
            const at = mounts[m.index]?.readOnly === false ? ["readOnly"] : [];
            reportContainer(
              context,
              c,
              ["volumeMounts", m.index, ...at],
              "writable",
              { path: v.path, volume: v.name },
              setFix(
                ["volumeMounts", m.index, "readOnly"],
                true,
                `Mount host path ${v.path} read-only in container ${c.name}.`,
              ),
            );
          }
        }
      },
    };
  },
});
