// Kustomize is isolated (issue 8 item 3, issue 9 item 2): a scanned kustomization cannot make the
// scan read outside the scanned tree (`../outside`, `/etc/...`, a symlink out) or fetch anything
// (`http://`, a remote base). What is refused is reported at its line in kustomization.yaml.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanResult } from "../../src/api.js";
import { findKustomize } from "../../src/inputs/tools.js";

const SECRET = "kubeward-outside-secret-value";

/** An HTTP server in a worker thread (the scan blocks the main thread), counting requests. */
function startServer(): { port: number; requests: () => number; stop: () => Promise<number> } {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     const http = require("node:http");
     const s = workerData;
     const server = http.createServer((req, res) => {
       Atomics.add(s, 1, 1);
       res.end("apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: fetched-from-network\\n");
     });
     server.listen(0, "127.0.0.1", () => { Atomics.store(s, 0, server.address().port); Atomics.notify(s, 0); });`,
    { eval: true, workerData: shared },
  );
  Atomics.wait(shared, 0, 0, 5000);
  return {
    port: Atomics.load(shared, 0),
    requests: () => Atomics.load(shared, 1),
    stop: () => worker.terminate(),
  };
}

const write = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n`;

describe.skipIf(findKustomize() === undefined || process.platform === "win32")("kustomize isolation", () => {
  let root = "";
  let tree = "";
  let server: ReturnType<typeof startServer>;
  let result: ScanResult;

  beforeAll(() => {
    server = startServer();
    root = mkdtempSync(join(tmpdir(), "kubeward-kiso-"));
    tree = join(root, "tree");
    write(join(root, "outside", "secret.txt"), SECRET);
    write(join(root, "outside", "kustomization.yaml"), "resources:\n  - cm.yaml\n");
    write(
      join(root, "outside", "cm.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-leak\ndata:\n  v: ${SECRET}\n`,
    );
    write(
      join(tree, "escape", "kustomization.yaml"),
      [
        "resources:",
        "  - pod.yaml",
        "  - ../../outside",
        "  - /etc/hostname",
        "configMapGenerator:",
        "  - name: leak",
        "    files:",
        "      - ../../outside/secret.txt",
        "      - passwd=/etc/passwd",
        "",
      ].join("\n"),
    );
    write(join(tree, "escape", "pod.yaml"), pod("escape-pod"));
    write(
      join(tree, "remote", "kustomization.yaml"),
      [
        "resources:",
        "  - pod.yaml",
        `  - http://127.0.0.1:${String(server.port)}/cm.yaml`,
        "  - github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1",
        "",
      ].join("\n"),
    );
    write(join(tree, "remote", "pod.yaml"), pod("remote-pod"));
    write(join(tree, "link", "kustomization.yaml"), "resources:\n  - pod.yaml\n  - cm.yaml\n");
    write(join(tree, "link", "pod.yaml"), pod("link-pod"));
    symlinkSync(join(root, "outside", "cm.yaml"), join(tree, "link", "cm.yaml"));
    result = scan({ paths: ["."], cwd: tree, configFile: false });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const lineOf = (file: string, needle: string) =>
    readFileSync(join(tree, file), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(needle)) + 1;
  const at = (file: string, needle: string) =>
    result.findings.filter((f) => f.file === file && f.line === lineOf(file, needle));

  it("reads nothing outside the scanned tree and fetches nothing", () => {
    const all = JSON.stringify(result);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("outside-leak");
    expect(all).not.toContain("fetched-from-network");
    expect(server.requests()).toBe(0);
  });

  it("still builds what the kustomizations hold inside the tree", () => {
    const names = result.findings.filter((f) => f.ruleId === "privileged-container").map((f) => f.resource?.name);
    expect(names.sort()).toEqual(["escape-pod", "link-pod", "remote-pod"]);
  });

  it("reports each refused entry at its line in kustomization.yaml", () => {
    for (const needle of ["../../outside", "/etc/hostname", "../../outside/secret.txt", "passwd=/etc/passwd"]) {
      const hits = at("escape/kustomization.yaml", needle).filter((f) => f.ruleId === "render-error");
      expect(hits, needle).toHaveLength(1);
      expect(hits[0]?.message).toContain("outside the scanned tree");
    }
  });

  it("gives remote resources a `not scanned: remote` notice at their line", () => {
    for (const needle of ["http://127.0.0.1", "github.com/kubernetes-sigs"]) {
      const hits = at("remote/kustomization.yaml", needle).filter((f) => f.ruleId === "not-scanned");
      expect(hits, needle).toHaveLength(1);
      expect(hits[0]?.message).toMatch(/not scanned: remote/);
    }
  });

  it("does not follow a symlink that leaves the tree, and says so", () => {
    const hits = at("link/kustomization.yaml", "cm.yaml").filter((f) => f.ruleId === "not-scanned");
    expect(hits).toHaveLength(1);
    expect(hits[0]?.message).toContain("symlink that leaves the scanned tree");
  });
});
