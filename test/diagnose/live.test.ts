// The live path with the real @kubernetes/client-node KubeConfig against a loopback API server:
// each kind listed once, pagination, bounded concurrency, Secrets metadata-only, a 403 reported
// and not fatal, and the same findings as from a snapshot of the same objects.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../src/inputs/cluster-snapshot.js";
import { runCli, tempTree } from "../e2e/helpers.js";
import { FIXTURES } from "./helpers.js";
import { kubeconfigFor, startFakeApi, type FakeApi } from "./live-server.js";

let api: FakeApi;
let dir: string;
beforeAll(async () => {
  api = await startFakeApi(loadSnapshot(FIXTURES).objects.concat(rawSecret()));
  dir = tempTree({ kubeconfig: kubeconfigFor(api.url) });
});
afterAll(() => api.close());

/** A Secret with values, as the server stores it; it must only ever be served as metadata. */
function rawSecret() {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "tls", namespace: "shop" },
    data: { "tls.key": "TElWRS1LRVktVkFMVUU=" },
  };
}

interface Out {
  findings: { id: string; object: unknown; affected: unknown[] }[];
  unreadable: { kind: string; message: string }[];
}
const json = (stdout: string): Out => JSON.parse(stdout) as Out;

describe("diagnose on a live cluster", () => {
  it("gives the same findings as the snapshot of the same objects, and reports the 403", async () => {
    api.requests.length = 0;
    const live = await runCli(["diagnose", "-A", "--kubeconfig", "kubeconfig", "--format", "json"], {
      cwd: dir,
    });
    const snap = await runCli(["diagnose", "--snapshot", FIXTURES, "--format", "json"], { cwd: dir });
    expect(live.stderr).toBe("");
    expect(live.code).toBe(snap.code);
    expect(json(live.stdout).findings.length).toBeGreaterThan(10);
    expect(json(live.stdout).findings).toEqual(json(snap.stdout).findings);
    expect(json(live.stdout).unreadable).toEqual([
      {
        kind: "NetworkPolicy",
        message: expect.stringContaining('cannot list resource "networkpolicies"') as unknown,
      },
    ]);
    expect(live.stdout).not.toContain("TElWRS1LRVktVkFMVUU=");
  });

  it("lists each kind once (pages follow `continue`), with bounded concurrency and the context's token", () => {
    const firstPages = api.requests.filter((r) => !r.path.includes("continue="));
    const paths = firstPages.map((r) => r.path.split("?")[0]);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain("/api/v1/pods");
    expect(paths).toContain("/apis/cert-manager.io/v1/certificates");
    const podPages = api.requests.filter((r) => r.path.startsWith("/api/v1/pods"));
    expect(podPages.length).toBeGreaterThan(3);
    expect(podPages[1]?.path).toContain("continue=2");
    expect(api.maxInFlight).toBeGreaterThan(1);
    expect(api.maxInFlight).toBeLessThanOrEqual(6);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set(["Bearer ci-token"]));
    const secrets = api.requests.filter((r) => r.path.startsWith("/api/v1/secrets"));
    expect(secrets.map((r) => r.accept)).toEqual([
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
    ]);
  });

  it("defaults to the context's namespace; --context, -n and -l change what is read", async () => {
    api.requests.length = 0;
    const shop = await runCli(["diagnose", "--kubeconfig", "kubeconfig", "--format", "json"], { cwd: dir });
    // Gateways live in namespace edge, which this run did not read: no "parent missing" guess.
    expect(json(shop.stdout).findings.map((f) => f.id)).toEqual([
      "resource-condition-false",
      "httproute-backend-port-missing",
      "pod-oom-killed",
    ]);
    expect(api.requests.some((r) => r.path.startsWith("/api/v1/namespaces/shop/pods"))).toBe(true);
    expect(api.requests.some((r) => r.path.startsWith("/api/v1/pods"))).toBe(false);

    api.requests.length = 0;
    const admin = await runCli(
      [
        "diagnose",
        "--kubeconfig",
        "kubeconfig",
        "--context",
        "admin",
        "-n",
        "billing",
        "-l",
        "app=api",
        "--format",
        "json",
      ],
      { cwd: dir },
    );
    expect(json(admin.stdout).findings.map((f) => f.id)).toEqual(["pod-image-pull"]);
    expect(api.requests.every((r) => r.authorization === "Bearer admin-token")).toBe(true);
    const pods = api.requests.find((r) => r.path.startsWith("/api/v1/namespaces/billing/pods"));
    expect(pods?.path).toContain("labelSelector=app%3Dapi");
    const events = api.requests.find((r) => r.path.startsWith("/api/v1/namespaces/billing/events"));
    expect(events?.path).not.toContain("labelSelector");
  });

  it("KIND/NAME is fetched first: a wrong name is an error; a right one narrows the report", async () => {
    const missing = await runCli(["diagnose", "deploy/nope", "--kubeconfig", "kubeconfig"], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "kubeward: deployment/nope not found in namespace shop\n",
    ]);
    api.requests.length = 0;
    const web = await runCli(["diagnose", "deploy/web", "--kubeconfig", "kubeconfig", "--format", "json"], {
      cwd: dir,
    });
    expect(api.requests[0]?.path).toBe("/apis/apps/v1/namespaces/shop/deployments/web");
    expect(json(web.stdout).findings.map((f) => f.id)).toEqual(["pod-oom-killed"]);
  });

  it("bad kubeconfig input is a clear error", async () => {
    const ctx = await runCli(["diagnose", "--kubeconfig", "kubeconfig", "--context", "nope"], { cwd: dir });
    expect([ctx.code, ctx.stderr]).toEqual([2, 'kubeward: no context "nope" in the kubeconfig\n']);
    const down = tempTree({ kubeconfig: kubeconfigFor("http://127.0.0.1:1") });
    const r = await runCli(["diagnose", "--kubeconfig", "kubeconfig"], { cwd: down });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubeward: cannot reach the cluster at http:\/\/127\.0\.0\.1:1/);
    expect(join(down, "x")).toContain("x");
  });
});
