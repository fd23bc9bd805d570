// An instance of the `field` template: the pod spec field `hostNetwork` must not be `true` (the fix sets it to false).
import { fieldTemplate } from "../templates/field.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(fieldTemplate, {
  meta: {
    id: "host-network",
    title: "Pod uses the host network",
    category: "security",
    severity: "high",
    description:
      "With `hostNetwork: true` the pod uses the node's network stack: it can bind any node port, reach services listening on localhost (the kubelet, cloud metadata endpoints), sniff node traffic with the right capabilities, and escapes NetworkPolicies.",
    remediation: "Remove `hostNetwork: true` and expose the pod through a Service instead.",
    messages: {
      hostNetwork: "The pod uses the host's network namespace (`hostNetwork: true`).",
    },
    fix: "unsafe",
    standards: { pss: "baseline", cis: ["5.2.5"], nsa: ["Pod security enforcement"] },
    concepts: ["W-HOSTNET"],
    equivalents: {
      trivy: ["KSV-0009"],
      "kube-linter": ["host-network"],
      kubescape: ["C-0041"],
      checkov: ["CKV_K8S_19"],
      polaris: ["hostNetworkSet"],
      kics: ["6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a"],
      kubeaudit: ["hostns/NamespaceHostNetworkTrue"],
      terrascan: ["AC_K8S_0084"],
    },
    notes:
      "CNI plugins, kube-proxy, node exporters, ingress controllers run as DaemonSets and Windows HostProcess pods legitimately need the host network; exempt them by name or namespace.",
  },
  messageIds: { forbidden: "hostNetwork", required: "hostNetwork" },
  options: { target: "pod", path: "hostNetwork", condition: "equals", value: true, fixValue: false },
});
