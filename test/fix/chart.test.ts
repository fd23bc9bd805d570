// `kubeward fix CHART`: fixes through a values override and literal template patches, verified by
// rendering the chart again with real helm. Charts: test/fix/fixtures/charts/web (toYaml blocks, direct
// `.Values.x` scalars, a Job whose fields are hard-coded).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fix, scan } from "../../src/api.js";
import { run } from "../../src/cli/main.js";
import { parseValuesPath, templateEdit } from "../../src/fix/template.js";
import { findHelm } from "../../src/inputs/tools.js";

const CHARTS = join(import.meta.dirname, "fixtures", "charts");
const hasHelm = findHelm() !== undefined;
const tmp = mkdtempSync(join(tmpdir(), "kw-fix-chart-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A private copy of the charts directory (tests may write into it). */
function copyCharts(): string {
  const dir = mkdtempSync(join(tmp, "c-"));
  cpSync(CHARTS, dir, { recursive: true });
  return dir;
}

const ids = (fs: readonly { ruleId: string; resource?: { kind: string } }[], kind: string) =>
  fs
    .filter((f) => f.resource?.kind === kind)
    .map((f) => f.ruleId)
    .sort();

describe("template edits (pure)", () => {
  it("parses values paths as the mapping writes them", () => {
    expect(parseValuesPath("resources.limits.cpu")).toEqual(["resources", "limits", "cpu"]);
    expect(parseValuesPath("sidecars[1].securityContext")).toEqual(["sidecars", 1, "securityContext"]);
  });

  const tpl = [
    "spec:",
    "  containers:",
    "    - name: app",
    "      image: {{ .Values.image }}",
    "      securityContext:",
    "        privileged: true",
    "      resources:",
    "        {{- toYaml .Values.resources | nindent 8 }}",
    "",
  ].join("\n");

  it("edits a literal block like a manifest", () => {
    const r = templateEdit(
      tpl,
      5,
      "securityContext",
      { privileged: true },
      {
        op: "set",
        path: ["privileged"],
        value: false,
      },
    );
    expect("edit" in r && r.edit).toEqual({
      range: [tpl.indexOf("true"), tpl.indexOf("true") + 4],
      text: "false",
    });
  });

  it("inserts a new key under a literal item line whose block holds actions, at the item's indentation", () => {
    const r = templateEdit(
      tpl,
      3,
      0,
      { name: "app", image: "x" },
      {
        op: "set",
        path: ["securityContext", "runAsNonRoot"],
        value: true,
      },
    );
    if (!("edit" in r)) throw new Error(r.error);
    const after = tpl.slice(0, r.edit.range[0]) + r.edit.text + tpl.slice(r.edit.range[1]);
    expect(after).toContain(
      "    - name: app\n      securityContext:\n        runAsNonRoot: true\n      image:",
    );
  });

  it("uses the nindent of an action for keys added to a block that only an action fills", () => {
    const r = templateEdit(tpl, 7, "resources", {}, { op: "set", path: ["limits", "cpu"], value: "1" });
    if (!("edit" in r)) throw new Error(r.error);
    expect(r.edit.text).toBe('        limits:\n          cpu: "1"\n');
  });

  it("refuses a line with a template action, a block that differs from the render, and removals inside actions", () => {
    expect(templateEdit(tpl, 4, "image", "x", { op: "set", path: ["a"], value: 1 })).toEqual({
      error: "template line 4 holds a template action",
    });
    const differs = templateEdit(
      tpl,
      5,
      "securityContext",
      { privileged: false },
      {
        op: "set",
        path: ["runAsNonRoot"],
        value: true,
      },
    );
    expect("error" in differs && differs.error).toMatch(/differs from what was rendered/);
    expect(templateEdit(tpl, 3, 0, { name: "app" }, { op: "remove", path: ["image"] })).toEqual({
      error: "the field is written inside template actions",
    });
  });
});

describe.skipIf(!hasHelm)("fix a Helm chart through its values", () => {
  it("writes an override that, passed with -f, removes the findings values control; verified by helm", () => {
    const dir = copyCharts();
    const before = readFileSync(join(dir, "web/templates/job.yaml"), "utf8");
    const r = fix({ paths: ["web"], cwd: dir, configFile: false, unsafe: true });
    const chart = r.charts[0];
    if (chart === undefined) throw new Error("no chart result");
    expect(chart.error).toBeUndefined();
    const byKey = new Map(chart.valuesFixes.map((v) => [v.ruleId, v.valuesPath]));
    // toYaml blocks, extended by the missing keys; a direct `.Values.x` scalar.
    expect(byKey.get("cpu-limit-missing")).toBe("resources.limits.cpu");
    expect(byKey.get("memory-limit-missing")).toBe("resources.limits.memory");
    expect(byKey.get("read-only-root-filesystem")).toBe("securityContext.readOnlyRootFilesystem");
    expect(byKey.get("apparmor-profile")).toBe("podSecurityContext.appArmorProfile");
    expect(byKey.get("service-account-token-automount")).toBe("automountToken");
    expect(chart.override).toContain("resources:\n  limits:\n    cpu: 100m\n    memory: 128Mi\n");
    expect(chart.override).toContain("automountToken: false\n");
    // Leaving the host network brings a NetworkPolicy finding: dropped, and said why.
    const hostNetwork = r.unfixed.find((u) => u.ruleId === "host-network");
    expect(hostNetwork?.status).toBe("failed");
    expect(hostNetwork?.reason).toMatch(/gains a finding \(workload-without-network-policy/);
    expect(chart.override).not.toContain("hostNetwork");
    // Hard-coded Job fields: not reachable through values, a template patch is proposed, nothing changed.
    const privileged = r.unfixed.find((u) => u.ruleId === "privileged-container");
    expect(privileged?.reason).toMatch(/template writes .*privileged/);
    expect(chart.proposed).toContain("-            privileged: true\n");
    expect(chart.proposed).toContain("+            privileged: false\n");
    expect(readFileSync(join(dir, "web/templates/job.yaml"), "utf8")).toBe(before);
    expect(chart.patches).toEqual([]);

    // The override, passed with -f by a plain scan: the Deployment's value-controlled findings are gone.
    writeFileSync(join(dir, "override.yaml"), chart.override);
    const plain = scan({ paths: ["web"], cwd: dir, configFile: false });
    const withOverride = scan({
      paths: ["web"],
      cwd: dir,
      configFile: false,
      helm: { values: ["override.yaml"] },
    });
    expect(ids(plain.findings, "Deployment")).toContain("cpu-limit-missing");
    for (const id of byKey.keys()) expect(ids(withOverride.findings, "Deployment")).not.toContain(id);
    expect(withOverride.findings.length).toBe(chart.findingsAfter);
    expect(chart.findingsAfter).toBeLessThanOrEqual(plain.findings.length - chart.valuesFixes.length);
    // No new finding: every rule/object pair after was there before.
    const pairs = (fs: typeof plain.findings) =>
      new Set(fs.map((f) => `${f.ruleId} ${f.resource?.kind ?? ""}`));
    const old = pairs(plain.findings);
    expect([...pairs(withOverride.findings)].filter((p) => !old.has(p))).toEqual([]);
  }, 180_000);

  it("knows an object whose name the chart draws at random by its place, not as a new object in every render", () => {
    const dir = copyCharts();
    // A test Pod named with randAlphaNum: a new name (and so a new finding on it) in each render.
    writeFileSync(
      join(dir, "web/templates/test-pod.yaml"),
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}",
        "spec:",
        "  containers:",
        "    - name: test",
        "      image: {{ .Values.image }}",
        "",
      ].join("\n"),
    );
    const r = fix({
      paths: ["web"],
      cwd: dir,
      configFile: false,
      unsafe: true,
      onlyRules: ["cpu-limit-missing"],
    });
    const chart = r.charts[0];
    if (chart === undefined) throw new Error("no chart result");
    expect(chart.valuesFixes.map((v) => `${v.ruleId} ${v.valuesPath}`)).toEqual([
      "cpu-limit-missing resources.limits.cpu",
    ]);
    expect(r.unfixed.filter((u) => u.status === "failed")).toEqual([]);
    expect(chart.findingsAfter).toBeLessThan(chart.findingsBefore);
  }, 180_000);

  it("keeps the user's -f values in force: derives from them and extends their lists", () => {
    const dir = copyCharts();
    const r = fix({
      paths: ["web"],
      cwd: dir,
      configFile: false,
      unsafe: true,
      helm: { values: ["user-values.yaml"] },
    });
    const chart = r.charts[0];
    if (chart === undefined) throw new Error("no chart result");
    // The user set limits.cpu: only the memory limit is added, from the user's request.
    expect(chart.override).toContain("resources:\n  limits:\n    memory: 256Mi\n");
    expect(chart.override).not.toMatch(/cpu:/);
    // drop: [NET_RAW] from the user's file is kept, ALL appended.
    expect(chart.override).toContain("    drop:\n      - NET_RAW\n      - ALL\n");
  }, 180_000);

  it("--patch-templates applies verified template patches for hard-coded fields (written with --write)", () => {
    const dir = copyCharts();
    const r = fix({ paths: ["web"], cwd: dir, configFile: false, unsafe: true, patchTemplates: true });
    const chart = r.charts[0];
    if (chart === undefined) throw new Error("no chart result");
    const patch = chart.patches.find((p) => p.file === "web/templates/job.yaml");
    expect(patch?.after).toContain("            privileged: false\n");
    expect(patch?.fixes.map((a) => a.ruleId)).toContain("privileged-container");
    // Not written without --write.
    expect(readFileSync(join(dir, "web/templates/job.yaml"), "utf8")).toBe(patch?.before);
    const w = fix({
      paths: ["web"],
      cwd: dir,
      configFile: false,
      unsafe: true,
      patchTemplates: true,
      write: true,
    });
    expect(w.written).toContain("web/templates/job.yaml");
    writeFileSync(join(dir, "override.yaml"), w.charts[0]?.override ?? "");
    const after = scan({ paths: ["web"], cwd: dir, configFile: false, helm: { values: ["override.yaml"] } });
    expect(ids(after.findings, "Job")).not.toContain("privileged-container");
    expect(ids(after.findings, "Job")).not.toContain("privilege-escalation");
    expect(after.findings.length).toBe(w.charts[0]?.findingsAfter);
  }, 240_000);

  it("CLI --values-out writes the override and extends an existing file, keeping its keys and comments", async () => {
    const dir = copyCharts();
    writeFileSync(join(dir, "kv.yaml"), "# mine\nreplicas: 3\n");
    let out = "";
    let err = "";
    const code = await run(
      ["fix", "web", "--no-config", "--rule", "cpu-limit-missing", "--unsafe", "--values-out", "kv.yaml"],
      {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        readStdin: () => "",
        cwd: dir,
        isTTY: false,
        env: process.env,
      },
    );
    expect(err).toContain("wrote kv.yaml");
    expect(code).toBe(0);
    expect(out).toContain("Through values: resources.limits.cpu");
    expect(readFileSync(join(dir, "kv.yaml"), "utf8")).toBe(
      "# mine\nreplicas: 3\nresources:\n  limits:\n    cpu: 100m\n",
    );
    expect(existsSync(join(dir, "web", "kv.yaml"))).toBe(false);
  }, 180_000);
});
