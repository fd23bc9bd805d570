// `kubeward fix OVERLAY --patch-out FILE`: the fixes go into a strategic-merge patch file of the
// overlay (listed under its `patches:`), never into the shared base; verified by building again.
// Fixture: test/fix/fixtures/kustomize (base + prod overlay with namePrefix and namespace).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fix, scan, UsageError } from "../../src/api.js";
import { smpOp, withPatch } from "../../src/fix/kustomize.js";
import { findKustomize } from "../../src/inputs/tools.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "kustomize");
const tmp = mkdtempSync(join(tmpdir(), "kw-fix-kustomize-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function copy(): string {
  const dir = mkdtempSync(join(tmp, "k-"));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe("strategic-merge patches from path operations (pure)", () => {
  const object = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "a", securityContext: { capabilities: { drop: ["NET_RAW"] } } },
            { name: "b", ports: [{ containerPort: 80 }] },
          ],
          tolerations: [{ key: "x" }],
        },
      },
    },
  };
  const c = ["spec", "template", "spec", "containers"];

  it("addresses list items by their merge key, writes primitive lists whole, removes with null", () => {
    const patch = {};
    expect(
      smpOp(patch, object, { op: "set", path: [...c, 1, "securityContext", "privileged"], value: false }),
    ).toBe(undefined);
    expect(
      smpOp(patch, object, {
        op: "append",
        path: [...c, 0, "securityContext", "capabilities", "drop"],
        value: "ALL",
      }),
    ).toBe(undefined);
    expect(smpOp(patch, object, { op: "remove", path: [...c, 1, "ports", 0] })).toBe(undefined);
    expect(smpOp(patch, object, { op: "remove", path: ["spec", "template", "spec", "hostNetwork"] })).toBe(
      undefined,
    );
    expect(patch).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "b",
                securityContext: { privileged: false },
                ports: [{ containerPort: 80, $patch: "delete" }],
              },
              { name: "a", securityContext: { capabilities: { drop: ["NET_RAW", "ALL"] } } },
            ],
            hostNetwork: null,
          },
        },
      },
    });
  });

  it("refuses a list without a merge key", () => {
    expect(
      smpOp({}, object, {
        op: "set",
        path: ["spec", "template", "spec", "tolerations", 0, "effect"],
        value: "NoSchedule",
      }),
    ).toMatch(/without a merge key/);
  });

  it("lists the patch file in the kustomization with a minimal edit, once", () => {
    const text = "# mine\nresources:\n  - ../base\n";
    const r = withPatch(text, "fixes.yaml");
    expect(r).toEqual({ text: "# mine\nresources:\n  - ../base\npatches:\n  - path: fixes.yaml\n" });
    expect("text" in r && withPatch(r.text, "fixes.yaml")).toEqual(r);
  });
});

describe.skipIf(findKustomize() === undefined)("fix a kustomization through an overlay patch", () => {
  it("writes the patch into the overlay, lists it, leaves the base alone; the build then has the findings gone", () => {
    const dir = copy();
    const base = readFileSync(join(dir, "base/deployment.yaml"), "utf8");
    const before = scan({ paths: ["overlay"], cwd: dir, configFile: false });
    const r = fix({
      paths: ["overlay"],
      cwd: dir,
      configFile: false,
      unsafe: true,
      patchOut: "overlay/fixes.yaml",
    });
    const k = r.kustomizations[0];
    if (k === undefined) throw new Error("no kustomization result");
    expect(k.error).toBeUndefined();
    expect(r.written).toEqual(["overlay/fixes.yaml", "overlay/kustomization.yaml"]);
    expect(readFileSync(join(dir, "base/deployment.yaml"), "utf8")).toBe(base);
    const patch = readFileSync(join(dir, "overlay/fixes.yaml"), "utf8");
    // Matched by the base's name (before namePrefix), containers by name.
    expect(patch).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: api\n/);
    expect(patch).toContain("        - name: api\n          securityContext:\n");
    expect(patch).toContain("            limits:\n              cpu: 100m\n");
    expect(readFileSync(join(dir, "overlay/kustomization.yaml"), "utf8")).toBe(
      "# The prod overlay.\nnamePrefix: prod-\nnamespace: shop\nresources:\n  - ../base\npatches:\n  - path: fixes.yaml\n",
    );
    // More replicas would bring no-anti-affinity: dropped by verification, with the reason.
    const replicas = r.unfixed.find((u) => u.ruleId === "too-few-replicas");
    expect(replicas?.status).toBe("failed");
    expect(replicas?.reason).toMatch(/gains a finding \(no-anti-affinity/);
    const after = scan({ paths: ["overlay"], cwd: dir, configFile: false });
    const ids = (fs: typeof after.findings) => fs.map((f) => `${f.ruleId} ${f.container ?? ""}`);
    expect(ids(before.findings)).toContain("privileged-container api");
    expect(ids(after.findings)).not.toContain("privileged-container api");
    expect(ids(after.findings)).not.toContain("cpu-limit-missing sidecar");
    expect(after.findings.length).toBe(k.findingsAfter);
    expect(k.findingsAfter).toBeLessThanOrEqual(before.findings.length - k.fixes.length);
    expect(ids(after.findings).filter((id) => !ids(before.findings).includes(id))).toEqual([]);
  }, 240_000);

  it("fixes only the overlay when the base is found next to it; refuses an existing --patch-out file", () => {
    const dir = copy();
    const r = fix({
      paths: ["."],
      cwd: dir,
      configFile: false,
      onlyRules: ["privileged-container"],
      unsafe: true,
    });
    expect(r.kustomizations.map((k) => k.dir)).toEqual(["overlay"]);
    expect(r.notHandled.map((n) => n.path)).toContain("base");
    expect(existsSync(join(dir, "overlay/kubeward-fixes.yaml"))).toBe(false);
    expect(r.diff).toContain("+++ b/overlay/kubeward-fixes.yaml");
    expect(() =>
      fix({ paths: ["overlay"], cwd: dir, configFile: false, patchOut: "overlay/kustomization.yaml" }),
    ).toThrow(UsageError);
  }, 240_000);
});
