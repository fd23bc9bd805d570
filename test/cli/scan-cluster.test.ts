// `kubeward scan --cluster`: the static rules on a live cluster's objects, read with the real
// @kubernetes/client-node KubeConfig from a loopback API server serving recorded objects (with
// status, owner references and managedFields). Findings name objects kubectl-style in every format;
// Secrets are only ever requested as metadata; a 403 on one kind is reported, not fatal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flagsOf } from "../../src/cli/completion.js";
import { SCAN_HELP } from "../../src/cli/scan.js";
import { configOf, kubectlRef } from "../../src/inputs/cluster-scan.js";
import { loadSnapshot } from "../../src/inputs/cluster-snapshot.js";
import { runCli, tempTree } from "../e2e/helpers.js";
import { kubeconfigFor, startFakeApi, type FakeApi } from "../diagnose/live-server.js";
import { sarifValidator } from "../report/helpers.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "cluster-shop.yaml");
const SECRET_VALUE = "U1VQRVItU0VDUkVULVZBTFVF";
const PRIVILEGED = "spec.template.spec.containers[0].securityContext.privileged";

/** The fixture's objects as the server stores them (the Secret with its data). */
function stored(): Record<string, unknown>[] {
  const text = readFileSync(FIXTURE, "utf8");
  // loadSnapshot keeps Secrets as metadata only; the server must hold the values to prove they stay there.
  const objects = loadSnapshot(FIXTURE).objects.map((o) =>
    o["kind"] === "Secret" ? { ...o, data: { password: SECRET_VALUE } } : o,
  );
  expect(text).toContain(SECRET_VALUE);
  return objects;
}

