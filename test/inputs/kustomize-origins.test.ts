// Kustomize origins (issue 8 item 6): a field a patch adds points at the patch (file or inline,
// strategic merge or JSON 6902), a generated ConfigMap/Secret at its generator entry in
// kustomization.yaml, and one base built by two overlays is reported once per overlay, named,
// and printed once by the stylish formatter. Built by the real kustomize (bundled kubectl).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResources, scan, type Finding } from "../../src/api.js";
import { formatSarif } from "../../src/report/sarif.js";
import { formatStylish } from "../../src/report/stylish.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const ROOT = "kustomize-origins";
/** 1-based line of the first line of `file` containing `needle` (after the line holding `after`). */
function lineOf(file: string, needle: string, after?: string): number {
  const lines = readFileSync(join(FIXTURES, ROOT, file), "utf8").split("\n");
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  if (i === -1) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}
const at = (f: Finding | undefined) => [f?.file, f?.line, f?.exact ?? true];

describe("kustomize origins", () => {
  const result = scan({ paths: [ROOT], cwd: FIXTURES, configFile: false });
  const findings = result.findings;
  const only = (ruleId: string, release?: string) =>
    findings.filter(
      (f) => f.ruleId === ruleId && (release === undefined || f.release === `kustomization ${ROOT}/${release}`),
    );

  it("builds everything without errors", () => {
    expect(findings.filter((f) => f.category === "input")).toEqual([]);
  });

  it("points a field a strategic merge patch file adds at the patch's line", () => {
    const f = only("privileged-container");
    expect(f).toHaveLength(1);
    expect(at(f[0])).toEqual([
      `${ROOT}/overlays/staging/privileged.yaml`,
      lineOf("overlays/staging/privileged.yaml", "privileged: true"),
      true,
    ]);
    // A finding on the securityContext the patch added (no allowPrivilegeEscalation in it): the patch's line.
    const context = only("privilege-escalation", "overlays/staging")[0];
    expect(at(context)).toEqual([
      `${ROOT}/overlays/staging/privileged.yaml`,
      lineOf("overlays/staging/privileged.yaml", "securityContext:"),
      true,
    ]);
  });

  it("points a field an inline JSON 6902 patch adds at its value line in kustomization.yaml", () => {
    const f = only("host-network");
    expect(f.map(at)).toEqual([
      [`${ROOT}/overlays/staging/kustomization.yaml`, lineOf("overlays/staging/kustomization.yaml", "value: true"), true],
    ]);
    expect(f[0]?.column).toBe(9);
  });

  it("points at a JSON 6902 patch file and an inline strategic merge patch", () => {
    expect(only("host-ipc").map(at)).toEqual([
      [`${ROOT}/overlays/production/host-ipc.yaml`, lineOf("overlays/production/host-ipc.yaml", "value: true"), true],
    ]);
    expect(only("host-pid").map(at)).toEqual([
      [`${ROOT}/overlays/production/kustomization.yaml`, lineOf("overlays/production/kustomization.yaml", "hostPID: true"), true],
    ]);
  });

  it("keeps fields of the base in the base file (the patch only merges into the container)", () => {
    const probes = findings.filter((f) => f.ruleId === "liveness-probe-missing");
    expect(probes).toHaveLength(3);
    const container = lineOf("base/deployment.yaml", "- name: web");
    for (const f of probes) expect([f.file, f.line]).toEqual([`${ROOT}/base/deployment.yaml`, container]);
  });

  it("points a generated ConfigMap at its generator entry in kustomization.yaml, a real file (also in SARIF)", () => {
    const f = only("configmap-secret");
    expect(f.map((x) => x.release).sort()).toEqual([
      `kustomization ${ROOT}/base`,
      `kustomization ${ROOT}/overlays/production`,
      `kustomization ${ROOT}/overlays/staging`,
    ]);
    for (const x of f) expect(at(x)).toEqual([`${ROOT}/base/kustomization.yaml`, lineOf("base/kustomization.yaml", "DB_PASSWORD="), true]);
    const sarif = formatSarif(result, {});
    expect(sarif).toContain(`"uri": "${ROOT}/base/kustomization.yaml"`);
    expect(sarif).not.toContain("(kustomize build)");
    expect(findings.some((x) => x.file?.includes("(kustomize build)") === true)).toBe(false);
  });

  it("points a generated Secret at its entry and never prints its value", () => {
    const loaded = loadResources({ paths: [`${ROOT}/overlays/staging`], cwd: FIXTURES });
    const secret = loaded.resources.find((r) => r.ref.kind === "Secret");
    expect(secret?.file).toBe(`${ROOT}/overlays/staging/kustomization.yaml`);
    const data = secret?.source.locate(["data", "TOKEN"]);
    expect([data?.loc.line, data?.exact]).toEqual([lineOf("overlays/staging/kustomization.yaml", "TOKEN="), true]);
    const whole = secret?.source.locate(["data"]);
    expect([whole?.loc.line, whole?.loc.endLine]).toEqual([
      lineOf("overlays/staging/kustomization.yaml", "- name: api-token"),
      lineOf("overlays/staging/kustomization.yaml", "TOKEN=") + 1,
    ]);
    expect(formatStylish(result, {})).not.toContain("s3cr3t");
  });

  it("reports a base reached through two overlays once per overlay, naming it, and prints it once", () => {
    const f = findings.filter((x) => x.ruleId === "liveness-probe-missing");
    expect(f.map((x) => x.release).sort()).toEqual([
      `kustomization ${ROOT}/base`,
      `kustomization ${ROOT}/overlays/production`,
      `kustomization ${ROOT}/overlays/staging`,
    ]);
    // production adds no prefix: its Deployment has the base's name, and is still its own finding.
    expect(f.filter((x) => x.resource?.name === "web")).toHaveLength(2);
    const out = formatStylish(result, {});
    const block = out.split("\n\n").filter((b) => b.includes("liveness-probe-missing"));
    expect(block).toHaveLength(1);
    expect(block[0]).toContain(`at Deployment/web, container web, from kustomization ${ROOT}/overlays/production`);
    expect(block[0]).toContain(`at Deployment/staging-web, container web, from kustomization ${ROOT}/overlays/staging`);
  });
});

