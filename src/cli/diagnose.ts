// `kubeward diagnose [KIND/NAME]`: what is wrong with a cluster (a snapshot, or live), in plain
// English, from deterministic analyzers. I/O here and in src/inputs/cluster*.ts; the analysis is
// the pure src/diagnose/.
import { join, resolve } from "node:path";
import { InputError, UsageError } from "../core/errors.js";
import type { LlmOptions } from "../inputs/cluster-explain.js";
import { SEVERITIES, type KObject, type Severity } from "../core/types.js";
import { diagnose } from "../diagnose/diagnose.js";
import { DIAGNOSE_FORMATTERS, type DiagnoseFormatOptions } from "../diagnose/format.js";
import { kindOf } from "../diagnose/kinds.js";
import { inScope, parseLabelSelector, type Scope } from "../diagnose/scope.js";
import type { DiagnoseResult, ReadProblem } from "../diagnose/types.js";
import { liveOptionsOf, readSnapshots } from "./cluster-input.js";
import { pairOutputs, parseArgs, usage } from "./args.js";
import { EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import { writeAtomic } from "./scan.js";
import { VERSION } from "./version.js";

export const DIAGNOSE_HELP = `Usage: kubeward diagnose [KIND/NAME] [flags]

Finds what is wrong in a cluster and explains it in plain English: failing pods with their waiting
and termination reasons, workloads short of replicas, Services without endpoints, broken Ingress
and Gateway routes, webhooks that block the API, autoscalers without metrics, drains blocked by
PodDisruptionBudgets, custom resources whose Ready condition is False, and more. One root cause is
reported once, with its cause chain and every object it affects. With KIND/NAME (e.g.
deploy/web, ingress/shop), only findings that concern that object.

Input: the live cluster of the kubeconfig (default), or offline snapshots:
      --snapshot PATH      a 'kubectl get ... -o yaml|json' file, a directory of them, or a
                           'kubectl cluster-info dump --output-directory' directory (repeatable)
      --kubeconfig FILE    kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)
      --context NAME       kubeconfig context to use (default: the current context)

Scope:
  -n, --namespace NS       only this namespace (and cluster-scoped objects); live default: the
                           context's namespace
  -A, --all-namespaces     every namespace (live); snapshots always cover all they hold
  -l, --selector SEL       only objects with these labels (kubectl syntax: app=web,tier!=db)

Plain English from an LLM (off by default; names, namespaces, images, IPs and node names are
replaced by pseudonyms before anything is sent, Secrets are never sent):
      --explain            rewrite explanations and remediations in one batched LLM call
      --show-prompt        print exactly what --explain would send, and send nothing
      --llm-provider P     openai (any OpenAI-compatible /chat/completions: Ollama /v1, vLLM,
                           LiteLLM) or ollama (Ollama's native /api/chat); default openai
      --llm-url URL        base URL (default http://127.0.0.1:11434/v1, or :11434 for ollama)
      --llm-model NAME     model (default: $KUBEWARD_LLM_MODEL)
      --llm-api-key-env V  environment variable holding the API key (default KUBEWARD_LLM_API_KEY)
      --no-llm-cache       do not read or write the answer cache (~/.cache/kubeward/explain)

Output:
      --format FORMAT      stylish|json|markdown|sarif (repeatable; default stylish)
  -o, --output FILE        write the preceding --format to FILE instead of stdout
      --fail-on SEVERITY   exit 1 when a finding is at or above it: info|low|medium|high|critical (default low)
      --color / --no-color force or disable colours in stylish output
  -h, --help               show this help

Secret values are never read or printed: Secrets are kept as metadata only.
Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage or input error.

Examples:
  kubeward diagnose -A                                  # live, every namespace
  kubeward diagnose ingress/shop -n shop --context prod
  kubectl get all,ingress,pdb -A -o yaml > snap.yaml && kubeward diagnose --snapshot snap.yaml
  kubeward diagnose deploy/web -n shop --snapshot cluster-dump/
  kubeward diagnose --snapshot snap.yaml --format markdown -o diagnosis.md
  kubeward diagnose -A --explain --llm-model llama3.1 --show-prompt
`;

export async function diagnoseCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals, tokens } = usage(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        snapshot: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        "all-namespaces": { type: "boolean", short: "A" },
        namespace: { type: "string", short: "n" },
        selector: { type: "string", short: "l" },
        format: { type: "string", multiple: true },
        output: { type: "string", short: "o", multiple: true },
        "fail-on": { type: "string" },
        explain: { type: "boolean" },
        "show-prompt": { type: "boolean" },
        "llm-provider": { type: "string" },
        "llm-url": { type: "string" },
        "llm-model": { type: "string" },
        "llm-api-key-env": { type: "string" },
        "no-llm-cache": { type: "boolean" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  if (values.help === true) {
    io.stdout(DIAGNOSE_HELP);
    return EXIT_OK;
  }
  const outputs = pairOutputs(tokens, Object.keys(DIAGNOSE_FORMATTERS));
  const failOn = values["fail-on"] ?? "low";
  if (!(SEVERITIES as readonly string[]).includes(failOn))
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")}, not "${failOn}"`);
  if (positionals.length > 1) throw new UsageError("diagnose takes at most one KIND/NAME");
  const target = parseTarget(positionals[0], values.namespace);
  if (values.selector !== undefined) parseLabelSelector(values.selector);
  const scope: Scope = {
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.selector !== undefined ? { selector: values.selector } : {}),
  };

  const snapshots = values.snapshot ?? [];
  if (values["all-namespaces"] === true && values.namespace !== undefined)
    throw new UsageError("-n/--namespace and -A/--all-namespaces exclude each other");
  const objects: KObject[] = [];
  const unreadable: ReadProblem[] = [];
  let listedKinds: string[] = [];
  let namespace = values.namespace;
  if (snapshots.length > 0) {
    objects.push(...readSnapshots(snapshots, values, io));
  } else {
    const { readLiveCluster } = await import("../inputs/cluster-live.js");
    const live = await readLiveCluster({
      ...liveOptionsOf(values, io),
      ...(target !== undefined ? { target } : {}),
    });
    objects.push(...live.objects);
    unreadable.push(...live.unreadable);
    listedKinds = live.listedKinds;
    namespace = live.namespace;
  }
  if (namespace !== undefined) scope.namespace = namespace;
  const result = diagnose(
    { objects: inScope(objects, scope), unreadable, source: snapshots.length > 0 ? "snapshot" : "cluster" },
    {
      listedKinds,
      ...(target !== undefined ? { target } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
    },
  );
  let explanations: DiagnoseFormatOptions["explanations"];
  if (values.explain === true || values["show-prompt"] === true) {
    const provider = values["llm-provider"] ?? "openai";
    if (provider !== "openai" && provider !== "ollama")
      throw new UsageError(`--llm-provider must be openai or ollama, not "${provider}"`);
    const model = values["llm-model"] ?? io.env["KUBEWARD_LLM_MODEL"];
    if (model === undefined || model === "")
      throw new UsageError("--explain needs --llm-model NAME (or KUBEWARD_LLM_MODEL)");
    const { buildPrompt, maskerFor, parseAnswer } = await import("../diagnose/explain.js");
    const { askLlm, llmRequest } = await import("../inputs/cluster-explain.js");
    const apiKey = io.env[values["llm-api-key-env"] ?? "KUBEWARD_LLM_API_KEY"];
    const cacheRoot =
      io.env["XDG_CACHE_HOME"] ?? (io.env["HOME"] !== undefined ? join(io.env["HOME"], ".cache") : undefined);
    const llm: LlmOptions = {
      provider,
      url:
        values["llm-url"] ?? (provider === "ollama" ? "http://127.0.0.1:11434" : "http://127.0.0.1:11434/v1"),
      model,
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(values["no-llm-cache"] !== true && cacheRoot !== undefined
        ? { cacheDir: join(cacheRoot, "kubeward", "explain") }
        : {}),
    };
    const masker = maskerFor(objects, result.findings);
    const prompt = buildPrompt(result.findings, masker);
    if (values["show-prompt"] === true) {
      io.stdout(`${JSON.stringify(llmRequest(prompt, llm), null, 2)}\n`);
      return EXIT_OK;
    }
    if (result.findings.length > 0) {
      try {
        const answer = await askLlm(prompt, llm, JSON.stringify(result.findings));
        const parsed = parseAnswer(answer.text, result.findings.length, masker);
        for (const e of parsed.errors) io.stderr(`kubeward: --explain: ${e}; using the template texts\n`);
        explanations = parsed.explanations;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        io.stderr(`kubeward: --explain: ${err.message}; using the template texts\n`);
      }
    }
  }
  return report(result);

  function report(r: DiagnoseResult): number {
    const color =
      values["no-color"] === true
        ? false
        : values.color === true
          ? true
          : io.isTTY && io.env["NO_COLOR"] === undefined;
    for (const { format, file } of outputs) {
      const formatter = DIAGNOSE_FORMATTERS[format];
      if (formatter === undefined) continue;
      const options: DiagnoseFormatOptions = {
        color: file === undefined ? color : false,
        version: VERSION,
        ...(explanations !== undefined ? { explanations } : {}),
      };
      const text = formatter(r, options);
      if (file === undefined) io.stdout(text);
      else writeAtomic(resolve(io.cwd, file), text);
    }
    const threshold = SEVERITIES.indexOf(failOn as Severity);
    return r.findings.some((f) => SEVERITIES.indexOf(f.severity) >= threshold) ? EXIT_FINDINGS : EXIT_OK;
  }
}

function parseTarget(
  arg: string | undefined,
  namespace: string | undefined,
): { kind: string; name: string; namespace?: string } | undefined {
  if (arg === undefined) return undefined;
  const m = /^([A-Za-z][\w.-]*)\/([^/\s]+)$/.exec(arg);
  if (m === null) throw new UsageError(`expected KIND/NAME (e.g. deploy/web), not "${arg}"`);
  const kind = kindOf((m[1] ?? "").split(".")[0] ?? "");
  return { kind, name: m[2] ?? "", ...(namespace !== undefined ? { namespace } : {}) };
}
