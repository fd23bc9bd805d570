// A user who declares a built-in check as a custom rule of its template gets the same findings at
// the same line and column, and the same silence on the hardened (valid) fixtures: the built-in
// instances differ from custom rules only in metadata.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownRulesOf, parseConfig } from "../../src/core/config.js";
import { ALL_RULES, RULES } from "../../src/rules/index.js";
import { customRulesOf, TEMPLATE_SCHEMAS } from "../../src/rules/templates/index.js";
import { fixtureSettings, scanText } from "../helpers/scan.js";

const fixtures = join(import.meta.dirname, "..", "rules");

/** Built-in rule → the custom rule a user would write for it. */
const MIRRORS: Record<string, string> = {
  "host-pid": "{ template: field, options: { target: pod, path: hostPID, condition: equals, value: true } }",
  "host-ipc": "{ template: field, options: { target: pod, path: hostIPC, condition: equals, value: true } }",
  "host-network":
    "{ template: field, options: { target: pod, path: hostNetwork, condition: equals, value: true } }",
  "privileged-container":
    "{ template: field, options: { target: container, path: securityContext.privileged, condition: equals, value: true } }",
  "dangerous-capabilities":
    "{ template: forbidden-capabilities, options: { capabilities: [SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, SYS_BOOT, NET_ADMIN, BPF, PERFMON, DAC_READ_SEARCH, MAC_ADMIN, MAC_OVERRIDE] } }",
  "image-registry-not-allowed":
    "{ template: allowed-registries, options: { allowedRegistries: [registry.example.com, '*.dkr.ecr.eu-west-1.amazonaws.com', ghcr.io/acme, docker.io/library] } }",
  "required-labels": "{ template: required-metadata, options: { labels: [app.kubernetes.io/name] } }",
};

const files = (id: string) =>
  (["valid", "invalid"] as const).flatMap((kind) => {
    const dir = join(fixtures, id, kind);
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => ({ kind, name: `${kind}/${f}`, text: readFileSync(join(dir, f), "utf8") }))
      : [];
  });

describe("a custom rule written like a built-in instance finds the same", () => {
  for (const [id, entry] of Object.entries(MIRRORS)) {
    it(id, () => {
      const text = `customRules:\n  - { id: my-${id}, ${entry.slice(2)}\n`;
      const { config, errors } = parseConfig(text, knownRulesOf(ALL_RULES), TEMPLATE_SCHEMAS);
      expect(errors).toEqual([]);
      const settings = fixtureSettings(fixtures, id);
      const merged = { ...config, rules: settings.config.rules };
      const rules = [...RULES, ...customRulesOf(config)];
      let invalidFound = 0;
      for (const f of files(id)) {
        const findings = scanText(f.text, f.name, { rules, config: merged });
        const at = (ruleId: string) =>
          findings.filter((x) => x.ruleId === ruleId).map((x) => `${x.line}:${x.column}`);
        expect(at(`my-${id}`), f.name).toEqual(at(id));
        if (f.kind === "valid") expect(at(`my-${id}`), `${f.name} is hardened`).toEqual([]);
        else invalidFound += at(`my-${id}`).length;
      }
      expect(invalidFound, "the invalid fixtures give findings").toBeGreaterThan(0);
    });
  }
});
