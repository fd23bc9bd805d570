// An instance of the `field` template: the pod spec field `hostIPC` must not be `true` (the fix sets it to false).
import { fieldTemplate } from "../templates/field.js";
import { instanceOf } from "../templates/template.js";

export default instanceOf(fieldTemplate, {
  meta: {
    id: "host-ipc",
    title: "Pod shares the host IPC namespace",
    category: "security",
    severity: "high",
    description:
      "With `hostIPC: true` the pod's processes share System V IPC and POSIX shared memory with every process on the node, so they can read or tamper with other workloads' shared memory segments and message queues.",
    remediation: "Remove `hostIPC: true` from the pod spec.",
    messages: {
      hostIPC: "The pod shares the host's IPC namespace (`hostIPC: true`).",
    },
    fix: "unsafe",
    standards: { pss: "baseline", cis: ["5.2.4"], nsa: ["Pod security enforcement"] },
    concepts: ["W-HOSTIPC"],
    equivalents: {
      trivy: ["KSV-0008"],
      "kube-linter": ["host-ipc"],
      kubescape: ["C-0038", "C-0276"],
      checkov: ["CKV_K8S_18"],
      polaris: ["hostIPCSet"],
      kics: ["cd290efd-6c82-4e9d-a698-be12ae31d536"],
      kubeaudit: ["hostns/NamespaceHostIPCTrue"],
      terrascan: ["AC_K8S_0083"],
    },
    notes:
      "Rarely needed outside node-level agents that talk to host processes through shared memory (some monitoring or HPC/MPI setups); exempt those explicitly.",
  },
  messageIds: { forbidden: "hostIPC", required: "hostIPC" },
  options: { target: "pod", path: "hostIPC", condition: "equals", value: true, fixValue: false },
});
