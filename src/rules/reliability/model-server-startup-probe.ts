import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import { isLongRunning, isRecord } from "../../core/workloads.js";
import { modelServerVisitor, probeBudgetSeconds } from "../lib/accelerators.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "model-server-startup-probe",
    title: "Model server can be killed while it loads the model",
    category: "reliability",
    severity: "medium",
    description:
      'A model server (vLLM, Text Generation Inference, Triton, Ollama, SGLang, a KServe or KAITO serving container) downloads and loads gigabytes of weights into GPU memory before it answers: minutes, not seconds. Until a startup probe succeeds Kubernetes holds back the liveness probe; without one, or with one that gives up too soon, the liveness probe kills the container mid-load and it restarts in a loop (Kubernetes docs, "Protect slow starting containers with startup probes": https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes; vLLM\'s Kubernetes guide sets a long startup window: https://docs.vllm.ai/en/stable/deployment/k8s/).',
    remediation:
      "Give the model server a `startupProbe` on its health endpoint whose `failureThreshold × periodSeconds` (plus `initialDelaySeconds`) covers the slowest model load, e.g. `periodSeconds: 10` and `failureThreshold: 60` for ten minutes.",
    messages: {
      noStartupProbe:
        "Container `{{container}}` runs {{server}} with a liveness probe that gives up after {{budget}}s and no startup probe: a model load longer than that is killed and restarts in a loop.",
      tooShort:
        "Container `{{container}}` runs {{server}} with a startup probe that gives up after {{budget}}s, less than the {{min}}s a model load may take: the container is killed mid-load.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "Model servers are recognised by their official images (`vllm/vllm-openai`, `text-generation-inference`, `tritonserver`, `ollama/ollama`, `lmsysorg/sglang`), by the command that starts them (`vllm serve`, `python -m vllm.entrypoints…`, `text-generation-launcher`, `tritonserver`, `ollama serve`, `python -m sglang.launch_server`), and by kind for the custom containers of a KServe `InferenceService` predictor and of a KAITO `Workspace` inference template; other images are not checked. A container without a liveness probe is not flagged (nothing kills it while it loads). The window is the probe's `initialDelaySeconds + failureThreshold × periodSeconds`, with the API defaults; set the option `minStartupSeconds` to the load time of your largest model.",
  },
  options: {
    minStartupSeconds: option.integer(
      "The seconds a model load may take; a startup probe must allow at least this long.",
      300,
      1,
    ),
  },
  create(context) {
    const raw = context.options.minStartupSeconds;
    const min = typeof raw === "number" && raw > 0 ? raw : 300;
    return modelServerVisitor((c, server) => {
      if (!isLongRunning(c)) return;
      const startup: unknown = c.container.startupProbe;
      if (isRecord(startup)) {
        const budget = probeBudgetSeconds(startup);
        if (budget < min) reportContainer(context, c, ["startupProbe"], "tooShort", { server, budget, min });
        return;
      }
      const liveness: unknown = c.container.livenessProbe;
      if (!isRecord(liveness)) return;
      const budget = probeBudgetSeconds(liveness);
      if (budget < min) reportContainer(context, c, ["startupProbe"], "noStartupProbe", { server, budget });
    });
  },
});
