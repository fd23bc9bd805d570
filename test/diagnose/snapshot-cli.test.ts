// Snapshot inputs (List files, directories, cluster-info dump) and the `diagnose` command: formats,
// exit codes, scope flags, Secrets never kept, untrusted text cleaned.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadSnapshot, splitJsonValues } from "../../src/inputs/cluster-snapshot.js";
import { runCli, tempTree } from "../e2e/helpers.js";
import { FIXTURES } from "./helpers.js";

const SECRET_VALUES = ["c3VwZXJzZWNyZXQtdmFsdWU=", "plain-secret-token-value", "password"];

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, "../report/sarif-schema-2.1.0.json"), "utf8"),
  ) as Record<string, unknown>;
  const { id, ...rest } = schema;
  delete rest["$schema"];
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", (s: string) => URL.canParse(s));
  ajv.addFormat("uri-reference", (s: string) => !/\s/.test(s));
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ $id: id, ...rest } as object);
}

describe("snapshot inputs", () => {
  it("a Secret keeps only its metadata (no data, stringData or last-applied copy)", () => {
    const snap = loadSnapshot(join(FIXTURES, "healthy-k8sgpt-false-positives.yaml"));
    const secret = snap.objects.find((o) => o["kind"] === "Secret");
    expect(secret).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db-credentials", namespace: "app", annotations: {} },
      type: "Opaque",
    });
    const text = JSON.stringify(snap.objects);
    for (const v of SECRET_VALUES.slice(0, 2)) expect(text).not.toContain(v);
  });

  it("reads a cluster-info dump directory: JSON lists back to back, items without kind, logs skipped", () => {
    const podList = {
      kind: "PodList",
      apiVersion: "v1",
      items: [
        {
          metadata: { name: "api-0", namespace: "billing", labels: { app: "api" } },
          spec: { containers: [{ name: "api", image: "x" }] },
          status: {
            containerStatuses: [{ name: "api", image: "x", state: { waiting: { reason: "ErrImagePull" } } }],
          },
        },
      ],
    };
    const dir = tempTree({
      "nodes.json": JSON.stringify({ kind: "NodeList", apiVersion: "v1", items: [] }),
      "billing/pods.json": `${JSON.stringify(podList, null, 2)}\n${JSON.stringify({ kind: "EventList", apiVersion: "v1", items: [] })}`,
      "billing/api-0/logs.txt": "not a manifest {",
    });
    const snap = loadSnapshot(dir);
    expect(snap.objects.map((o) => o["kind"])).toEqual(["Pod"]);
    expect(snap.files).toBe(2);
  });

  it("splits concatenated JSON values, braces inside strings included", () => {
    expect(splitJsonValues('{"a":"}{"}\n{"b":[1,{"c":2}]}')).toEqual(['{"a":"}{"}', '{"b":[1,{"c":2}]}']);
  });

  it("a broken file is a clear input error, not a stack trace", async () => {
    const dir = tempTree({ "bad.json": '{"kind": "List", "items": [' });
    const r = await runCli(["diagnose", "--snapshot", "bad.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubeward: bad\.json: not valid JSON/);
    const missing = await runCli(["diagnose", "--snapshot", "nope"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read snapshot");
  });
});

describe("kubeward diagnose", () => {
  it("exit 1 with findings at or above --fail-on, 0 below it and for a healthy cluster", async () => {
    const run = (args: string[]) => runCli(["diagnose", ...args], { cwd: FIXTURES });
    expect((await run(["--snapshot", "crashloop-oom.yaml"])).code).toBe(1);
    expect((await run(["--snapshot", "crashloop-oom.yaml", "--fail-on", "critical"])).code).toBe(0);
    expect((await run(["--snapshot", "pdb-blocking-drain.yaml", "--fail-on", "medium"])).code).toBe(1);
    const ok = await run(["--snapshot", "healthy-k8sgpt-false-positives.yaml"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("no problems found in 10 objects\n");
    expect((await run(["--snapshot", "x.yaml", "--fail-on", "bad"])).code).toBe(2);
    const noConfig = await runCli(["diagnose"], { cwd: FIXTURES, env: { HOME: "/nonexistent" } });
    expect([noConfig.code, noConfig.stderr]).toEqual([
      2,
      "kubeward: no kubeconfig found: use --kubeconfig FILE, set KUBECONFIG, or read a --snapshot\n",
    ]);
    expect((await run(["--snapshot", "quota.yaml", "a/b/c"])).code).toBe(2);
  });

  it("JSON output carries IDs, evidence, chain and affected objects; no Secret value anywhere", async () => {
    const r = await runCli(["diagnose", "--snapshot", ".", "--format", "json", "--fail-on", "critical"], {
      cwd: FIXTURES,
    });
    const out = JSON.parse(r.stdout) as {
      schemaVersion: number;
      findings: { id: string; explainedBy: string }[];
    };
    expect(out.schemaVersion).toBe(1);
    expect(out.findings.map((f) => f.id)).toContain("pod-oom-killed");
    expect(out.findings.every((f) => f.explainedBy === "template")).toBe(true);
    for (const v of SECRET_VALUES.slice(0, 2)) expect(r.stdout).not.toContain(v);
  });

  it("SARIF output is valid SARIF 2.1.0 with logical (kubectl-style) locations", async () => {
    const r = await runCli(["diagnose", "--snapshot", ".", "--format", "sarif"], { cwd: FIXTURES });
    const log = JSON.parse(r.stdout) as {
      runs: { results: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[] }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const names = (log.runs[0]?.results ?? []).flatMap((x) =>
      x.locations.flatMap((l) => l.logicalLocations.map((ll) => ll.fullyQualifiedName)),
    );
    expect(names).toContain("shop/deployment/web");
  });

  it("Markdown output has a table and a section per finding, with table cells escaped", async () => {
    const r = await runCli(
      ["diagnose", "--snapshot", "service-selector-mismatch.yaml", "--format", "markdown"],
      {
        cwd: FIXTURES,
      },
    );
    expect(r.stdout).toContain(
      "| high | service/frontend -n web | selector app=frontend matches no pod in namespace web | service-selector-mismatch |",
    );
    expect(r.stdout).toContain("## high: service/frontend -n web (service-selector-mismatch)");
  });

  it("KIND/NAME with kubectl short names, -n and -l narrow the run", async () => {
    const run = (args: string[]) =>
      runCli(["diagnose", "--snapshot", ".", "--format", "json", ...args], { cwd: FIXTURES });
    const ids = async (args: string[]) =>
      (JSON.parse((await run(args)).stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(await ids(["deploy/batch", "-n", "team-a"])).toEqual(["replicaset-failed-create"]);
    expect(await ids(["-n", "billing"])).toEqual(["pod-image-pull"]);
    expect(await ids(["-n", "shop", "-l", "app=web"])).toEqual(["pod-oom-killed"]);
    expect(await ids(["-n", "shop", "-l", "app notin (web)"])).not.toContain("pod-oom-killed");
  });

  it("control characters from the cluster do not reach the terminal", async () => {
    const dir = tempTree({
      "s.yaml": `apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: x }
status:
  conditions: [{ type: Ready, status: "False", reason: Boom, message: "bad \\u001b[31mred\\u001b[0m \\u0007bell" }]
`,
    });
    const r = await runCli(["diagnose", "--snapshot", "s.yaml"], { cwd: dir });
    expect(r.stdout).toContain("bad [31mred[0m bell");
    expect(r.stdout.includes("\u001b") || r.stdout.includes("\u0007")).toBe(false);
  });

  it("--output writes a file", async () => {
    const dir = tempTree();
    const r = await runCli(
      ["diagnose", "--snapshot", join(FIXTURES, "quota.yaml"), "--format", "markdown", "-o", "out/report.md"],
      { cwd: dir },
    );
    expect(r.stdout).toBe("");
    expect(readFileSync(join(dir, "out/report.md"), "utf8")).toContain("replicaset-failed-create");
  });
});
