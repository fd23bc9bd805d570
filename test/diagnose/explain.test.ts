// --explain against a loopback OpenAI-compatible (and Ollama) server that records what it receives:
// one batched call, temperature 0 and a seed, a JSON schema, no real name / namespace / image / IP /
// node name and no Secret value in the request, answers validated (invalid → templates), cached by
// model + prompt version + input, no API key on disk, and --show-prompt sends nothing.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Masker } from "../../src/diagnose/explain.js";
import { runCli, tempTree } from "../e2e/helpers.js";
import { FIXTURES } from "./helpers.js";

interface Received {
  path: string;
  authorization: string;
  body: Record<string, unknown>;
  raw: string;
}
let server: Server;
let url = "";
const received: Received[] = [];
let mode: "good" | "invalid" = "good";

/** Values from the fixtures that must never reach the model. */
const SENSITIVE = [
  "web-7c9d8f6b5d-4xk2p",
  "web-7c9d8f6b5d-9wq7m",
  "registry.example.com/shop/web:1.4.2",
  "ghcr.io/acme/billing-api:v2.3.9",
  "10.244.1.17",
  "172.18.0.3",
  "worker-1",
  "worker-3",
  "gpu-a1",
  "policy-webhook",
  "batch-5f6d7",
  "batch-5f6d7-k2x9z",
  "shop.example.com",
  "c3VwZXJzZWNyZXQtdmFsdWU=",
  "plain-secret-token-value",
  "db-credentials",
];
const word = (v: string): RegExp =>
  new RegExp(`(?<![A-Za-z0-9-])${v.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(?![A-Za-z0-9])`);

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString("utf8");
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ path: req.url ?? "", authorization: req.headers.authorization ?? "", body, raw });
      const messages = body["messages"] as { content: string }[];
      const findings = (
        JSON.parse(messages[1]?.content ?? "{}") as { findings: { index: number; object: string }[] }
      ).findings;
      const answer =
        mode === "invalid"
          ? "Sure! Here are explanations: ..."
          : JSON.stringify({
              explanations: findings.map((f) => ({
                index: f.index,
                explanation: `LLM: ${f.object} is broken.`,
                remediation: `LLM: fix ${f.object}.`,
              })),
            });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          req.url === "/api/chat"
            ? { model: body["model"], message: { role: "assistant", content: answer }, done: true }
            : {
                id: "x",
                object: "chat.completion",
                choices: [{ index: 0, message: { role: "assistant", content: answer } }],
              },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) =>
      server.close(() => {
        r();
      }),
    ),
);
beforeEach(() => {
  received.length = 0;
  mode = "good";
});

const home = tempTree();
const env = { HOME: home, KUBEWARD_LLM_API_KEY: "sk-test-secret-key" };
const explain = (extra: string[] = []) =>
  runCli(
    [
      "diagnose",
      "--snapshot",
      FIXTURES,
      "--format",
      "json",
      "--explain",
      "--llm-url",
      `${url}/v1`,
      "--llm-model",
      "test-model",
      ...extra,
    ],
    { cwd: home, env },
  );

interface Out {
  findings: { explanation: string; remediation: string; explainedBy: string }[];
}

