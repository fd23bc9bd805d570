import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportContainer, reportPod } from "../lib/report.js";

const hostProcess = (sc: unknown): boolean =>
  isRecord(sc) && isRecord(sc["windowsOptions"]) && sc["windowsOptions"]["hostProcess"] === true;

export default defineRule({
  meta: {
    id: "windows-host-process",
    title: "Windows HostProcess container",
    category: "security",
    severity: "high",
    description:
      "A Windows HostProcess container runs directly on the node as a host process, with the node's network and file system and, as SYSTEM, full control of the node: the Windows counterpart of a privileged container.",
    remediation: "Remove `securityContext.windowsOptions.hostProcess: true` from the pod and its containers.",
    messages: {
      pod: "The pod runs its containers as Windows host processes (`windowsOptions.hostProcess: true`).",
      container:
        "Container `{{container}}` runs as a Windows host process (`windowsOptions.hostProcess: true`).",
    },
    fix: "none",
    standards: { pss: "baseline", nsa: ["Pod security enforcement"], mitre: ["T1611"] },
    concepts: ["W-WINHOST"],
    equivalents: { trivy: ["KSV-0103"], polaris: ["hostProcess"] },
    notes:
      "Node agents for Windows (CNI, CSI node plugins, log shippers, monitoring exporters) need it; exempt them explicitly. Linux pods ignore the field, but the API server still rejects it under the baseline Pod Security Standard, so it is reported on every pod.",
  },
  create(context) {
    return {
      podSpec(pod) {
        if (hostProcess(pod.spec.securityContext))
          reportPod(context, pod, ["securityContext", "windowsOptions", "hostProcess"], "pod");
      },
      container(c) {
        if (hostProcess(c.container.securityContext))
          reportContainer(context, c, ["securityContext", "windowsOptions", "hostProcess"], "container");
      },
    };
  },
});
