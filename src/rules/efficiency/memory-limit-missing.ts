import { defineRule } from "../../core/rule.js";
import { resourceRuleCreate } from "../lib/container-resources.js";

export default defineRule({
  meta: {
    id: "memory-limit-missing",
    title: "Memory limit not set",
    category: "efficiency",
    severity: "medium",
    description:
      "Without a memory limit a leaking container grows until the node runs short of memory, and the kernel or kubelet then kills or evicts other pods on that node too.",
    remediation:
      "Set `resources.limits.memory` on every container, or give the namespace a LimitRange with a default memory limit.",
    messages: {
      missing: "Container `{{container}}` has no memory limit.",
    },
    fix: "unsafe",
    standards: { nsa: ["Resource policies"] },
    concepts: ["R-MEM-LIM"],
    equivalents: {
      trivy: ["KSV-0018"],
      "kube-linter": ["unset-memory-requirements"],
      kubescape: ["C-0004", "C-0009", "C-0271"],
      checkov: ["CKV_K8S_13"],
      polaris: ["memoryLimitsMissing"],
      "kube-score": ["container-resources"],
      kics: ["b14d1bc4-a208-45db-92f0-e21f8e2588e9"],
      kubeaudit: ["limits/LimitsNotSet", "limits/LimitsMemoryNotSet"],
      terrascan: ["AC_K8S_0100"],
    },
    notes:
      "A LimitRange applied outside the scanned files supplies a default limit at admission (one in the scan set, in the same namespace, is taken into account), as does a pod-level `spec.resources.limits.memory`.",
  },
  create: resourceRuleCreate("limits", "memory", "missing"),
});
