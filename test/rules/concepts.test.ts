// tools/concepts.ts: concept coverage from the rules' `concepts` against the peer catalog.
import { describe, expect, it } from "vitest";
import { defineRule, type AnyRule } from "../../src/core/rule.js";
import { coverage, coverageTable, isManifestConcept } from "../../tools/concepts.js";
import type { CatalogRow } from "../../tools/catalog.js";

const rows: CatalogRow[] = [
  { tool: "kube-linter", id: "a", title: "", concepts: ["X-ONE", "W-TWO"] },
  { tool: "kubescape", id: "b", title: "", concepts: ["W-TWO"] },
  { tool: "trivy", id: "c", title: "", concepts: ["CP:apiserver:x", "PSP-PRIV", "CP-NODEFILE"] },
];
const rule = (id: string, concepts: string[]): AnyRule =>
  defineRule({
    meta: {
      id,
      title: id,
      category: "reliability",
      severity: "low",
      description: "",
      remediation: "",
      messages: { m: "" },
      fix: "none",
      concepts,
      equivalents: {},
    },
    create: () => ({}),
  });

describe("concept coverage", () => {
  it("leaves out control-plane (CP:) and PSP keys only", () => {
    expect(isManifestConcept("CP:apiserver:x")).toBe(false);
    expect(isManifestConcept("PSP-PRIV")).toBe(false);
    expect(isManifestConcept("CP-NODEFILE")).toBe(true);
  });
  it("counts each concept once, with every rule that covers it", () => {
    const cov = coverage([rule("r1", ["W-TWO"]), rule("r2", ["W-TWO", "NOT-IN-CATALOG"])], rows);
    expect(cov.all).toEqual(["CP-NODEFILE", "W-TWO", "X-ONE"]);
    expect([...cov.covered]).toEqual([["W-TWO", ["r1", "r2"]]]);
    expect(cov.uncovered).toEqual(["CP-NODEFILE", "X-ONE"]);
    const table = coverageTable(cov, rows);
    expect(table).toContain("**1 of the 3**");
    expect(table).toContain("| `X-ONE` | kube-linter |");
    expect(table).not.toContain("`W-TWO`");
  });
});
