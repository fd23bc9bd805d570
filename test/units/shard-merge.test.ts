// N shard processes + `kubeward merge` give exactly the single-process report (issue 13 item 3).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { privilegedDeployment, tempTree } from "../e2e/helpers.js";

const repo = join(import.meta.dirname, "..", "..");
const main = join(repo, "src", "cli", "main.ts");
const tsx = createRequire(import.meta.url).resolve("tsx");

/** A real `kubeward` process, run from the sources through tsx. */
function kubeward(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ["--import", tsx, main, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "true" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files: Record<string, string> = {};
for (let i = 0; i < 12; i++) {
  files[`repo/team-${i % 3}/app-${i}.yaml`] =
    privilegedDeployment(`app-${i}`, { namespace: `ns-${i % 3}` }) +
    `---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: ns-${i % 3}}\nspec:\n  selector: {app: nothing-${i}}\n  ports: [{port: 80}]\n`;
}
files["repo/team-0/broken.yaml"] = "a: [unclosed\n";
const BROKEN = "kubeward: 1 input could not be read, parsed or rendered (repo/team-0/broken.yaml); exit 2\n";

describe("--shard I/N and merge", () => {
  const dir = tempTree(files);
  let single = "";
  beforeAll(() => {
    const r = kubeward(["scan", "repo", "--unit", "file", "--format", "json", "-o", "single.json"], dir);
    // broken.yaml cannot be parsed: the full report is written, then exit 2 naming it (issue 9).
    expect(r.stderr).toBe(BROKEN);
    expect(r.code).toBe(2);
    single = readFileSync(join(dir, "single.json"), "utf8");
  }, 120_000);

  it("3 shard processes, merged, give the single-process JSON report byte for byte", () => {
    const shards = [1, 2, 3].map((i) => {
      const r = kubeward(
        ["scan", "repo", "--unit", "file", "--shard", `${i}/3`, "--format", "json", "-o", `shard-${i}.json`],
        dir,
      );
      expect(["", BROKEN]).toContain(r.stderr);
      return JSON.parse(readFileSync(join(dir, `shard-${i}.json`), "utf8")) as { summary: { files: number } };
    });
    // Each shard scanned a share, and the shares add up to every file.
    expect(shards.map((s) => s.summary.files).every((n) => n > 0 && n < 13)).toBe(true);
    expect(shards.reduce((n, s) => n + s.summary.files, 0)).toBe(13);
    const merged = kubeward(
      ["merge", "shard-1.json", "shard-2.json", "shard-3.json", "--format", "json"],
      dir,
    );
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(single);
    // Any order of the reports gives the same result.
    expect(
      kubeward(["merge", "shard-3.json", "shard-1.json", "shard-2.json", "--format", "json"], dir).stdout,
    ).toBe(single);
  }, 120_000);

  it("merge emits other formats and rejects what is not a kubeward JSON report", () => {
    const sarif = kubeward(["merge", "single.json", "--format", "sarif"], dir);
    expect((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]?.results.length).toBe(
      (JSON.parse(single) as { findings: unknown[] }).findings.length,
    );
    const bad = kubeward(["merge", "repo/team-0/app-0.yaml"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kubeward: repo\/team-0\/app-0.yaml is not JSON/);
  }, 120_000);

  it("refuses --shard without a unit, and bad shard specs, with a usage error", () => {
    for (const args of [
      ["--shard", "1/2"],
      ["--unit", "file", "--shard", "3/2"],
      ["--unit", "file", "--shard", "x"],
    ]) {
      const r = kubeward(["scan", "repo", ...args], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^kubeward: .*shard/);
    }
  }, 120_000);
});
