// Kustomize directories built by the real kustomize (PATH) or the bundled `kubectl kustomize`;
// findings point at the base or overlay file that defines the object.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const lineOf = (file: string, needle: string) =>
  readFileSync(join(FIXTURES, file), "utf8")
    .split("\n")
    .findIndex((l) => l.includes(needle)) + 1;

describe("kustomize input", () => {
  const findings = scan({ paths: ["kustomize"], cwd: FIXTURES, configFile: false }).findings;

  it("builds the base and the overlay, with the overlay's transformations applied", () => {
    const hostNet = findings.filter((f) => f.ruleId === "host-network");
    expect(hostNet.map((f) => f.resource?.name).sort()).toEqual(["prod-web", "web"]);
    expect(hostNet.find((f) => f.resource?.name === "prod-web")?.resource?.namespace).toBe("prod");
    expect(findings.filter((f) => f.ruleId === "render-error")).toEqual([]);
  });

  it("points findings at the file that defines the object (base or overlay)", () => {
    for (const f of findings.filter((x) => x.ruleId === "host-network")) {
      expect(f.file).toBe("kustomize/base/deployment.yaml");
      expect(f.line).toBe(lineOf("kustomize/base/deployment.yaml", "hostNetwork"));
    }
    const priv = findings.filter((f) => f.ruleId === "privileged-container");
    expect(priv).toHaveLength(1);
    expect(priv[0]?.file).toBe("kustomize/overlays/prod/pod.yaml");
    expect(priv[0]?.line).toBe(lineOf("kustomize/overlays/prod/pod.yaml", "privileged"));
  });

  it("does not read a kustomization's own files as plain manifests", () => {
    // The overlay's pod is only in the overlay build: one finding, not two.
    expect(findings.filter((f) => f.resource?.name === "debug" && f.ruleId === "privileged-container")).toHaveLength(0);
    expect(findings.filter((f) => f.resource?.name === "prod-debug" && f.ruleId === "privileged-container")).toHaveLength(1);
  });

  it("applies the file-size limit to the built output (issue 9 item 6)", () => {
    // Every file is under 300 bytes; the overlay's build (base + pod + origin annotations) is not.
    const r = scan({ paths: ["kustomize/overlays/prod"], cwd: FIXTURES, configFile: false, maxFileSize: 300 });
    const errors = r.findings.filter((f) => f.ruleId === "render-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("built output is over the 300 bytes file-size limit");
    expect(errors[0]?.file).toBe("kustomize/overlays/prod/kustomization.yaml");
  });
});