interface JsonFinding {
  ruleId: string;
  source?: string;
  cluster?: { ref: string; fieldPath: string; context?: string };
  file?: string;
  message: string;
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

let api: FakeApi;
let open: FakeApi;
let dir: string;
beforeAll(async () => {
  api = await startFakeApi(stored());
  open = await startFakeApi(stored(), 2, "");
  dir = tempTree({ kubeconfig: kubeconfigFor(api.url), "open-kubeconfig": kubeconfigFor(open.url) });
});
afterAll(async () => {
  await api.close();
  await open.close();
});

const scan = (config: string, ...args: string[]) =>
  runCli(["scan", "--cluster", "--kubeconfig", config, ...args], { cwd: dir });

describe("scan --cluster", () => {
  it("reports the rules' findings on live objects with kubectl references, in JSON", async () => {
    const r = await scan("open-kubeconfig", "--format", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    const privileged = findings.find((f) => f.ruleId === "privileged-container");
    expect(privileged).toMatchObject({
      source: "cluster",
      cluster: { ref: "deployment/web -n shop", fieldPath: PRIVILEGED, context: "ci" },
    });
    expect(privileged?.file).toBeUndefined();
    expect(findings.find((f) => f.ruleId === "host-network")?.cluster).toEqual({
      ref: "pod/debug -n shop",
      fieldPath: "spec.hostNetwork",
      context: "ci",
    });
    expect(findings.find((f) => f.ruleId === "rbac-wildcard")?.cluster?.ref).toBe("clusterrole/everything");
    // Every finding is a cluster finding; the ReplicaSet and Pod the Deployment made are not
    // reported again, and the other namespace (-n defaults to the context's, shop) is not read.
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.every((f) => f.source === "cluster")).toBe(true);
    const refs = new Set(findings.map((f) => f.cluster?.ref));
    expect(refs).not.toContain("replicaset/web-5d4f8 -n shop");
    expect(refs).not.toContain("pod/web-5d4f8-x2x7q -n shop");
    expect(refs).not.toContain("namespace/other");
    expect(open.requests.some((r) => r.path.startsWith("/api/v1/namespaces/other/"))).toBe(false);
  });

  it("treats the listed namespace as complete: a missing ConfigMap is reported, the present Secret is not", async () => {
    const findings = findingsOf((await scan("open-kubeconfig", "--format", "json")).stdout);
    const missing = findings.filter((f) => f.ruleId === "pod-reference-missing");
    expect(missing.map((f) => f.message)).toEqual([expect.stringContaining("`web-flags`") as unknown]);
    expect(missing[0]?.cluster?.fieldPath).toMatch(/^spec\.template\.spec\.containers\[0\]\.env\[1\]/);
    // With -l only some objects are listed: references are not judged.
    const selected = findingsOf((await scan("open-kubeconfig", "-l", "app=web", "--format", "json")).stdout);
    expect(selected.some((f) => f.ruleId === "pod-reference-missing")).toBe(false);
    expect(selected.some((f) => f.ruleId === "privileged-container")).toBe(true);
    expect(selected.some((f) => f.cluster?.ref === "pod/debug -n shop")).toBe(false);
  });

  it("never reads Secret values: secrets are requested as metadata only, and no value is printed", async () => {
    open.requests.length = 0;
    const outputs = await Promise.all(
      ["stylish", "json", "sarif", "junit", "github", "markdown", "baseline"].map((format) =>
        scan("open-kubeconfig", "--format", format),
      ),
    );
    for (const o of outputs) {
      expect(o.stdout).not.toContain(SECRET_VALUE);
      // Nor the credential in the last-applied copy, which is stripped before rules run.
      expect(o.stdout).not.toContain("hunter2-from-last-applied");
    }
    const secrets = open.requests.filter((r) => r.path.includes("/secrets"));
    expect(secrets.length).toBe(7);
    expect(new Set(secrets.map((r) => r.accept))).toEqual(
      new Set(["application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"]),
    );
  });

  it("status, managedFields and the last-applied copy never influence the findings", async () => {
    const live = findingsOf((await scan("open-kubeconfig", "--format", "json")).stdout);
    for (const f of live)
      expect(f.cluster?.fieldPath ?? "").not.toMatch(/^(status|metadata\.managedFields)\b/);
    // The same objects without any of it, as a snapshot: the same findings.
    const stripped = loadSnapshot(FIXTURE).objects.map(configOf);
    const snapDir = tempTree({
      "snap.json": JSON.stringify({ apiVersion: "v1", kind: "List", items: stripped }),
    });
    const snap = await runCli(
      ["scan", "--snapshot", "snap.json", "-n", "shop", "--assume-complete", "--format", "json"],
      {
        cwd: snapDir,
      },
    );
    const key = (f: JsonFinding) => `${f.ruleId} ${f.cluster?.ref ?? ""} ${f.cluster?.fieldPath ?? ""}`;
    expect(findingsOf(snap.stdout).map(key).sort()).toEqual(live.map(key).sort());
    expect(configOf(stored().find((o) => o["kind"] === "Deployment") ?? {})).not.toHaveProperty("status");
  });

  it("reports a kind it may not read (403) and goes on; references are then not judged", async () => {
    const r = await scan("kubeconfig", "--format", "json");
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    const notice = findings.find((f) => f.ruleId === "not-scanned");
    expect(notice?.cluster?.ref).toBe("networkpolicy -n shop");
    expect(notice?.message).toMatch(
      /NetworkPolicy objects in namespace shop could not be read \(HTTP 403: .*forbidden/,
    );
    expect(findings.some((f) => f.ruleId === "privileged-container")).toBe(true);
    // Rules that compare objects would judge from what could not be seen: they do not run.
    expect(findings.some((f) => f.ruleId === "pod-reference-missing")).toBe(false);
    expect(findings.some((f) => f.ruleId === "workload-without-network-policy")).toBe(false);
    expect(notice?.message).toContain("cross-object");
    const stylish = await scan("kubeconfig");
    expect(stylish.stdout).toContain("networkpolicy -n shop\n");
    expect(stylish.stdout).toMatch(/\(cluster context ci, namespace shop, 6 objects, 0 suppressed\)\n$/);
  });

  it("names objects and fields in every format: stylish, SARIF, JUnit, GitHub, markdown", async () => {
    const [stylish, sarif, junit, github, markdown] = await Promise.all(
      ["stylish", "sarif", "junit", "github", "markdown"].map((format) =>
        scan("open-kubeconfig", "--format", format),
      ),
    );
    expect(stylish?.stdout).toContain("deployment/web -n shop\n");
    expect(stylish?.stdout).toContain(`at ${PRIVILEGED}, container app`);
    const log = JSON.parse(sarif?.stdout ?? "") as {
      runs: {
        results: { ruleId: string; locations: { logicalLocations?: { fullyQualifiedName: string }[] }[] }[];
      }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const result = log.runs[0]?.results.find((x) => x.ruleId === "privileged-container");
    expect(result?.locations[0]?.logicalLocations?.map((l) => l.fullyQualifiedName)).toEqual([
      "deployment/web -n shop",
      `deployment/web -n shop ${PRIVILEGED}`,
    ]);
    expect(sarif?.stdout).not.toContain("artifactLocation");
    expect(junit?.stdout).toContain('<testsuite name="deployment/web -n shop"');
    const annotation = github?.stdout.split("\n").find((l) => l.includes("privileged-container")) ?? "";
    expect(annotation).toMatch(/^::error title=privileged-container \(\w+\)::/);
    expect(annotation).toContain(`[deployment/web -n shop ${PRIVILEGED}, container app]`);
    expect(markdown?.stdout).toContain(`\`deployment/web -n shop ${PRIVILEGED}\``);
  });

  it("refuses paths and file-only flags, and needs a kubeconfig", async () => {
    expect((await scan("kubeconfig", "k8s/")).code).toBe(2);
    expect((await scan("kubeconfig", "--unit", "file")).code).toBe(2);
    expect((await runCli(["scan", "-l", "app=web"], { cwd: dir })).stderr).toContain("needs --cluster");
    const none = await runCli(["scan", "--cluster"], { cwd: dir, env: { HOME: dir } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no kubeconfig found");
  });

  it("help and shell completion list the flags", () => {
    const flags = flagsOf(SCAN_HELP);
    for (const [long, short] of [
      ["cluster", undefined],
      ["snapshot", undefined],
      ["kubeconfig", undefined],
      ["context", undefined],
      ["namespace", "n"],
      ["all-namespaces", "A"],
      ["selector", "l"],
    ] as const)
      expect(flags.find((f) => f.long === long)?.short, long).toBe(short);
    expect(SCAN_HELP).toContain("kubeward scan --cluster -n shop --context prod");
  });

  it("names custom resources with their group, built-in ones without", () => {
    const meta = { name: "web", namespace: "shop" };
    expect(
      kubectlRef({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: meta }),
    ).toBe("servicemonitor.monitoring.coreos.com/web -n shop");
    expect(kubectlRef({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta })).toBe(
      "ingress/web -n shop",
    );
    expect(kubectlRef({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } })).toBe(
      "namespace/shop",
    );
  });
});