describe("kustomize origins through a chain of overlays", () => {
  // base <- mid (namePrefix mid-, inline SMP adding a sidecar, which kustomize puts first)
  //      <- top (namePrefix top-, a component patching `mid-web`, a JSON 6902 patch on target `.*web`
  //              appending a debug container).
  const findings = scan({ paths: ["kustomize-chain/top"], cwd: FIXTURES, configFile: false }).findings;
  const lineIn = (file: string, needle: string) =>
    readFileSync(join(FIXTURES, "kustomize-chain", file), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(needle)) + 1;
  const find = (ruleId: string, path: string) =>
    findings.filter((f) => f.ruleId === ruleId && f.path.join(".") === path).map((f) => [f.file, f.line]);

  it("follows list items by name across patches, intermediate names and name patterns", () => {
    const spec = "spec.template.spec";
    // The sidecar the mid overlay added (now containers[0]), the base's container (now [1]), the appended one ([2]).
    expect(find("image-tag-mutable", `${spec}.containers.0.image`)).toEqual([
      ["kustomize-chain/mid/kustomization.yaml", lineIn("mid/kustomization.yaml", "busybox:latest")],
    ]);
    expect(find("liveness-probe-missing", `${spec}.containers.1`)).toEqual([
      ["kustomize-chain/base/deployment.yaml", lineIn("base/deployment.yaml", "- name: web")],
    ]);
    expect(find("privileged-container", `${spec}.containers.2.securityContext.privileged`)).toEqual([
      ["kustomize-chain/top/kustomization.yaml", lineIn("top/kustomization.yaml", "privileged: true")],
    ]);
    expect(find("host-network", `${spec}.hostNetwork`)).toEqual([
      ["kustomize-chain/comp/kustomization.yaml", lineIn("comp/kustomization.yaml", "hostNetwork: true")],
    ]);
  });
});
