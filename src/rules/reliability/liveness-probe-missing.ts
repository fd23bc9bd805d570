import { defineRule } from "../../core/rule.js";
import { isLongRunning, isRecord } from "../../core/workloads.js";
import { isLongRunningWorkload } from "../lib/long-running.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "liveness-probe-missing",
    title: "Liveness probe not set",
    category: "reliability",
    severity: "low",
    description:
      "Without a liveness probe the kubelet restarts a container only when its process exits, so a deadlocked or wedged process keeps its pod alive but useless until someone notices.",
    remediation: "Add a `livenessProbe` that fails only when the process is stuck and a restart would help.",
    messages: {
      missing: "Container `{{container}}` has no liveness probe.",
    },
    fix: "none",
    concepts: ["P-LIVE"],
    equivalents: {
      "kube-linter": ["no-liveness-probe"],
      kubescape: ["C-0056"],
      checkov: ["CKV_K8S_8"],
      polaris: ["livenessProbeMissing"],
      kics: ["ade74944-a674-4e00-859e-c6eab5bde441"],
      terrascan: ["AC_K8S_0070"],
    },
    notes:
      "A liveness probe that checks dependencies (a database, another service) restarts healthy containers during outages and makes them worse; no probe is better than such a probe. Processes that exit on fatal errors gain little from one. Jobs, CronJobs, run-to-completion Pods and ordinary init containers are not checked; sidecar init containers (`restartPolicy: Always`) are.",
  },
  create(context) {
    return {
      container(c) {
        // Ephemeral containers cannot have probes; ordinary init containers run to completion.
        if (!isLongRunning(c) || !isLongRunningWorkload(c.pod)) return;
        if (!isRecord(c.container.livenessProbe)) {
          reportContainer(context, c, [], "missing", {}, undefined, ["livenessProbe"]);
        }
      },
    };
  },
});
