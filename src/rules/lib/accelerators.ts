// GPUs and other accelerators exposed by device plugins, and the model-serving containers that
// use them. Detection is deliberately narrow: a rule about model loading must not fire on a web
// server that happens to have "model" in its name.
import type { Container, Probe } from "../../core/k8s.js";
import type { Resource } from "../../core/types.js";
import { containersOf, getIn, isRecord, type ContainerView, type PodSpecView } from "../../core/workloads.js";
import { containerImageRef, imageName } from "./image.js";
import { parseQuantity } from "./quantity.js";

/**
 * Extended resources of accelerator device plugins: NVIDIA (whole GPUs and MIG slices), AMD,
 * Intel (`gpu.intel.com/i915`, `gpu.intel.com/xe`), Habana Gaudi, AWS Neuron, Google TPU.
 */
const ACCELERATOR =
  /^(?:nvidia\.com\/(?:gpu(?:\.shared)?|mig-[\w.-]+)|amd\.com\/gpu|gpu\.intel\.com\/[\w.-]+|habana\.ai\/gaudi|aws\.amazon\.com\/neuron(?:core|device)?|google\.com\/tpu)$/;

export function isAcceleratorResource(name: string): boolean {
  return ACCELERATOR.test(name);
}

/** Accelerator resource names a container names in its limits or requests. */
export function acceleratorNames(container: Container): string[] {
  const names = new Set<string>();
  for (const field of ["limits", "requests"] as const) {
    const map = container.resources?.[field];
    if (!isRecord(map)) continue;
    for (const key of Object.keys(map)) if (isAcceleratorResource(key)) names.add(key);
  }
  return [...names];
}

/** Accelerators the container gets: its limit (which the request must equal), or its request. */
export function acceleratorCount(container: Container): number {
  let total = 0;
  for (const name of acceleratorNames(container)) {
    const n = parseQuantity(container.resources?.limits?.[name] ?? container.resources?.requests?.[name]);
    if (n !== undefined && n > 0) total += n;
  }
  return total;
}

/** The model servers the rules know, by what their image or command shows. */
export type ModelServer = "vLLM" | "TGI" | "Triton" | "Ollama" | "SGLang" | "KServe" | "KAITO";

/** Servers that split a model over several GPUs with NCCL, which exchanges data through /dev/shm. */
export const NCCL_SERVERS: ReadonlySet<ModelServer> = new Set(["vLLM", "TGI", "Triton", "SGLang"]);

