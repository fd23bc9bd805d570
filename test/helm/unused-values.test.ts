// helm-unused-value (issue 8 item 8): a key of the user's values that no template reads, that the
// chart's values.yaml lacks and that values.schema.json does not declare is reported at its line,
// with the closest existing key. Everything the templates might read is left alone.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const CHART = join("unused-values", "app");
const lineOf = (file: string, needle: string) =>
  readFileSync(join(FIXTURES, file), "utf8")
    .split("\n")
    .findIndex((l) => l.startsWith(needle)) + 1;

describe("helm-unused-value", () => {
  const findings = scan({
    paths: [CHART],
    cwd: FIXTURES,
    configFile: false,
    helm: { values: ["unused-values/typos.yaml"], set: ["servce.port=81", "service.port=82,replicaCount=2"] },
  }).findings.filter((f) => f.ruleId === "helm-unused-value");

  it("reports each unread key of a -f file at its line, with the closest key", () => {
    const inFile = findings.filter((f) => f.file === "unused-values/typos.yaml");
    expect(
      inFile.map((f) => [f.line, f.column, f.message.replace(/ is read by.*?ignores it\./, " …")]),
    ).toEqual([
      [lineOf("unused-values/typos.yaml", "replicaCont:"), 1, "`replicaCont` … Did you mean `replicaCount`?"],
      [lineOf("unused-values/typos.yaml", "  tagg:"), 3, "`image.tagg` … Did you mean `image.tag`?"],
      [lineOf("unused-values/typos.yaml", "  regoin:"), 3, "`global.regoin` … Did you mean `global.region`?"],
      [lineOf("unused-values/typos.yaml", "  storag:"), 3, "`db.storag` … Did you mean `db.storage`?"],
      [lineOf("unused-values/typos.yaml", "ingres:"), 1, "`ingres` …"],
    ]);
    expect(inFile[0]?.message).toBe(
      "`replicaCont` is read by no template of chart unused-values/app and is not in its values.yaml or values.schema.json; helm ignores it. Did you mean `replicaCount`?",
    );
    expect(inFile[0]?.severity).toBe("medium");
  });

  it("reports an unread --set key at the chart, naming the flag", () => {
    const set = findings.filter((f) => f.file !== "unused-values/typos.yaml");
    expect(set.map((f) => [f.file, f.line, f.message])).toEqual([
      [
        "unused-values/app/Chart.yaml",
        1,
        "`--set servce.port=81` sets `servce`, which no template of chart unused-values/app reads and its values.yaml and values.schema.json do not have; helm ignores it. Did you mean `service`?",
      ],
    ]);
  });
});

describe("helm-unused-value in GitOps inline values", () => {
  const repo = mkdtempSync(join(tmpdir(), "kubeward-unused-"));
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });
  cpSync(join(FIXTURES, CHART), join(repo, "charts", "app"), { recursive: true });
  const file = join(repo, "clusters", "apps.yaml");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata:\n  name: web\n  namespace: flux-system",
      "spec:",
      "  chart:\n    spec:\n      chart: charts/app\n      sourceRef:\n        kind: GitRepository\n        name: self",
      "  values:",
      "    replicaCount: 2",
      "    image:",
      "      tagg: x",
      "---",
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:\n  name: web\n  namespace: argocd",
      "spec:",
      "  source:\n    repoURL: https://example.com/this.git\n    path: charts/app",
      "    helm:",
      "      valuesObject:",
      "        replicaCont: 3",
      "",
    ].join("\n"),
  );
  const findings = scan({ paths: ["clusters"], cwd: repo, configFile: false }).findings.filter(
    (f) => f.ruleId === "helm-unused-value",
  );
  const lines = readFileSync(file, "utf8").split("\n");

  it("points at the key inside the HelmRelease's spec.values and the Application's valuesObject", () => {
    expect(findings.map((f) => [f.file, f.line, /`([^`]+)`/.exec(f.message)?.[1]])).toEqual([
      ["clusters/apps.yaml", lines.indexOf("      tagg: x") + 1, "image.tagg"],
      ["clusters/apps.yaml", lines.indexOf("        replicaCont: 3") + 1, "replicaCont"],
    ]);
  });
});

describe("helm-unused-value when a chart file is not read", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubeward-unused-big-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  cpSync(join(FIXTURES, CHART), join(dir, "app"), { recursive: true });
  writeFileSync(join(dir, "typos.yaml"), "replicaCont: 3\n");
  const run = () =>
    scan({ paths: ["app"], cwd: dir, configFile: false, helm: { values: ["typos.yaml"] } }).findings.filter(
      (f) => f.ruleId === "helm-unused-value",
    );

  it("reports nothing when a file a `tpl` might render was over the size limit", () => {
    expect(run()).toHaveLength(1);
    mkdirSync(join(dir, "app", "files"));
    writeFileSync(
      join(dir, "app", "files", "big.conf"),
      `x: {{ .Values.replicaCont }}\n${"#".repeat(300_000)}\n`,
    );
    expect(run()).toEqual([]);
  });
});
