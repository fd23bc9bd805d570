// helm-unused-value on the 63 corpus charts (../shared/corpus/mycharts, outside the repo): a chart's
// own values.yaml passed as a user file gives no finding, and misspelled keys are still reported.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";
import { chartFacts } from "../../src/inputs/helm.js";
import { valuesSource } from "../../src/inputs/helm-map.js";
import { unusedValueFindings } from "../../src/inputs/helm-unused.js";

const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "mycharts");
const present = existsSync(join(CORPUS, "charts"));
if (!present) console.warn(`helm-unused-value corpus tests skipped: ${CORPUS} is absent`);
const charts = present
  ? readdirSync(join(CORPUS, "charts"))
      .filter((c) => existsSync(join(CORPUS, "charts", c, "Chart.yaml")))
      .sort()
  : [];
const at = { file: "Chart.yaml", line: 1, column: 1 };

describe.skipIf(!present)("helm-unused-value on the corpus charts", () => {
  it("finds nothing in any chart's own values.yaml, and reports misspellings of its top-level keys", () => {
    expect(charts.length).toBe(63);
    let typos = 0;
    let caught = 0;
    for (const c of charts) {
      const facts = chartFacts(join(CORPUS, "charts", c), CORPUS);
      const own = valuesSource(
        `charts/${c}/values.yaml`,
        readFileSync(join(CORPUS, "charts", c, "values.yaml"), "utf8"),
      );
      if (own === undefined) continue;
      expect(
        unusedValueFindings(facts, [{ source: own }], [], c, at).map((f) => f.message),
        c,
      ).toEqual([]);
      const keys = Object.keys((own.doc.toJSON() ?? {}) as object);
      const typo = valuesSource("typo.yaml", keys.map((k) => `${JSON.stringify(`${k}Zq`)}: 1`).join("\n"));
      if (typo === undefined) continue;
      typos += keys.length;
      caught += unusedValueFindings(facts, [{ source: typo }], [], c, at).length;
    }
    // 2,416 of 2,431 when written (jenkins passes .Values whole to `set`, so nothing is reported there).
    expect(caught / typos).toBeGreaterThan(0.95);
  }, 120_000);

  it("end to end: scanning charts with their own values.yaml as -f gives no helm-unused-value", () => {
    for (const c of ["nginx", "grafana", "cert-manager"]) {
      const findings = scan({
        paths: [join("charts", c)],
        cwd: CORPUS,
        configFile: false,
        helm: { values: [join("charts", c, "values.yaml")] },
      }).findings;
      expect(
        findings.some((f) => f.file?.startsWith(`charts/${c}/templates/`) === true),
        c,
      ).toBe(true);
      expect(
        findings.filter((f) => f.ruleId === "helm-unused-value"),
        c,
      ).toEqual([]);
    }
  }, 120_000);
});
