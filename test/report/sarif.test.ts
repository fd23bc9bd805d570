// SARIF output: valid against the official SARIF 2.1.0 schema, full rule metadata, GitHub's
// properties, repo-relative locations, fingerprints that survive line shifts, suppressions.
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/core/config.js";
import type { FileFinding } from "../../src/core/types.js";
import { fnv1a64, formatSarif } from "../../src/report/sarif.js";
import { DEPLOYMENT, POD, positionOf, sarifValidator, scanFiles } from "./helpers.js";

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; "security-severity": string; precision: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number };
    };
    logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification?: string }[];
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version?: string; informationUri: string; rules: SarifRule[] } };
    results: SarifResult[];
  }[];
}

const validate = sarifValidator();
const exemptWeb: Config = {
  rules: {},
  ignorePaths: [],
  exemptions: [
    { rules: ["demo-latest-tag"], names: ["web"], reason: "sidecar image is mirrored internally" },
  ],
};

function sarifOf(files: Record<string, string | Buffer>, config?: Config): SarifLog {
  const result = scanFiles(files, config ? { config } : {});
  return JSON.parse(formatSarif(result, { version: "0.1.0" })) as SarifLog;
}

describe("sarif", () => {
  const ignored = POD.replace(
    "name: tool\n",
    'name: tool\n  annotations:\n    kubeward.io/ignore: "demo-no-limits"\n    kubeward.io/ignore-reason: "batch tool, bounded by quota"\n',
  );
  const log = sarifOf(
    {
      "manifests/deploy.yaml": DEPLOYMENT,
      "manifests/pod.yaml": ignored,
      "with space/broken.yaml": "a: [1, 2\n",
      "bin.yaml": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
    },
    exemptWeb,
  );
  const run = log.runs[0];
  const results = run?.results ?? [];
  const rules = run?.tool.driver.rules ?? [];
  const byRule = (id: string) => results.filter((r) => r.ruleId === id);

  it("validates against the official SARIF 2.1.0 schema", () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema check is not vacuous: it rejects broken logs", () => {
    const bad = structuredClone(log);
    (bad.runs[0]?.results[0] as { level: string }).level = "fatal";
    expect(validate(bad)).toBe(false);
    const relative = structuredClone(log);
    (relative.runs[0]?.tool.driver.rules[0] as { helpUri: string }).helpUri = "docs/rules/x.md";
    expect(validate(relative)).toBe(false);
    const noMessage = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete noMessage.runs[0]?.results[0]?.["message"];
    expect(validate(noMessage)).toBe(false);
  });

  it("describes the tool and every rule with full metadata", () => {
    expect(log.version).toBe("2.1.0");
    expect(run?.tool.driver.name).toBe("kubeward");
    expect(run?.tool.driver.version).toBe("0.1.0");
    const priv = rules.find((r) => r.id === "demo-privileged");
    expect(priv).toMatchObject({
      shortDescription: { text: "Demo: privileged container" },
      fullDescription: { text: "A privileged container can take over its node." },
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.5", precision: "high" },
    });
    expect(priv?.properties.tags).toEqual(expect.arrayContaining(["security", "pss-baseline", "cis-5.2.2"]));
    expect(priv?.help.text).toContain("Remove `privileged: true`.");
    expect(priv?.help.markdown).toContain("`KSV-0017`");
    expect(priv?.help.markdown).toContain("`CKV_K8S_16`");
    expect(priv?.helpUri).toMatch(/^https:\/\/.+\/demo-privileged\.md$/);
    // Every rule that ran is described, and so are built-in rules that produced findings.
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(["demo-privileged", "demo-latest-tag", "demo-no-limits", "parse-error"]),
    );
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("maps severities to GitHub's levels and security-severity bands", () => {
    const sev = (id: string) => rules.find((r) => r.id === id)?.properties["security-severity"];
    expect([sev("demo-privileged"), sev("demo-latest-tag"), sev("demo-no-limits")]).toEqual([
      "9.5",
      "5.0",
      "3.0",
    ]);
    expect(byRule("demo-privileged").map((r) => r.level)).toEqual(["error"]);
    expect(new Set(byRule("demo-latest-tag").map((r) => r.level))).toEqual(new Set(["warning"]));
    expect(new Set(byRule("demo-no-limits").map((r) => r.level))).toEqual(new Set(["note"]));
  });

  it("points each result at its rule and at a repo-relative location", () => {
    for (const r of results) expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
    const priv = byRule("demo-privileged")[0];
    const at = positionOf(DEPLOYMENT, "privileged: true");
    expect(priv?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "manifests/deploy.yaml", uriBaseId: "%SRCROOT%" },
      region: {
        startLine: at.line,
        startColumn: at.column,
        endLine: at.line,
        endColumn: at.column + "privileged: true".length,
      },
    });
    expect(priv?.locations[0]?.logicalLocations).toEqual([
      { name: "web", fullyQualifiedName: "Deployment/prod/web/app", kind: "container" },
    ]);
    const broken = results.find((r) =>
      r.locations[0]?.physicalLocation.artifactLocation.uri.startsWith("with"),
    );
    expect(broken?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("with%20space/broken.yaml");
    for (const r of results)
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:/i);
  });

  it("includes suppressed findings with the kind of suppression and its justification", () => {
    const annotated = byRule("demo-no-limits").find((r) => r.suppressions !== undefined);
    expect(annotated?.suppressions).toEqual([
      { kind: "inSource", status: "accepted", justification: "batch tool, bounded by quota" },
    ]);
    const exempted = byRule("demo-latest-tag").filter((r) => r.suppressions !== undefined);
    expect(exempted.map((r) => r.suppressions)).toEqual([
      [{ kind: "external", status: "accepted", justification: "sidecar image is mirrored internally" }],
    ]);
    // The Pod's untagged image is not exempted (the exemption names "web").
    expect(byRule("demo-latest-tag").filter((r) => r.suppressions === undefined)).toHaveLength(1);
  });

  it("keeps fingerprints stable when lines move, and distinct for distinct findings", () => {
    const shifted =
      sarifOf(
        { "manifests/deploy.yaml": "# added\n# comments\n" + DEPLOYMENT, "manifests/pod.yaml": ignored },
        exemptWeb,
      ).runs[0]?.results ?? [];
    const before = byRule("demo-privileged")[0];
    const after = shifted.find((r) => r.ruleId === "demo-privileged");
    expect(after?.locations[0]?.physicalLocation.region.startLine).toBe(
      (before?.locations[0]?.physicalLocation.region.startLine ?? 0) + 2,
    );
    expect(after?.partialFingerprints).toEqual(before?.partialFingerprints);
    const prints = results.map((r) => Object.values(r.partialFingerprints)[0]);
    expect(prints.length).toBeGreaterThan(1);
    expect(prints.every((p) => typeof p === "string" && /^[0-9a-f]{16}$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
    // The same rule on another container gets another fingerprint.
    const renamed = sarifOf({
      "manifests/deploy.yaml": DEPLOYMENT.replace("- name: app", "- name: api"),
    }).runs[0]?.results.find((r) => r.ruleId === "demo-privileged");
    expect(renamed?.partialFingerprints).not.toEqual(before?.partialFingerprints);
    // Reordering containers keeps the identity (containers are keyed by name, not index).
    const [head, rest] = DEPLOYMENT.split("        - name: app\n");
    const [app, sidecar] = (rest ?? "").split("        - name: sidecar\n");
    const reordered = `${head ?? ""}        - name: sidecar\n${sidecar ?? ""}        - name: app\n${app ?? ""}`;
    const moved = sarifOf({ "manifests/deploy.yaml": reordered }).runs[0]?.results.find(
      (r) => r.ruleId === "demo-privileged",
    );
    expect(moved?.locations[0]?.physicalLocation.region.startLine).not.toBe(
      before?.locations[0]?.physicalLocation.region.startLine,
    );
    expect(moved?.partialFingerprints).toEqual(before?.partialFingerprints);
  });

  it("adds Helm template and values locations as related locations", () => {
    const result = scanFiles({ "manifests/deploy.yaml": DEPLOYMENT });
    const base = result.findings.find((f) => f.ruleId === "demo-privileged");
    expect(base).toBeDefined();
    if (base === undefined) return;
    const helm: FileFinding = {
      ...(base as FileFinding),
      file: "chart/templates/deploy.yaml",
      line: 20,
      column: 13,
      template: { file: "chart/templates/deploy.yaml", line: 20, column: 13 },
      values: { path: "securityContext.privileged", file: "chart/values.yaml", line: 7 },
    };
    const rendered = { ...helm, file: "rendered.yaml", line: 3, column: 1 };
    const sarif = JSON.parse(formatSarif({ ...result, findings: [helm, rendered], suppressed: [] }, {})) as {
      runs: {
        results: {
          relatedLocations?: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
            message: { text: string };
          }[];
        }[];
      }[];
    };
    expect(validate(sarif)).toBe(true);
    const [onTemplate, onRendered] = sarif.runs[0]?.results ?? [];
    const summary = (r: typeof onTemplate) =>
      r?.relatedLocations?.map((l) => [
        l.message.text,
        l.physicalLocation.artifactLocation.uri,
        l.physicalLocation.region?.startLine,
      ]);
    // Already on the template line: only the values key is extra.
    expect(summary(onTemplate)).toEqual([["values: securityContext.privileged", "chart/values.yaml", 7]]);
    expect(summary(onRendered)).toEqual([
      ["template", "chart/templates/deploy.yaml", 20],
      ["values: securityContext.privileged", "chart/values.yaml", 7],
    ]);
  });

  it("is valid for an empty scan too", () => {
    const empty = sarifOf({ "notes.yaml": "just: data\n" });
    expect(validate(empty)).toBe(true);
    expect(empty.runs[0]?.results).toEqual([]);
  });
});

describe("fnv1a64", () => {
  // Published FNV-1a 64-bit test vectors (Fowler/Noll/Vo reference test suite).
  it("matches the reference vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });

  // The limb arithmetic against the definition in BigInt, on strings of every UTF-8 length.
  it("equals the BigInt definition on generated strings", () => {
    const reference = (s: string) => {
      let h = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(s))
        h = ((h ^ BigInt(byte)) * 0x100000001b3n) & ((1n << 64n) - 1n);
      return h.toString(16).padStart(16, "0");
    };
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const samples: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      let s = "";
      const n = Math.floor(next() * 60);
      for (let j = 0; j < n; j++)
        s += String.fromCodePoint(Math.floor(next() * (next() < 0.7 ? 0x80 : 0x10ffff)) & ~0x800);
      samples.push(s);
    }
    expect(samples.map(fnv1a64)).toEqual(samples.map(reference));
  });
});
