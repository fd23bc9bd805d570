// GitOps sources (issue 8 item 9): a Flux Kustomization or HelmRelease whose source is an
// ExternalArtifact built by an ArtifactGenerator from this repository resolves to local folders; a
// GitRepository of another repository is remote; Argo CD plugin and jsonnet sources get a "not
// scanned" notice naming the Application at its line; multi-source Applications are handled per
// source (a `ref` source lends its value files); each notice is reported once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanResult } from "../../src/api.js";

const write = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n`;
const doc = (lines: string[]) => `${lines.join("\n")}\n---\n`;

describe("GitOps sources", () => {
  let repo = "";
  let result: ScanResult;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "kubeward-gitops-sources-"));
    write(join(repo, ".git", "config"), '[remote "origin"]\n\turl = https://github.com/acme/fleet.git\n');
    write(join(repo, "apps", "net", "pod.yaml"), pod("artifact-pod"));
    write(join(repo, "apps", "jsonnet", "pod.yaml"), pod("jsonnet-yaml-pod"));
    write(join(repo, "apps", "jsonnet", "main.jsonnet"), "{ apiVersion: 'v1', kind: 'ConfigMap' }\n");
    write(join(repo, "apps", "plugin", "pod.yaml"), pod("plugin-pod"));
    write(join(repo, "charts", "app", "Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    write(join(repo, "charts", "app", "values.yaml"), "privileged: false\n");
    write(
      join(repo, "charts", "app", "templates", "pod.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: {{ .Values.privileged }}\n",
    );
    write(join(repo, "envs", "prod.yaml"), "privileged: true\n");
    write(
      join(repo, "clusters", "flux.yaml"),
      doc([
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata:\n  name: fleet\n  namespace: flux-system",
        "spec:\n  url: https://github.com/acme/fleet",
      ]) +
        doc([
          "apiVersion: source.toolkit.fluxcd.io/v1",
          "kind: GitRepository",
          "metadata:\n  name: other\n  namespace: flux-system",
          "spec:\n  url: https://github.com/someone/else",
        ]) +
        doc([
          "apiVersion: source.extensions.fluxcd.io/v1beta1",
          "kind: ArtifactGenerator",
          "metadata:\n  name: split\n  namespace: flux-system",
          "spec:",
          "  sources:\n    - alias: repo\n      kind: GitRepository\n      name: fleet",
          "  artifacts:",
          '    - name: net\n      copy:\n        - from: "@repo/apps/net/**"\n          to: "@artifact/"',
          '    - name: some-files\n      copy:\n        - from: "@repo/apps/net/*.yaml"\n          to: "@artifact/"',
          '    - name: app-chart\n      copy:\n        - from: "@repo/charts/app/**"\n          to: "@artifact/"',
        ]) +
        doc([
          "apiVersion: kustomize.toolkit.fluxcd.io/v1",
          "kind: Kustomization",
          "metadata:\n  name: from-artifact\n  namespace: flux-system",
          "spec:\n  path: ./\n  sourceRef:\n    kind: ExternalArtifact\n    name: net",
        ]) +
        doc([
          "apiVersion: kustomize.toolkit.fluxcd.io/v1",
          "kind: Kustomization",
          "metadata:\n  name: foreign-artifact\n  namespace: flux-system",
          "spec:\n  path: ./\n  sourceRef:\n    kind: ExternalArtifact\n    name: built-elsewhere",
        ]) +
        doc([
          "apiVersion: kustomize.toolkit.fluxcd.io/v1",
          "kind: Kustomization",
          "metadata:\n  name: file-glob\n  namespace: flux-system",
          "spec:\n  path: ./\n  sourceRef:\n    kind: ExternalArtifact\n    name: some-files",
        ]) +
        doc([
          "apiVersion: helm.toolkit.fluxcd.io/v2",
          "kind: HelmRelease",
          "metadata:\n  name: artifact-chart\n  namespace: flux-system",
          "spec:",
          "  targetNamespace: artifact",
          "  chartRef:\n    kind: ExternalArtifact\n    name: app-chart",
          "  values:\n    privileged: true",
        ]) +
        doc([
          "apiVersion: helm.toolkit.fluxcd.io/v2",
          "kind: HelmRelease",
          "metadata:\n  name: foreign-chart\n  namespace: flux-system",
          "spec:",
          "  chart:\n    spec:\n      chart: charts/app\n      sourceRef:\n        kind: GitRepository\n        name: other",
          "  values:\n    privileged: true",
        ]),
    );
    write(
      join(repo, "clusters", "argo.yaml"),
      doc([
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:\n  name: with-plugin\n  namespace: argocd",
        "spec:",
        "  source:\n    repoURL: https://github.com/acme/fleet.git\n    path: apps/plugin",
        "    plugin:\n      name: cdk8s",
      ]) +
        doc([
          "apiVersion: argoproj.io/v1alpha1",
          "kind: Application",
          "metadata:\n  name: with-jsonnet\n  namespace: argocd",
          "spec:",
          "  source:\n    repoURL: https://github.com/acme/fleet.git\n    path: apps/jsonnet",
        ]) +
        doc([
          "apiVersion: argoproj.io/v1alpha1",
          "kind: Application",
          "metadata:\n  name: multi\n  namespace: argocd",
          "spec:",
          "  destination:\n    namespace: multi",
          "  sources:",
          "    - repoURL: https://github.com/acme/fleet.git\n      path: charts/app",
          "      helm:\n        valueFiles:\n          - $values/envs/prod.yaml",
          "    - repoURL: https://github.com/acme/fleet.git\n      ref: values",
        ]) +
        doc([
          "apiVersion: argoproj.io/v1alpha1",
          "kind: Application",
          "metadata:\n  name: remote-values\n  namespace: argocd",
          "spec:",
          "  destination:\n    namespace: remote-values",
          "  sources:",
          "    - repoURL: https://github.com/acme/fleet.git\n      path: charts/app",
          "      helm:\n        valueFiles:\n          - $cfg/envs/prod.yaml",
          "    - repoURL: https://github.com/someone/config.git\n      ref: cfg",
        ]) +
        doc([
          "apiVersion: argoproj.io/v1alpha1",
          "kind: Application",
          "metadata:\n  name: twice\n  namespace: argocd",
          "spec:",
          "  sources:",
          "    - repoURL: https://charts.example.com\n      chart: nginx",
          "    - repoURL: https://charts.example.com\n      chart: nginx",
        ]),
    );
    result = scan({ paths: ["clusters"], cwd: repo, configFile: false });
  });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  const privileged = () =>
    result.findings.filter((f) => f.ruleId === "privileged-container").map((f) => f.resource?.name);
  const notices = (name: string) =>
    result.findings.filter((f) => f.ruleId === "not-scanned" && f.message.includes(` ${name}: `));
  /** The line of the object's first line (`apiVersion:`) in `file`. */
  const objectLine = (file: string, name: string) => {
    const lines = readFileSync(join(repo, file), "utf8").split("\n");
    const at = lines.findIndex((l) => l === `  name: ${name}`);
    return lines.slice(0, at).findLastIndex((l) => l.startsWith("apiVersion:")) + 1;
  };

  it("resolves a Flux Kustomization on an ExternalArtifact that an ArtifactGenerator copies from this repository", () => {
    expect(privileged()).toContain("artifact-pod");
    expect(notices("from-artifact")).toEqual([]);
  });

  it("says why an ExternalArtifact is not scanned, at the Kustomization's line", () => {
    const [foreign] = notices("foreign-artifact");
    expect(foreign?.message).toBe(
      "Kustomization foreign-artifact: not scanned: ExternalArtifact built-elsewhere is built by a controller outside the scanned tree",
    );
    expect(foreign?.file).toBe("clusters/flux.yaml");
    expect(foreign?.line).toBe(objectLine("clusters/flux.yaml", "foreign-artifact"));
    expect(notices("file-glob")[0]?.message).toContain('copies @repo/apps/net/*.yaml, not a whole folder');
  });

  it("renders a HelmRelease whose chartRef is an ExternalArtifact copied from a chart folder of this repository", () => {
    expect(notices("artifact-chart")).toEqual([]);
    const f = result.findings.find(
      (x) => x.ruleId === "privileged-container" && x.resource?.namespace === "artifact",
    );
    expect(f?.file).toBe("charts/app/templates/pod.yaml");
    expect(f?.release).toBe("HelmRelease flux-system/artifact-chart");
  });

  it("treats a HelmRelease chart in another repository's GitRepository as remote, even when the path exists here", () => {
    expect(privileged()).not.toContain("foreign-chart");
    const [n] = notices("foreign-chart");
    expect(n?.message).toBe(
      "HelmRelease foreign-chart: not scanned: remote source https://github.com/someone/else (path charts/app)",
    );
  });

  it("gives an Argo CD plugin source a notice naming the Application at its line, and does not scan its folder as plain YAML", () => {
    const [n] = notices("with-plugin");
    expect(n?.message).toBe(
      "Application with-plugin: not scanned: config management plugin cdk8s (https://github.com/acme/fleet.git, path apps/plugin); kubeward does not run plugins",
    );
    expect(n?.line).toBe(objectLine("clusters/argo.yaml", "with-plugin"));
    expect(privileged()).not.toContain("plugin-pod");
  });

  it("says the jsonnet of a directory source is not evaluated, and still scans its YAML", () => {
    const [n] = notices("with-jsonnet");
    expect(n?.message).toBe(
      "Application with-jsonnet: not scanned: jsonnet in apps/jsonnet (main.jsonnet) is not evaluated; only its YAML and JSON files are scanned",
    );
    expect(n?.line).toBe(objectLine("clusters/argo.yaml", "with-jsonnet"));
    expect(privileged()).toContain("jsonnet-yaml-pod");
  });

  it("renders a multi-source Application's chart with a value file of its `ref` source, with no notice for the ref", () => {
    expect(result.findings.filter((f) => f.ruleId === "render-error")).toEqual([]);
    expect(notices("multi")).toEqual([]);
    const f = result.findings.find((x) => x.ruleId === "privileged-container" && x.resource?.namespace === "multi");
    expect(f?.values?.file).toBe("envs/prod.yaml");
  });

  it("does not render a chart whose `$ref` value file is in another repository, and says so", () => {
    expect(notices("remote-values").map((f) => f.message)).toEqual([
      "Application remote-values: not scanned: remote source https://github.com/someone/config.git (values file $cfg/envs/prod.yaml for charts/app)",
    ]);
    expect(result.findings.some((f) => f.resource?.namespace === "remote-values")).toBe(false);
  });

  it("prints each notice once", () => {
    expect(notices("twice").map((f) => f.message)).toEqual([
      "Application twice: not scanned: remote source https://charts.example.com (chart nginx)",
    ]);
  });
});
