import { defineRule } from "../../core/rule.js";
import { resourceRuleCreate } from "../lib/container-resources.js";

export default defineRule({
  meta: {
    id: "cpu-request-missing",
    title: "CPU request not set",
    category: "efficiency",
    severity: "medium",
    description:
      "The scheduler places pods by their requests: without a CPU request a container is scheduled as if it needed no CPU, overcommits its node and gets only a minimal share under contention.",
    remediation: "Set `resources.requests.cpu` on every container to its typical usage.",
    messages: {
      missing: "Container `{{container}}` has no CPU request.",
    },
    fix: "unsafe",
    standards: { nsa: ["Resource policies"] },
    concepts: ["R-CPU-REQ"],
    equivalents: {
      trivy: ["KSV-0015"],
      "kube-linter": ["unset-cpu-requirements"],
      kubescape: ["C-0050", "C-0268"],
      checkov: ["CKV_K8S_10"],
      polaris: ["cpuRequestsMissing"],
      "kube-score": ["container-resources"],
      kics: ["ca469dd4-c736-448f-8ac1-30a642705e0a"],
      terrascan: ["AC_K8S_0097"],
    },
    notes:
      "A request defaults to the limit when only the limit is set, so such containers are not reported. A LimitRange applied outside the scanned files also supplies a default request (one in the scan set, in the same namespace, is taken into account), as does a pod-level `spec.resources`.",
  },
  create: resourceRuleCreate("requests", "cpu", "missing"),
});
