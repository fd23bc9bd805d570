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
});
