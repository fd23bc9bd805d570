import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";

const pod = "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: a:1\n";

describe("walking directories", () => {
  it("does not read kubeward's own config file as a manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-walk-"));
    writeFileSync(join(dir, ".kubeward.yaml"), "rules:\n  privileged-container: off\n");
    writeFileSync(join(dir, "pod.yaml"), pod);
    const r = scan({ paths: ["."], cwd: dir, configFile: false });
    expect(r.summary).toMatchObject({ files: 1, resources: 1, skipped: 0 });
  });

  // Permissions do not stop root, so this runs only as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("reports an unreadable subdirectory and scans the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-walk-"));
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked", "pod.yaml"), pod);
    writeFileSync(join(dir, "pod.yaml"), pod);
    chmodSync(join(dir, "locked"), 0o000);
    try {
      const r = scan({ paths: ["."], cwd: dir, configFile: false });
      expect(r.summary.resources).toBe(1);
      expect(r.findings.filter((f) => f.ruleId === "parse-error").map((f) => `${f.file} ${f.messageId}`)).toEqual([
        "locked unreadable",
      ]);
    } finally {
      chmodSync(join(dir, "locked"), 0o755);
    }
  });
});
