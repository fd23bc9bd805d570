// An instance of the `field` template: the pod spec field `hostPID` must not be `true` (the fix sets it to false).
import { fieldTemplate } from "../templates/field.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(fieldTemplate, {
  meta: {
    id: "host-pid",
    title: "Pod shares the host PID namespace",
    category: "security",
    severity: "high",
    description:
      "With `hostPID: true` the pod sees every process on the node, can read their environment and command lines (often holding secrets), signal them, and, as root or with ptrace, enter their namespaces with `nsenter` to escape to the node.",
    remediation: "Remove `hostPID: true` from the pod spec.",
    messages: {
      hostPID: "The pod shares the host's process ID namespace (`hostPID: true`).",
    },
    fix: "unsafe",
    standards: { pss: "baseline", cis: ["5.2.3"], nsa: ["Pod security enforcement"], mitre: ["T1611"] },
    concepts: ["W-HOSTPID"],
    equivalents: {
      trivy: ["KSV-0010"],
      "kube-linter": ["host-pid"],
      kubescape: ["C-0038", "C-0275"],
      checkov: ["CKV_K8S_17"],
      polaris: ["hostPIDSet"],
      kics: ["302736f4-b16c-41b8-befe-c0baffa0bd9d"],
      kubeaudit: ["hostns/NamespaceHostPIDTrue"],
      terrascan: ["AC_K8S_0082"],
    },
    notes:
      "Node-level monitoring and debugging agents (process exporters, profilers, runtime security sensors) need it; exempt them explicitly. To share processes between the pod's own containers, use `shareProcessNamespace: true` instead.",
  },
  messageIds: { forbidden: "hostPID", required: "hostPID" },
  options: { target: "pod", path: "hostPID", condition: "equals", value: true, fixValue: false },
});
