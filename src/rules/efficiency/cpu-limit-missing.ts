import { defineRule } from "../../core/rule.js";
import { resourceRuleCreate } from "../lib/container-resources.js";

export default defineRule({
  meta: {
    id: "cpu-limit-missing",
    title: "CPU limit not set",
    category: "efficiency",
    severity: "low",
    description:
      "Without a CPU limit a container can take every idle core of its node, so a busy or runaway process slows its neighbours, and the pod cannot reach the Guaranteed QoS class.",
    remediation:
      "Set `resources.limits.cpu` on every container, or give the namespace a LimitRange with a default CPU limit.",
    messages: {
      missing: "Container `{{container}}` has no CPU limit.",
    },
    fix: "unsafe",
    standards: { nsa: ["Resource policies"] },
    concepts: ["R-CPU-LIM"],
    equivalents: {
      trivy: ["KSV-0011"],
      "kube-linter": ["unset-cpu-requirements"],
      kubescape: ["C-0009", "C-0050", "C-0270"],
      checkov: ["CKV_K8S_11"],
      polaris: ["cpuLimitsMissing"],
      "kube-score": ["container-resources"],
      kics: ["4ac0e2b7-d2d2-4af7-8799-e8de6721ccda"],
      kubeaudit: ["limits/LimitsNotSet", "limits/LimitsCPUNotSet"],
      terrascan: ["AC_K8S_0098"],
    },
    notes:
      "Many teams leave CPU limits out on purpose: CFS throttling can hurt latency while requests alone already share CPU fairly under contention; turn this rule off if that is your policy. A LimitRange applied outside the scanned files also supplies a default (one in the scan set, in the same namespace, is taken into account), as does a pod-level `spec.resources.limits.cpu`.",
  },
  create: resourceRuleCreate("limits", "cpu", "missing"),
});
