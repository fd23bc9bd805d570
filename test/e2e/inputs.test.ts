// Issue item 2 end to end: directories (recursive, skipping .git/node_modules, other extensions,
// --ignore), multi-document YAML, kind: List, JSON, stdin, and non-Kubernetes YAML skipped and counted.
import { describe, expect, it } from "vitest";
import { defineRule, scan } from "../../src/api.js";
import { scanJson, tempTree } from "./helpers.js";

const PRIVILEGED_POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n`;

describe("inputs", () => {
  it("reads YAML, JSON, multi-document files and Lists; skips and counts non-Kubernetes documents", async () => {
    const dir = tempTree({}, "inputs");
    const { report } = await scanJson(["."], { cwd: dir });
    const hits = report.findings
      .filter((f) => f.ruleId === "privileged-container")
      .map((f) => `${f.file}:${f.line} ${f.resource?.kind ?? ""}/${f.resource?.name ?? ""}`);
    expect(hits).toEqual([
      "list.yaml:13 Pod/in-a-list", // the item of a kind: List, located inside the list
      "multi.yaml:15 Pod/second-doc", // line in the file, not in the document
      "pod.json:7 Pod/from-json",
    ]);
    expect(report.findings.filter((f) => f.ruleId !== "privileged-container")).toEqual([]);
    // notes.yaml has two documents that are not Kubernetes objects; README.md is not read at all.
    expect(report.summary).toMatchObject({ files: 4, skipped: 2, resources: 5 });
  });

  it("walks directories recursively but skips .git, node_modules and --ignore globs", async () => {
    const dir = tempTree({
      "apps/web/pod.yaml": PRIVILEGED_POD("deep"),
      ".git/objects/pod.yaml": PRIVILEGED_POD("in-git"),
      "node_modules/pkg/pod.yaml": PRIVILEGED_POD("in-node-modules"),
      "vendor/pod.yml": PRIVILEGED_POD("vendored"),
      "notes.txt": PRIVILEGED_POD("not-yaml-extension"),
    });
    const all = await scanJson(["."], { cwd: dir });
    expect(all.report.findings.map((f) => f.resource?.name).sort()).toEqual(["deep", "vendored"]);
    const ignored = await scanJson([".", "--ignore", "vendor/**"], { cwd: dir });
    expect(ignored.report.findings.map((f) => f.resource?.name)).toEqual(["deep"]);
  });

  it("reads stdin for `-`, named <stdin>, next to files", async () => {
    const dir = tempTree({ "a.yaml": PRIVILEGED_POD("from-file") });
    const { report } = await scanJson(["-", "a.yaml"], { cwd: dir, stdin: PRIVILEGED_POD("from-stdin") });
    expect(report.findings.map((f) => `${f.file} ${f.resource?.name ?? ""} ${f.line}`).sort()).toEqual([
      "<stdin> from-stdin 10",
      "a.yaml from-file 10",
    ]);
  });

  it("a rule that throws becomes an internal-error finding naming it; other rules still run", () => {
    const boom = defineRule({
      meta: {
        id: "test-boom",
        title: "Throws",
        category: "reliability",
        severity: "low",
        description: "Always throws.",
        remediation: "None.",
        messages: { never: "never" },
        fix: "none",
        equivalents: {},
      },
      create: () => ({
        resource: () => {
          throw new Error("kaboom");
        },
      }),
    });
    const dir = tempTree({ "p.yaml": PRIVILEGED_POD("p") });
    const privileged = scan({ paths: ["."], cwd: dir, configFile: false }).rules.find(
      (r) => r.meta.id === "privileged-container",
    );
    expect(privileged).toBeDefined();
    const result = scan({
      paths: ["."],
      cwd: dir,
      configFile: false,
      rules: [boom, ...(privileged ? [privileged] : [])],
    });
    expect(result.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ["internal-error", "Rule test-boom failed on this object: kaboom"],
      ["privileged-container", "Container `c` runs privileged."],
    ]);
  });
});
