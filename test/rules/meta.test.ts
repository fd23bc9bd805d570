// A meta-test over every registered rule: IDs, files, fixtures, messages, docs, standards and
// equivalents (checked against the peer catalog in ../shared when it is present).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../src/core/builtin.js";
import { checkOptions, defaultsOf, type OptionsSchema } from "../../src/core/options.js";
import { CATEGORIES, PEER_TOOLS, SEVERITIES } from "../../src/core/types.js";
import { ALL_RULES, RULES } from "../../src/rules/index.js";
import { catalogAvailable, equivalentsFor, readCatalog } from "../../tools/catalog.js";
import { expectedMarkers } from "../helpers/scan.js";

const root = join(import.meta.dirname, "..", "..");
const catalog = catalogAvailable() ? readCatalog() : undefined;
const STANDARD_KEYS = ["pss", "cis", "nsa", "mitre"];

function ruleFile(id: string): string | undefined {
  const dir = join(root, "src", "rules");
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (sub.isDirectory() && existsSync(join(dir, sub.name, `${id}.ts`))) return join(sub.name, `${id}.ts`);
  }
  return undefined;
}

/** Every `src/rules/<folder>/<id>.ts` rule file (lib/, groups/ and templates/ hold helpers, the registry and rule templates). */
function ruleFiles(): { folder: string; id: string }[] {
  const dir = join(root, "src", "rules");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !["lib", "groups", "templates"].includes(d.name))
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => ({ folder: d.name, id: f.slice(0, -3) })),
    );
}

describe("rule registry", () => {
  it("registers every rule file, once", () => {
    const files = ruleFiles();
    expect(files.length).toBeGreaterThan(60);
    const registered = RULES.map((r) => r.meta.id);
    expect(
      files.map((f) => f.id).filter((id) => !registered.includes(id)),
      "rule files not listed in a src/rules/groups/ file",
    ).toEqual([]);
    expect(registered.length, "a rule listed twice").toBe(new Set(registered).size);
  });
  it("has unique IDs and aliases", () => {
    const ids = ALL_RULES.flatMap((r) => [r.meta.id, ...(r.meta.aliases ?? [])]);
    expect(ids.length).toBe(new Set(ids).size);
  });
  it("ships at least 60 object rules", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(60);
  });
});

for (const rule of ALL_RULES) {
  const m = rule.meta;
  const builtin = (BUILTIN_RULES as readonly unknown[]).includes(rule);
  describe(m.id, () => {
    it("has well-formed metadata", () => {
      expect(m.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(CATEGORIES).toContain(m.category);
      expect(SEVERITIES).toContain(m.severity);
      expect(m.title.length).toBeGreaterThan(3);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.remediation, "remediation is one sentence ending with a full stop").toMatch(/^[A-Z`].*[.]$/s);
      expect(Object.keys(m.messages).length).toBeGreaterThan(0);
      for (const key of Object.keys(m.standards ?? {})) expect(STANDARD_KEYS).toContain(key);
      for (const tool of Object.keys(m.equivalents)) expect(PEER_TOOLS).toContain(tool);
    });

    it("has a docs page", () => {
      expect(existsSync(join(root, "docs", "rules", `${m.id}.md`))).toBe(true);
    });

    if (builtin) return;

    it("lives in src/rules/<category>/<id>.ts", () => {
      expect(ruleFile(m.id)).toBe(join(m.category, `${m.id}.ts`));
    });

    it("has the visitor its scope needs", () => {
      const visitor = rule.create({
        report: () => undefined,
        options: defaultsOf(rule.options ?? {}),
        resources: [],
        fixDefaults: {},
      });
      const handlers = Object.keys(visitor);
      expect(handlers.length, "a rule with no visitor never reports").toBeGreaterThan(0);
      if (m.scope === "cluster") expect(handlers, "scope: cluster rules check in `end`").toContain("end");
      else expect(handlers, "an `end` visitor needs scope: cluster").not.toContain("end");
    });

    it("has no message placeholder its reports cannot fill", () => {
      // Every placeholder is a plain word; `{{ .Values.x }}`-style text would never be filled.
      for (const text of Object.values(m.messages)) {
        for (const p of text.match(/\{\{[^}]*\}\}/g) ?? []) expect(p).toMatch(/^\{\{\w+\}\}$/);
      }
    });

    it("has valid and invalid fixtures, with examples, covering every message", () => {
      const dir = join(root, "test", "rules", m.id);
      const valid = join(dir, "valid");
      const invalid = join(dir, "invalid");
      expect(existsSync(join(valid, "example.yaml")), "valid/example.yaml").toBe(true);
      expect(existsSync(join(invalid, "example.yaml")), "invalid/example.yaml").toBe(true);
      const used = new Set<string>();
      for (const f of readdirSync(invalid).filter((f) => /\.(ya?ml|json)$/.test(f))) {
        for (const e of expectedMarkers(readFileSync(join(invalid, f), "utf8"))) used.add(e.messageId);
      }
      expect([...used].sort(), "invalid fixtures use only the rule's message IDs").toEqual(
        [...used].filter((id) => id in m.messages).sort(),
      );
      expect(
        Object.keys(m.messages).filter((id) => !used.has(id)),
        "message IDs never exercised",
      ).toEqual([]);
      const example = expectedMarkers(readFileSync(join(invalid, "example.yaml"), "utf8"));
      expect(example.length, "invalid/example.yaml gives exactly one finding").toBe(1);
    });

    it.skipIf(catalog === undefined)("has equivalents that match the peer catalog for its concepts", () => {
      const rows = catalog ?? [];
      // `concepts: []` marks a check no peer has (kubeward's own); it then has no equivalents.
      expect(
        m.concepts,
        "a shipped rule names its catalog concepts, or [] when no peer has it",
      ).toBeDefined();
      const known = new Set(rows.flatMap((r) => r.concepts));
      for (const c of m.concepts ?? []) expect(known, `concept ${c}`).toContain(c);
      for (const [tool, ids] of Object.entries(m.equivalents)) {
        for (const id of ids) {
          expect(
            rows.some((r) => r.tool === tool && r.id === id),
            `${tool} ${id} is in the catalog`,
          ).toBe(true);
        }
      }
      expect(m.equivalents).toEqual(equivalentsFor(m.concepts ?? [], rows));
    });
  });
}

describe("rule options", () => {
  const withOptions = ALL_RULES.filter((r) => r.options !== undefined);
  it("exist on the rules that read them", () => {
    expect(withOptions.map((r) => r.meta.id)).toEqual(
      expect.arrayContaining(["required-labels", "too-few-replicas", "dangerous-capabilities"]),
    );
  });
  for (const r of withOptions) {
    it(`${r.meta.id}: defaults pass its own schema, each option is described`, () => {
      const schema: OptionsSchema = r.options ?? {};
      expect(Object.keys(schema).length).toBeGreaterThan(0);
      expect(checkOptions(schema, defaultsOf(schema))).toEqual([]);
      for (const [name, s] of Object.entries(schema)) {
        expect(s.description, `${name} description`).toMatch(/^[A-Z`].*[.]$/s);
      }
    });
  }
});
