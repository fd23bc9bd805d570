import { defineRule } from "../../core/rule.js";
import { deepestExisting } from "../lib/existing-path.js";
import { isWindowsPod } from "../lib/pod-platform.js";
import { reportContainer, setFix } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "read-only-root-filesystem",
    title: "Root filesystem is writable",
    category: "security",
    severity: "low",
    description:
      "A writable root filesystem lets an attacker who gets code execution drop tools, alter binaries or plant persistence inside the container. A read-only root confines writes to the volumes you mount on purpose.",
    remediation:
      "Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an `emptyDir` where it must write (for example /tmp).",
    messages: {
      missing: "Container `{{container}}` does not set `readOnlyRootFilesystem: true`.",
      setToFalse: "Container `{{container}}` sets `readOnlyRootFilesystem: false`.",
    },
    fix: "unsafe",
    standards: { nsa: ["Immutable container file systems"] },
    concepts: ["W-ROOTFS"],
    equivalents: {
      trivy: ["KSV-0014"],
      "kube-linter": ["no-read-only-root-fs"],
      kubescape: ["C-0017"],
      checkov: ["CKV_K8S_22"],
      polaris: ["notReadOnlyRootFilesystem"],
      "kube-score": ["container-security-context-readonlyrootfilesystem"],
      kics: ["a9c2f49d-0671-4fc9-9ece-f4e261e128d0"],
      kubeaudit: ["rootfs/ReadOnlyRootFilesystemNil", "rootfs/ReadOnlyRootFilesystemFalse"],
      terrascan: ["AC_K8S_0078"],
    },
    notes:
      "Many images write to their root filesystem (caches, PID files, /tmp); turning this on without mounting an `emptyDir` at those paths makes them crash, so test before enforcing. Ephemeral (debug) containers and Windows pods, which do not support the setting, are not checked.",
  },
  create(context) {
    return {
      container(c) {
        if (c.kind === "ephemeralContainer" || isWindowsPod(c.pod)) return;
        const value = c.container.securityContext?.readOnlyRootFilesystem;
        if (value === true) return;
        const fix = setFix(
          ["securityContext", "readOnlyRootFilesystem"],
          true,
          `Set securityContext.readOnlyRootFilesystem: true on container ${c.name}.`,
        );
        if (value === false) {
          reportContainer(context, c, ["securityContext", "readOnlyRootFilesystem"], "setToFalse", {}, fix);
          return;
        }
        reportContainer(
          context,
          c,
          deepestExisting(c.container, ["securityContext", "readOnlyRootFilesystem"]),
          "missing",
          {},
          fix,
        );
      },
    };
  },
});
