// The Helm-named flags of `kubeward scan`, through the CLI entry point.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: () => "",
    cwd: FIXTURES,
    isTTY: false,
    env: process.env,
  });
  return { code, out, err };
}

interface JsonFinding {
  ruleId: string;
  template?: { file: string; line: number; column: number };
  values?: { path: string; file?: string; line?: number };
  resource?: { name: string; namespace?: string };
}
const findingsOf = (out: string) => (JSON.parse(out) as { findings: JsonFinding[] }).findings;

describe("scan CLI with Helm flags", () => {
  it("passes -f, --set, --release-name and --namespace, and prints template and values in JSON", async () => {
    const { code, out } = await cli([
      "scan",
      "web",
      "--format",
      "json",
      "--no-config",
      "-f",
      "prod-values.yaml",
      "--set",
      "image.tag=1.26",
      "--release-name",
      "r1",
      "--namespace",
      "ns1",
    ]);
    expect(code).toBe(1);
    const fs = findingsOf(out);
    const pid = fs.find((f) => f.ruleId === "host-pid");
    expect(pid?.values).toMatchObject({ path: "hostPID", file: "prod-values.yaml" });
    expect(pid?.template?.file).toBe("web/templates/_helpers.tpl");
    expect(fs.some((f) => f.resource?.name === "r1-web")).toBe(true);
    const ns = await cli([
      "scan",
      "../../inputs/fixtures/gitops/charts/app",
      "--format",
      "json",
      "--namespace",
      "ns1",
    ]);
    expect(findingsOf(ns.out).find((f) => f.resource?.name === "release-name-app")?.resource?.namespace).toBe(
      "ns1",
    );
  });

  it("shows the template code frame in stylish output", async () => {
    const { out } = await cli(["scan", "web", "--no-config", "--no-color"]);
    expect(out).toContain("web/templates/deployment.yaml");
    expect(out).toContain("privileged: {{ .Values.app.privileged }}");
  });

  it("exits 2 when nothing could be rendered", async () => {
    const { code, out } = await cli(["scan", "bad-tree/bad-template", "--no-config", "--format", "json"]);
    expect(code).toBe(2);
    expect(findingsOf(out).map((f) => f.ruleId)).toEqual(["render-error"]);
  });

  it("rejects a bad --timeout", async () => {
    const { code, err } = await cli(["scan", "web", "--timeout", "soon"]);
    expect(code).toBe(2);
    expect(err).toContain("--timeout");
  });

  // Issue 8 item 5: one usage error naming the flag, exit 2, before anything renders; also for a
  // tree without a chart (bad-tree/manifests) and whatever --fail-on says.
  it.each([
    [["-f", "missing.yaml"], /^kubeward: -f\/--values "missing.yaml": no such file$/],
    [["--values", "web"], /^kubeward: -f\/--values "web": not a regular file$/],
    [["--kube-version", "banana"], /^kubeward: --kube-version .*"banana"/],
    [["--set", "replicaCount"], /^kubeward: --set "replicaCount": "replicaCount" has no "="/],
    [["--set", "a=1,=2"], /^kubeward: --set "a=1,=2": "=2" has an empty key$/],
    [
      ["--set-string", "list[x]=1"],
      /^kubeward: --set-string "list\[x\]=1": "list\[x\]=1": list index "x" is not a number$/,
    ],
    [["--set", "a[0]]=1"], /^kubeward: --set "a\[0\]\]=1": "a\[0\]\]=1": "\]" after list index \[0\]/],
    [["--set", "a[0]x.y=1"], /^kubeward: --set "a\[0\]x\.y=1": .*"x" after list index \[0\]/],
    [
      ["--set", "a[65537]=1"],
      /^kubeward: --set "a\[65537\]=1": .*list index 65537 is above helm's maximum of 65536$/,
    ],
    [["--set-file", "cfg=nope.txt"], /^kubeward: --set-file "cfg=nope.txt": no such file "nope.txt"$/],
  ])("%j is a usage error up front", async (flags, message) => {
    for (const path of ["web", "bad-tree/manifests"]) {
      const { code, out, err } = await cli(["scan", path, "--no-config", "--fail-on", "critical", ...flags]);
      expect(code, path).toBe(2);
      expect(out).toBe("");
      const lines = err.trim().split("\n");
      expect(lines, path).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });

  it("accepts the forms helm accepts", async () => {
    const { code, err } = await cli([
      "scan",
      "bad-tree/manifests",
      "--no-config",
      "--kube-version",
      "v1.30.2",
      "--set",
      "a.b=1,c={x,y},d[0]=z,e\\,f=g,h=",
      "--set-file",
      "v=prod-values.yaml",
    ]);
    expect(err).toBe("");
    expect([0, 1]).toContain(code);
  });
});
