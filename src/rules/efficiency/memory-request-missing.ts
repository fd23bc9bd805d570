import { defineRule } from "../../core/rule.js";
import { resourceRuleCreate } from "../lib/container-resources.js";

export default defineRule({
  meta: {
    id: "memory-request-missing",
    title: "Memory request not set",
    category: "efficiency",
    severity: "medium",
    description:
      "The scheduler places pods by their requests: without a memory request a container can land on a node that lacks the memory it needs, and it is among the first evicted under memory pressure.",
    remediation: "Set `resources.requests.memory` on every container to its typical usage.",
    messages: {
      missing: "Container `{{container}}` has no memory request.",
    },
    fix: "unsafe",
    standards: { nsa: ["Resource policies"] },
    concepts: ["R-MEM-REQ"],
    equivalents: {
      trivy: ["KSV-0016"],
      "kube-linter": ["unset-memory-requirements"],
      kubescape: ["C-0004", "C-0269"],
      checkov: ["CKV_K8S_12"],
      polaris: ["memoryRequestsMissing"],
      "kube-score": ["container-resources"],
      kics: ["229588ef-8fde-40c8-8756-f4f2b5825ded"],
      terrascan: ["AC_K8S_0099"],
    },
    notes:
      "A request defaults to the limit when only the limit is set, so such containers are not reported. A LimitRange applied outside the scanned files also supplies a default request (one in the scan set, in the same namespace, is taken into account), as does a pod-level `spec.resources`.",
  },
  create: resourceRuleCreate("requests", "memory", "missing"),
});
