import { defineRule } from "../../core/rule.js";
import { isLongRunning, isRecord } from "../../core/workloads.js";
import { isLongRunningWorkload } from "../lib/long-running.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "readiness-probe-missing",
    title: "Readiness probe not set",
    category: "reliability",
    severity: "medium",
    description:
      "Without a readiness probe a container counts as ready as soon as it starts, so Services send it traffic before it can serve and rolling updates retire old pods before the new ones work.",
    remediation: "Add a `readinessProbe` that succeeds only when the container can serve requests.",
    messages: {
      missing: "Container `{{container}}` has no readiness probe.",
    },
    fix: "none",
    // X-PROBE-SVC (pods behind a Service without readiness) is the subset of these findings
    // whose pods a Service selects: every such container is reported here.
    concepts: ["P-READY", "X-PROBE-SVC"],
    equivalents: {
      "kube-linter": ["no-readiness-probe"],
      kubescape: ["C-0018"],
      checkov: ["CKV_K8S_9"],
      polaris: ["readinessProbeMissing"],
      "kube-score": ["pod-probes"],
      kics: ["a659f3b5-9bf0-438a-bd9a-7d3a6427f1e3"],
      terrascan: ["AC_K8S_0072"],
    },
    notes:
      "Containers that receive no traffic from a Service (queue workers, node agents in a DaemonSet) gain little from a readiness probe, though Deployments still use readiness to pace rollouts. Jobs, CronJobs, run-to-completion Pods and ordinary init containers are not checked; sidecar init containers (`restartPolicy: Always`) are.",
  },
  create(context) {
    return {
      container(c) {
        // Ephemeral containers cannot have probes; ordinary init containers run to completion.
        if (!isLongRunning(c) || !isLongRunningWorkload(c.pod)) return;
        if (!isRecord(c.container.readinessProbe)) {
          reportContainer(context, c, [], "missing", {}, undefined, ["readinessProbe"]);
        }
      },
    };
  },
});
