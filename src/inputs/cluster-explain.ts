// The LLM call of `diagnose --explain`: one request for all findings to an OpenAI-compatible
// endpoint (/chat/completions; Ollama's /v1, vLLM, LiteLLM) or Ollama's native /api/chat, with
// temperature 0, a fixed seed and a JSON schema for the answer. Answers are cached under a key of
// model, prompt version and the hash of the unmasked input; the cache holds only the (masked)
// answer. The API key is read from the environment and never written anywhere.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { isRecord } from "../core/workloads.js";
import { PROMPT_VERSION, type Prompt } from "../diagnose/explain.js";

export interface LlmOptions {
  provider: "openai" | "ollama";
  /** Base URL: e.g. http://127.0.0.1:11434/v1 (OpenAI-compatible) or http://127.0.0.1:11434 (Ollama). */
  url: string;
  model: string;
  apiKey?: string;
  seed?: number;
  timeoutMs?: number;
  /** Directory for cached answers; undefined: no cache. */
  cacheDir?: string;
}

export const DEFAULT_SEED = 42;

/** The exact HTTP request that would be sent (printed by --show-prompt). */
export function llmRequest(prompt: Prompt, o: LlmOptions): { url: string; body: Record<string, unknown> } {
  const messages = [
    { role: "system", content: prompt.system },
    { role: "user", content: prompt.user },
  ];
  const base = o.url.replace(/\/+$/, "");
  if (o.provider === "ollama") {
    return {
      url: `${base}/api/chat`,
      body: {
        model: o.model,
        stream: false,
        format: prompt.schema,
        options: { temperature: 0, seed: o.seed ?? DEFAULT_SEED },
        messages,
      },
    };
  }
  return {
    url: `${base}/chat/completions`,
    body: {
      model: o.model,
      temperature: 0,
      seed: o.seed ?? DEFAULT_SEED,
      response_format: {
        type: "json_schema",
        json_schema: { name: "kubeward_explanations", strict: true, schema: prompt.schema },
      },
      messages,
    },
  };
}

/** Cache key: model, prompt version and a hash of the unmasked input (so a new model or prompt misses). */
export function cacheKey(o: LlmOptions, unmaskedInput: string): string {
  const input = createHash("sha256").update(unmaskedInput).digest("hex");
  return createHash("sha256")
    .update(`${o.provider}\u0000${o.model}\u0000${PROMPT_VERSION}\u0000${input}`)
    .digest("hex");
}

/** Ask the model; returns the answer text (the JSON the schema describes). */
export async function askLlm(
  prompt: Prompt,
  o: LlmOptions,
  unmaskedInput: string,
): Promise<{ text: string; cached: boolean }> {
  const key = cacheKey(o, unmaskedInput);
  const cacheFile = o.cacheDir !== undefined ? join(o.cacheDir, `${key}.json`) : undefined;
  if (cacheFile !== undefined) {
    try {
      const cached: unknown = JSON.parse(readFileSync(cacheFile, "utf8"));
      if (isRecord(cached) && typeof cached["answer"] === "string")
        return { text: cached["answer"], cached: true };
    } catch {
      // No cached answer.
    }
  }
  const { url, body } = llmRequest(prompt, o);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (o.apiKey !== undefined && o.apiKey !== "") headers["authorization"] = `Bearer ${o.apiKey}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 120_000),
    });
  } catch (err) {
    throw new InputError(`cannot reach the LLM at ${new URL(url).origin}: ${(err as Error).message}`);
  }
  const raw = await res.text();
  if (!res.ok) throw new InputError(`the LLM answered HTTP ${res.status}: ${raw.slice(0, 200)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError("the LLM's response is not JSON");
  }
  const text =
    o.provider === "ollama"
      ? isRecord(parsed) && isRecord(parsed["message"])
        ? parsed["message"]["content"]
        : undefined
      : (() => {
          const choices = isRecord(parsed) ? parsed["choices"] : undefined;
          const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
          return isRecord(first) && isRecord(first["message"]) ? first["message"]["content"] : undefined;
        })();
  if (typeof text !== "string") throw new InputError("the LLM's response has no message content");
  if (cacheFile !== undefined && o.cacheDir !== undefined) {
    try {
      mkdirSync(o.cacheDir, { recursive: true, mode: 0o700 });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ promptVersion: PROMPT_VERSION, model: o.model, answer: text }), {
        mode: 0o600,
      });
      renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written only costs a repeated call.
    }
  }
  return { text, cached: false };
}
