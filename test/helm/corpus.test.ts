// End to end on real charts from the shared corpus (../shared/corpus, outside the repo). Renders
// differ per run (randAlphaNum), so these compare findings and mappings, never bytes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../src/api.js";

const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "mycharts");
const present = existsSync(join(CORPUS, "charts"));
if (!present) console.warn(`corpus tests skipped: ${CORPUS} is absent (see ../shared/corpus/README.md)`);

function scanCharts(charts: string[], kubeVersion?: string): Finding[] {
  return scan({
    paths: charts.map((c) => join("charts", c)),
    cwd: CORPUS,
    configFile: false,
    helm: kubeVersion === undefined ? {} : { kubeVersion },
  }).findings;
}

function textLine(file: string, line: number): string {
  return readFileSync(join(CORPUS, file), "utf8").split("\n")[line - 1] ?? "";
}

describe.skipIf(!present)("corpus charts", () => {
  // describe.skipIf still runs this body to collect the tests: scan only when the corpus is there.
  const findings = present ? scanCharts(["nginx", "airflow", "gitlab", "artifact-hub", "rancher"]) : [];

  it("renders them, falling back to --skip-schema-validation with a notice", () => {
    const notices = findings.filter((f) => f.ruleId === "not-scanned" && f.messageId === "notice");
    // (rancher's notice says which --kube-version it was rendered with, below.)
    expect(notices.map((f) => f.file).sort()).toEqual([
      "charts/artifact-hub/Chart.yaml",
      "charts/rancher/Chart.yaml",
    ]);
    expect(notices.find((f) => f.file === "charts/artifact-hub/Chart.yaml")?.remediation).toMatch(
      /^Vendor the remote schemas/,
    );
    expect(findings.some((f) => f.file?.startsWith("charts/artifact-hub/templates/"))).toBe(true);
    for (const c of ["nginx", "airflow", "gitlab"]) {
      expect(findings.some((f) => f.file?.startsWith(`charts/${c}/`) && f.ruleId !== "render-error")).toBe(
        true,
      );
    }
  });

  it("renders rancher (kubeVersion < 1.26.0-0) with the newest Kubernetes it allows, and says so (issue 8 item 7)", () => {
    expect(findings.some((f) => f.ruleId === "render-error" && f.file?.startsWith("charts/rancher/"))).toBe(
      false,
    );
    const notice = findings.find((f) => f.ruleId === "not-scanned" && f.file === "charts/rancher/Chart.yaml");
    expect(notice?.message).toContain("rendered with --kube-version v1.25.0");
    expect(textLine("charts/rancher/Chart.yaml", notice?.line ?? 0)).toMatch(/^kubeVersion:/);
    expect(findings.some((f) => f.file?.startsWith("charts/rancher/templates/"))).toBe(true);
  });

  it("says which --kube-version rancher needs when another is given, and renders with it", () => {
    const bad = scanCharts(["rancher"], "v1.30.0");
    const err = bad.find((f) => f.ruleId === "render-error" && f.file?.startsWith("charts/rancher/"));
    expect(err?.message).toContain("--kube-version v1.25.0");
    const ok = scanCharts(["rancher"], "v1.25.16");
    expect(ok.some((f) => f.ruleId === "render-error")).toBe(false);
    expect(ok.some((f) => f.file?.startsWith("charts/rancher/templates/"))).toBe(true);
  });

  it("gives every rule finding a template location that exists in that file", () => {
    const ruled = findings.filter((f) => f.category !== "input");
    expect(ruled.length).toBeGreaterThan(100);
    for (const f of ruled) {
      expect(f.template, `${f.ruleId} ${f.file}`).toBeDefined();
      if (f.template === undefined || f.template.file.includes(".tgz/")) continue;
      expect(existsSync(join(CORPUS, f.template.file)), f.template.file).toBe(true);
      expect(textLine(f.template.file, f.template.line), `${f.template.file}:${f.template.line}`).not.toBe(
        undefined,
      );
    }
  });

  /** Rules without a fix that name the missing setting below the reported container or pod. */
  const NAMED_FIELD_RULES = new Set([
    "security-context-missing",
    "liveness-probe-missing",
    "default-service-account",
    "readiness-probe-missing",
  ]);

  it("points values lines at the key the values path ends with (for a missing key, at a set parent)", () => {
    const withFile = findings.filter((f) => f.values?.file !== undefined && f.values.line !== undefined);
    expect(withFile.length).toBeGreaterThan(20);
    for (const f of withFile) {
      const v = f.values;
      if (v?.file === undefined || v.line === undefined || v.file.includes(".tgz/")) continue;
      const keys = v.path.replace(/\[\d+\]$/, "").split(".");
      const line = textLine(v.file, v.line);
      if (/\[\d+\]$/.test(v.path)) continue; // list items are `- ...`
      // A key the finding says is missing is not in the values file: its nearest set parent is. So
      // for a finding at a parent that lacks the setting its fix (or the rule) names.
      const below =
        f.exact === false ||
        (f.fix?.ops ?? []).some((op) => op.path.length > f.path.length) ||
        NAMED_FIELD_RULES.has(f.ruleId);
      const allowed = below ? keys : keys.slice(-1);
      expect(line, `${v.path} at ${v.file}:${v.line}`).toMatch(
        new RegExp(`^\\s*(- )?["']?(${allowed.join("|")})["']?\\s*:`),
      );
    }
  });

  it("maps nginx's resources to the toYaml line and values.yaml", () => {
    const f = findings.find(
      (x) => x.ruleId === "cpu-limit-missing" && x.file === "charts/nginx/templates/deployment.yaml",
    );
    expect(f?.template?.line).toBe(
      readFileSync(join(CORPUS, "charts/nginx/templates/deployment.yaml"), "utf8")
        .split("\n")
        .findIndex((l) => l.includes("toYaml .Values.resources")) + 1,
    );
    expect(f?.values).toMatchObject({ path: "resources.limits.cpu", file: "charts/nginx/values.yaml" });
  });

  it("maps templates of packaged subcharts (gitlab's .tgz dependencies)", () => {
    expect(findings.some((f) => f.template?.file.includes(".tgz/") === true)).toBe(true);
  });
});