// Image names (last path component, or the whole repository) of the official server images.
const IMAGE_SERVERS: readonly [RegExp, ModelServer][] = [
  [/^vllm(?:-openai|-tpu|-rocm|-cpu)?$/, "vLLM"],
  [/(?:^|\/)vllm\//, "vLLM"],
  [/^text-generation-inference$/, "TGI"],
  [/^tritonserver$/, "Triton"],
  [/^ollama$/, "Ollama"],
  [/^sglang$/, "SGLang"],
];

// The first words of a command line that start a server.
const COMMAND_SERVERS: readonly [RegExp, ModelServer][] = [
  [/(?:^|[\s/])vllm\s+serve(?:\s|$)/, "vLLM"],
  [/(?:^|\s)-m\s+vllm\.entrypoints\./, "vLLM"],
  [/(?:^|[\s/])text-generation-launcher(?:\s|$)/, "TGI"],
  [/(?:^|[\s/])tritonserver(?:\s|$)/, "Triton"],
  [/(?:^|[\s/])ollama\s+serve(?:\s|$)/, "Ollama"],
  [/(?:^|\s)-m\s+sglang\.launch_server(?:\s|$)/, "SGLang"],
];

/** The model server a container runs, when its image or command says so unambiguously. */
export function modelServerOf(c: ContainerView): ModelServer | undefined {
  if (c.kind === "ephemeralContainer") return undefined;
  const shown = serverShownBy(c.container);
  if (shown !== undefined) return shown;
  // Custom containers of the serving resources serve a model whatever their image.
  if (servingPodSpecOf(c.resource) === undefined) return undefined;
  return c.resource.ref.kind === "InferenceService" ? "KServe" : "KAITO";
}

function serverShownBy(container: Container): ModelServer | undefined {
  const command = stringList(container.command);
  const args = stringList(container.args);
  const words = [...command, ...args].join(" ");
  for (const [re, server] of COMMAND_SERVERS) if (re.test(words)) return server;
  // A server image counts when it runs its own entrypoint: a `command` that starts no server
  // (`vllm bench`, a download script) or Ollama told to do something else is not serving.
  if (command.length > 0) return undefined;
  const image = containerImageRef(container);
  if (image === undefined) return undefined;
  const name = imageName(image);
  for (const [re, server] of IMAGE_SERVERS) {
    if (!re.test(name) && !re.test(image.repository)) continue;
    if (server === "Ollama" && args.length > 0 && args[0] !== "serve") return undefined;
    return server;
  }
  return undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** `--tensor-parallel-size N` / `-tp N` / `--num-shard N` / `--tp N` in the container's command line. */
export function parallelDegree(container: Container): number {
  const words = [...stringList(container.command), ...stringList(container.args)].flatMap((w) =>
    w.split(/\s+/),
  );
  let best = 1;
  words.forEach((w, i) => {
    const m = /^(?:--tensor-parallel-size|-tp|--tp-size|--tp|--num-shard)(?:=(\d+))?$/.exec(w);
    if (m === null) return;
    const n = Number(m[1] ?? words[i + 1]);
    if (Number.isInteger(n) && n > best) best = n;
  });
  return best;
}

/**
 * Pod specs of the AI serving custom resources, shaped like those of workloads so that the
 * container walkers apply: a KServe InferenceService predictor (its custom `containers`, which
 * sit inline beside `volumes`), and a KAITO Workspace's `inference.template`.
 */
export function servingPodSpecOf(resource: Resource): PodSpecView | undefined {
  const { kind, apiVersion } = resource.ref;
  let path: (string | number)[];
  if (kind === "InferenceService" && apiVersion.startsWith("serving.kserve.io/")) {
    path = ["spec", "predictor"];
  } else if (kind === "Workspace" && apiVersion.startsWith("kaito.sh/")) {
    path = ["inference", "template", "spec"];
  } else return undefined;
  const spec = getIn(resource.object, path);
  if (!isRecord(spec) || !Array.isArray(spec["containers"])) return undefined;
  const metaPath = kind === "Workspace" ? ["inference", "template", "metadata"] : ["metadata"];
  const meta = getIn(resource.object, metaPath);
  return {
    resource,
    path,
    spec: spec as unknown as PodSpecView["spec"],
    podMeta: isRecord(meta) ? meta : {},
    podMetaPath: metaPath,
  };
}

export const SERVING_KINDS: readonly string[] = ["InferenceService", "Workspace"];

/**
 * Seconds a probe lets a container fail before it acts: the initial delay plus failureThreshold
 * periods (defaults 0, 3 and 10, as the API server fills them in).
 */
export function probeBudgetSeconds(probe: Probe | Record<string, unknown>): number {
  const p = probe as Probe & { failureThreshold?: unknown };
  const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d);
  return num(p.initialDelaySeconds, 0) + num(p.failureThreshold, 3) * num(p.periodSeconds, 10);
}

/**
 * Visit every container that runs a model server: those of workloads (through the engine's
 * container walk) and those of the serving custom resources (InferenceService, KAITO Workspace).
 */
export function modelServerVisitor(visit: (c: ContainerView, server: ModelServer) => void): {
  container: (c: ContainerView) => void;
  resource: (r: Resource) => void;
} {
  const each = (c: ContainerView) => {
    const server = modelServerOf(c);
    if (server !== undefined) visit(c, server);
  };
  return {
    container: each,
    resource(r) {
      const pod = servingPodSpecOf(r);
      if (pod !== undefined) for (const c of containersOf(pod)) each(c);
    },
  };
}
