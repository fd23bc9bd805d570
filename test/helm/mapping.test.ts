// Values paths for missing fields (issue 8 item 1): a missing key maps to the values block that
// the template writes at its place, never to a key of the same name elsewhere in the template,
// and no values path at all is better than a wrong one. The chart is test/helm/fixtures/mapping.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineRule, scan, type Finding } from "../../src/api.js";
import { formatStylish } from "../../src/report/stylish.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

function lineOf(file: string, needle: string, after = 0): number {
  const lines = readFileSync(join(FIXTURES, file), "utf8").split("\n");
  const i = lines.findIndex((l, n) => n >= after && l.includes(needle));
  if (i === -1) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

/** Reports a missing pod-level `securityContext.seccompProfile` (the path a fix would set). */
const podSeccomp = defineRule({
  meta: {
    id: "test-pod-seccomp",
    title: "t",
    category: "security",
    severity: "low",
    description: "t",
    remediation: "Set it.",
    messages: { missing: "no pod seccompProfile" },
    fix: "none",
    equivalents: {},
  },
  create(context) {
    return {
      podSpec(p) {
        const sc = p.spec.securityContext as Record<string, unknown> | undefined;
        if (sc?.["seccompProfile"] === undefined)
          context.report({
            resource: p.resource,
            path: [...p.path, "securityContext", "seccompProfile"],
            messageId: "missing",
          });
      },
    };
  },
});

describe("helm values paths for missing fields", () => {
  const findings = scan({ paths: ["mapping"], cwd: FIXTURES, configFile: false }).findings;
  const custom = scan({ paths: ["mapping"], cwd: FIXTURES, configFile: false, rules: [podSeccomp] }).findings;
  const of = (list: Finding[], rule: string, name: string): Finding => {
    const hits = list.filter((f) => f.ruleId === rule && f.resource?.name === name);
    expect(hits, `${rule} on ${name}`).toHaveLength(1);
    return hits[0] as Finding;
  };

  it("maps a missing limits.cpu under `resources:` + toYaml to that block, not to the next toYaml below", () => {
    const f = of(findings, "cpu-limit-missing", "toyaml");
    expect(f.template?.line).toBe(lineOf("mapping/templates/toyaml.yaml", "resources:"));
    expect(f.values).toEqual({
      path: "resources.limits.cpu",
      file: "mapping/values.yaml",
      line: lineOf("mapping/values.yaml", "resources: {}"),
    });
  });

  it("maps a key missing from a partly set values block below the set part", () => {
    const f = of(findings, "cpu-limit-missing", "partial");
    expect(f.values).toEqual({
      path: "partial.resources.limits.cpu",
      file: "mapping/values.yaml",
      line: lineOf("mapping/values.yaml", "limits:"),
    });
    expect(of(findings, "cpu-request-missing", "toyaml").values?.path).toBe("resources.requests.cpu");
  });

  it("never looks a missing key up by name after its anchor (a PVC's `requests:`)", () => {
    const f = of(findings, "cpu-limit-missing", "store");
    expect(f.values).toBeUndefined();
    expect(f.template?.line).toBe(lineOf("mapping/templates/statefulset.yaml", "- name: store"));
  });

  it("does not map a missing pod-level field to a container's block of the same name", () => {
    const f = of(custom, "test-pod-seccomp", "store");
    expect(f.values).toBeUndefined();
    expect(f.template?.line).not.toBe(lineOf("mapping/templates/statefulset.yaml", "securityContext:"));
    // (The block's one action includes a helper that writes only `imagePullSecrets:`.)
    expect(f.template?.valuesUnknown).toMatch(/no action of this block can write the key/);
    const result = scan({
      paths: ["mapping/templates/statefulset.yaml"],
      cwd: FIXTURES,
      configFile: false,
      rules: [podSeccomp],
    });
    expect(formatStylish(result, {})).toContain(`values not known: ${f.template?.valuesUnknown ?? ""}`);
  });

  it("follows a pod-level field into the named template that writes its parent", () => {
    const f = of(custom, "test-pod-seccomp", "helper");
    expect(f.template).toMatchObject({
      file: "mapping/templates/_helpers.tpl",
      line: lineOf("mapping/templates/_helpers.tpl", "securityContext:"),
    });
    expect(f.values).toBeUndefined();
  });
});
