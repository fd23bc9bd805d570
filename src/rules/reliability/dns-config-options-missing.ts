import { defineRule } from "../../core/rule.js";
import { getIn } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "dns-config-options-missing",
    title: "Pod sets no dnsConfig options",
    category: "reliability",
    severity: "info",
    description:
      "With the default `ndots: 5`, every lookup of an external name with fewer than five dots is first tried against each cluster search domain, multiplying DNS queries and latency for workloads that call external services; `dnsConfig.options` (for example `ndots: 2`) tunes that.",
    remediation: 'Set `dnsConfig.options` on the pod spec (for example `- name: ndots\\n  value: "2"`).',
    messages: {
      unset: "The pod sets no `dnsConfig.options`.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["A-DNS"],
    equivalents: { "kube-linter": ["dnsconfig-options"] },
    notes:
      "Off by default: workloads that mostly resolve in-cluster names gain nothing, and a lower `ndots` breaks short names that rely on the search path.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const options = getIn(pod.spec, ["dnsConfig", "options"]);
        if (Array.isArray(options) && options.length > 0) return;
        reportPod(context, pod, ["dnsConfig", "options"], "unset");
      },
    };
  },
});
