import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { modelServerVisitor } from "../lib/accelerators.js";
import { reportPod } from "../lib/report.js";

// Mount paths where model servers keep downloaded weights by default or by convention.
const CACHE_PATH =
  /(?:huggingface|\/\.cache(?:\/|$)|\/\.ollama(?:\/|$)|(?:^|\/)models?(?:\/|$)|model[-_]?(?:cache|store|repository|dir))/i;
// Environment variables and flags that point a server's download cache somewhere.
const CACHE_ENV = new Set([
  "HF_HOME",
  "HF_HUB_CACHE",
  "HUGGINGFACE_HUB_CACHE",
  "TRANSFORMERS_CACHE",
  "VLLM_CACHE_ROOT",
  "OLLAMA_MODELS",
]);
const CACHE_FLAGS = /^--(?:download-dir|huggingface-hub-cache|model-repository|model-store)(?:=(.+))?$/;

const within = (path: string, dir: string) => {
  const d = dir.replace(/\/+$/, "");
  return path === d || path.startsWith(d + "/");
};

export default defineRule({
  meta: {
    id: "model-cache-unbounded",
    title: "Model cache on node disk without a size limit",
    category: "reliability",
    severity: "medium",
    description:
      'Model weights are tens to hundreds of gigabytes. A model server that downloads them into an `emptyDir` without `sizeLimit`, in a container without an `ephemeral-storage` limit, fills the node\'s disk: the kubelet then evicts other pods under DiskPressure, and the download is lost whenever the pod moves (Kubernetes docs, "Local ephemeral storage": https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage; "Node-pressure eviction": https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/; vLLM and KServe keep the cache on a PersistentVolumeClaim: https://docs.vllm.ai/en/stable/deployment/k8s/).',
    remediation:
      "Keep the model cache on a PersistentVolumeClaim (or a read-only model volume), or give the `emptyDir` a `sizeLimit` that fits the model and the node's disk.",
    messages: {
      unbounded:
        "Container `{{container}}` ({{server}}) keeps its model cache at `{{mountPath}}` on `emptyDir` volume `{{volume}}` with no `sizeLimit` and no `ephemeral-storage` limit: a large model fills the node's disk.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "A mount is a model cache when its path is a usual one (`…/huggingface…`, `…/.cache`, `…/.ollama`, `/models`, `model-store`, `model-repository`) or when the container points `HF_HOME`, `HF_HUB_CACHE`, `TRANSFORMERS_CACHE`, `VLLM_CACHE_ROOT`, `OLLAMA_MODELS`, `--download-dir`, `--model-repository` or `--model-store` into it. Memory-backed `emptyDir` volumes are not flagged (they count against the container's memory limit). Only the model servers that `model-server-startup-probe` recognises are checked.",
  },
  create(context) {
    return modelServerVisitor((c, server) => {
      if (c.kind === "ephemeralContainer") return;
      const limits: unknown = c.container.resources?.limits;
      if (
        isRecord(limits) &&
        limits["ephemeral-storage"] !== undefined &&
        limits["ephemeral-storage"] !== null
      )
        return;
      const dirs: string[] = [];
      for (const e of Array.isArray(c.container.env) ? c.container.env : []) {
        if (isRecord(e) && CACHE_ENV.has(e.name) && typeof e.value === "string") dirs.push(e.value);
      }
      const words = [
        ...(Array.isArray(c.container.command) ? c.container.command : []),
        ...(Array.isArray(c.container.args) ? c.container.args : []),
      ]
        .filter((w): w is string => typeof w === "string")
        .flatMap((w) => w.split(/\s+/));
      words.forEach((w, i) => {
        const m = CACHE_FLAGS.exec(w);
        const dir = m === null ? undefined : (m[1] ?? words[i + 1]);
        if (dir !== undefined && dir.startsWith("/")) dirs.push(dir);
      });
      const volumes = Array.isArray(c.pod.spec.volumes) ? c.pod.spec.volumes : [];
      for (const mount of Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : []) {
        if (!isRecord(mount) || typeof mount.mountPath !== "string") continue;
        const mountPath = mount.mountPath;
        const isCache = CACHE_PATH.test(mountPath) || dirs.some((d) => within(d, mountPath));
        if (!isCache) continue;
        const index = volumes.findIndex((v) => isRecord(v) && v.name === mount.name);
        const emptyDir = index === -1 ? undefined : getIn(volumes[index], ["emptyDir"]);
        if (index === -1 || emptyDir === undefined) continue;
        if (
          isRecord(emptyDir) &&
          (emptyDir["medium"] === "Memory" ||
            (emptyDir["sizeLimit"] !== undefined && emptyDir["sizeLimit"] !== null))
        )
          continue;
        reportPod(context, c.pod, ["volumes", index, "emptyDir"], "unbounded", {
          container: c.name,
          server,
          mountPath,
          volume: mount.name,
        });
      }
    });
  },
});
