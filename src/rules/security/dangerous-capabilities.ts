// An instance of the `forbidden-capabilities` template with its list open to users.
import { forbiddenCapabilitiesTemplate } from "../templates/forbidden-capabilities.js";
import { instanceOf } from "../templates/template.js";

/** Capabilities that reach past the container to the node's kernel, devices, processes or LSMs. */
export const DANGEROUS_CAPABILITIES: readonly string[] = [
  "SYS_ADMIN",
  "SYS_MODULE",
  "SYS_PTRACE",
  "SYS_RAWIO",
  "SYS_BOOT",
  "NET_ADMIN",
  "BPF",
  "PERFMON",
  "DAC_READ_SEARCH",
  "MAC_ADMIN",
  "MAC_OVERRIDE",
];

export default instanceOf(forbiddenCapabilitiesTemplate, {
  meta: {
    id: "dangerous-capabilities",
    title: "Dangerous capability added",
    category: "security",
    severity: "high",
    description:
      "Some capabilities are nearly root on the node: SYS_ADMIN (mounts, namespaces), SYS_MODULE (kernel modules), SYS_PTRACE (inject into processes), SYS_RAWIO and SYS_BOOT (devices, kexec), DAC_READ_SEARCH (the 'Shocker' escape), BPF and PERFMON (kernel memory), MAC_ADMIN/MAC_OVERRIDE (disable AppArmor/SELinux) and NET_ADMIN (rewrite the network). Each is a known container-escape or lateral-movement path.",
    remediation:
      "Remove the capability from `securityContext.capabilities.add`; if the workload truly needs it, isolate it on dedicated nodes and exempt it with a reason.",
    messages: {
      dangerous: "Container `{{container}}` adds the dangerous capability `{{capability}}`.",
      all: "Container `{{container}}` adds `{{capability}}` capabilities, nearly the power of a privileged container.",
    },
    fix: "unsafe",
    standards: { pss: "baseline", nsa: ["Pod security enforcement"], mitre: ["T1611"] },
    concepts: ["W-CAP-DANGER"],
    equivalents: {
      trivy: ["KSV-0005", "KSV-0120"],
      kubescape: ["C-0046"],
      checkov: ["CKV_K8S_39"],
      polaris: ["dangerousCapabilities"],
      kics: ["235236ee-ad78-4065-bd29-61b061f28ce0"],
      terrascan: ["AC_K8S_0075"],
    },
    notes:
      "Names are matched the way runtimes read them: case-insensitive, with or without `CAP_`. NET_ADMIN is legitimately needed by service-mesh init containers (istio-init, linkerd-init), CNI and VPN pods; SYS_PTRACE by debuggers and profilers. Exempt those by container name. The list is the `capabilities` option. Added capabilities are also reported by added-capabilities.",
  },
  messageIds: { forbidden: "dangerous", all: "all" },
  configurable: { defaults: { capabilities: DANGEROUS_CAPABILITIES } },
});
