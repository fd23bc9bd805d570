import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { acceleratorCount, modelServerVisitor, NCCL_SERVERS, parallelDegree } from "../lib/accelerators.js";
import { reportContainer, reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "model-server-shm",
    title: "Multi-GPU model server without a memory-backed /dev/shm",
    category: "reliability",
    severity: "medium",
    description:
      'A model split over several GPUs (tensor parallelism in vLLM, TGI sharding, SGLang, Triton) moves data between the GPU worker processes with NCCL, which uses shared memory in /dev/shm. A container\'s /dev/shm is 64 MiB by default, so multi-GPU serving crashes or hangs with NCCL errors unless an `emptyDir` with `medium: Memory` is mounted there (vLLM, "Using Kubernetes", shared memory: https://docs.vllm.ai/en/stable/deployment/k8s/; TGI and Triton ask for `--shm-size` under Docker for the same reason; Kubernetes docs, emptyDir: https://kubernetes.io/docs/concepts/storage/volumes/#emptydir).',
    remediation:
      "Mount an `emptyDir` volume with `medium: Memory` (and a `sizeLimit`, which counts against the container's memory) at `/dev/shm` in the model server container.",
    messages: {
      noShm:
        "Container `{{container}}` serves with {{server}} on {{gpus}} GPUs but mounts nothing at /dev/shm: NCCL gets the default 64 MiB and fails.",
      notMemory:
        "Container `{{container}}` mounts volume `{{volume}}` at /dev/shm, which is not an `emptyDir` with `medium: Memory`: NCCL needs shared memory there.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "Runs on the model servers that rule `model-server-startup-probe` recognises, except Ollama (which does not use NCCL), when the container gets more than one accelerator or its command sets a tensor-parallel degree above one (`--tensor-parallel-size`, `-tp`, `--tp`, `--num-shard`). Pods with `hostIPC: true` share the node's /dev/shm and are not flagged (that has its own finding, `host-ipc`). Pipeline parallelism across nodes (Ray, LeaderWorkerSet) also wants shared memory on each node; it is recognised only through the GPU count of each container.",
  },
  create(context) {
    return modelServerVisitor((c, server) => {
      if (!NCCL_SERVERS.has(server) || c.kind !== "container") return;
      const gpus = Math.max(acceleratorCount(c.container), parallelDegree(c.container));
      if (gpus <= 1 || c.pod.spec.hostIPC === true) return;
      const mounts = Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : [];
      const shm = mounts.find(
        (m) =>
          isRecord(m) && typeof m.mountPath === "string" && m.mountPath.replace(/\/+$/, "") === "/dev/shm",
      );
      if (shm === undefined) {
        reportContainer(context, c, ["volumeMounts"], "noShm", { server, gpus });
        return;
      }
      const volumes = Array.isArray(c.pod.spec.volumes) ? c.pod.spec.volumes : [];
      const index = volumes.findIndex((v) => isRecord(v) && v.name === shm.name);
      if (index === -1) return; // a dangling mount is the API server's to reject
      if (getIn(volumes[index], ["emptyDir", "medium"]) === "Memory") return;
      reportPod(context, c.pod, ["volumes", index], "notMemory", {
        container: c.name,
        volume: shm.name,
      });
    });
  },
});