describe("diagnose --explain", () => {
  it("sends one batched, masked, schema'd request at temperature 0 and shows the answers unmasked", async () => {
    const r = await explain(["--no-llm-cache"]);
    expect(r.stderr).toBe("");
    expect(received).toHaveLength(1);
    const req = received[0];
    if (req === undefined) throw new Error("no request");
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.authorization).toBe("Bearer sk-test-secret-key");
    expect(req.body["temperature"]).toBe(0);
    expect(req.body["seed"]).toBe(42);
    expect(req.body["model"]).toBe("test-model");
    expect(JSON.stringify(req.body["response_format"])).toContain('"json_schema"');
    for (const v of [...SENSITIVE, "shop", "billing"]) expect(req.raw, v).not.toMatch(word(v));
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings.length).toBeGreaterThan(10);
    expect(out.findings.every((f) => f.explainedBy === "llm")).toBe(true);
    expect(out.findings.map((f) => f.explanation)).toContain(
      "LLM: pod/web-7c9d8f6b5d-4xk2p -n shop is broken.",
    );
  });

  it("caches the answer (no API key on disk) and --show-prompt sends nothing", async () => {
    await explain();
    await explain();
    expect(received).toHaveLength(1);
    const cacheDir = join(home, ".cache", "kubeward", "explain");
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    for (const f of files)
      expect(readFileSync(join(cacheDir, f), "utf8")).not.toContain("sk-test-secret-key");
    // Another model misses the cache.
    await explain(["--llm-model", "other-model"]);
    expect(received).toHaveLength(2);

    received.length = 0;
    const shown = await explain(["--show-prompt"]);
    expect(received).toHaveLength(0);
    expect(shown.code).toBe(0);
    const printed = JSON.parse(shown.stdout) as { url: string; body: { temperature: number } };
    expect(printed.url).toBe(`${url}/v1/chat/completions`);
    expect(printed.body.temperature).toBe(0);
    expect(shown.stdout).not.toContain("sk-test-secret-key");
    for (const v of SENSITIVE) expect(shown.stdout, v).not.toMatch(word(v));
  });

  it("an invalid answer falls back to the template texts, with a warning", async () => {
    mode = "invalid";
    const r = await explain(["--no-llm-cache"]);
    expect(r.stderr).toContain("--explain: the answer is not JSON; using the template texts");
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings.length).toBeGreaterThan(10);
    expect(out.findings.every((f) => f.explainedBy === "template")).toBe(true);
    expect(r.code).toBe(1);
  });

  it("speaks Ollama's native API", async () => {
    const r = await runCli(
      [
        "diagnose",
        "--snapshot",
        join(FIXTURES, "quota.yaml"),
        "--explain",
        "--llm-provider",
        "ollama",
        "--llm-url",
        url,
        "--llm-model",
        "llama3.1",
        "--no-llm-cache",
      ],
      { cwd: home, env },
    );
    expect(r.stdout).toContain("LLM: replicaset/batch-5f6d7 -n team-a is broken.");
    const req = received[0];
    expect(req?.path).toBe("/api/chat");
    expect(req?.body["options"]).toEqual({ temperature: 0, seed: 42 });
    expect(req?.body["format"]).toMatchObject({ type: "object" });
    expect(req?.raw).not.toMatch(word("batch-5f6d7-k2x9z"));
  });

  it("is off by default and needs a model", async () => {
    await runCli(["diagnose", "--snapshot", FIXTURES], { cwd: home, env });
    expect(received).toHaveLength(0);
    const r = await runCli(["diagnose", "--snapshot", FIXTURES, "--explain"], {
      cwd: home,
      env: { HOME: home },
    });
    expect([r.code, r.stderr]).toEqual([
      2,
      "kubeward: --explain needs --llm-model NAME (or KUBEWARD_LLM_MODEL)\n",
    ]);
  });
});

describe("Masker", () => {
  it("masks generated names, names inside kubelet messages, IPs and UIDs, and unmasks answers", () => {
    const m = new Masker();
    m.add("shop", "namespace");
    m.add("batch-5f6d7", "name");
    m.add("web-7c9d8f6b5d-4xk2p", "name");
    const text =
      'pods "batch-5f6d7-" is forbidden; pod batch-5f6d7-k2x9z; Back-off restarting failed container app in pod web-7c9d8f6b5d-4xk2p_shop(3f2a9c1e-1b2c-4d5e-8f90-123456789abc) on 10.244.1.17';
    const masked = m.mask(text);
    for (const v of ["batch-5f6d7", "k2x9z", "web-7c9d8f6b5d", "shop", "3f2a9c1e", "10.244.1.17"])
      expect(masked).not.toContain(v);
    expect(m.mask("shop")).toBe("namespace-1");
    expect(m.unmask("namespace-1 and name-2")).toBe("shop and web-7c9d8f6b5d-4xk2p");
    expect(m.mask("webhook in shopping")).toBe("webhook in shopping");
  });
});
