import { describe, expect, it } from "vitest";
import { parseConfig, wildcardMatch } from "../../src/core/config.js";

const known = new Set(["privileged-container", "host-network"]);

describe("parseConfig", () => {
  it("reads rules, exemptions, ignorePaths and failOn", () => {
    const { config, errors } = parseConfig(
      `rules:
  privileged-container: off
  host-network: { severity: low, options: { x: 1 } }
exemptions:
  - rules: [host-network]
    namespaces: [kube-system]
    names: ["node-*"]
    containers: [agent]
    reason: node agents
ignorePaths: ["vendor/**"]
failOn: high
`,
      known,
    );
    expect(errors).toEqual([]);
    expect(config).toEqual({
      rules: {
        "privileged-container": { enabled: false },
        "host-network": { severity: "low", options: { x: 1 } },
      },
      exemptions: [
        {
          rules: ["host-network"],
          namespaces: ["kube-system"],
          names: ["node-*"],
          containers: ["agent"],
          reason: "node agents",
        },
      ],
      ignorePaths: ["vendor/**"],
      failOn: "high",
    });
  });

  it("names the line of unknown keys, unknown rules and bad values", () => {
    const { errors } = parseConfig(
      `rules:
  no-such-rule: off
  host-network: loud
exemptions:
  - namespace: [x]
colour: red
failOn: sometimes
`,
      known,
    );
    expect(errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      "2: unknown rule `no-such-rule` in `rules`",
      "3: rules.host-network: expected off, on, a severity (info, low, medium, high, critical) or a mapping",
      "5: exemptions[0]: unknown key `namespace` (expected one of rules, namespaces, names, kinds, containers, reason)",
      "6: unknown key `colour` (expected one of rules, customRules, exemptions, ignorePaths, failOn, assumeComplete, fix)",
      "7: `failOn` must be one of info, low, medium, high, critical",
    ]);
  });

  it("reads the fix section and names the line of its mistakes", () => {
    const good = parseConfig(
      'fix:\n  keep: ["cilium:hostNetwork", "*:securityContext.capabilities"]\n  defaults: { runAsUser: 10001, memoryRequest: 64Mi }\n',
      known,
    );
    expect(good.errors).toEqual([]);
    expect(good.config.fix).toEqual({
      keep: ["cilium:hostNetwork", "*:securityContext.capabilities"],
      defaults: { runAsUser: 10001, memoryRequest: "64Mi" },
    });
    const bad = parseConfig("fix:\n  keep: [cilium]\n  defaults:\n    namespace: prod\n  other: 1\n", known);
    expect(bad.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      "2: fix: `keep` must be a list of CONTAINER:FIELD (for example `cilium-agent:hostNetwork`)",
      "4: fix: unknown default `namespace` (expected one of runAsUser, runAsGroup, cpuRequest, cpuLimit, memoryRequest, memoryLimit)",
      "5: fix: unknown key `other` (expected keep, defaults)",
    ]);
  });

  it("accepts an empty file and reports YAML errors with their line", () => {
    expect(parseConfig("", known).errors).toEqual([]);
    expect(parseConfig("rules:\n  a: [\n", known).errors[0]?.line).toBeGreaterThan(0);
  });

  it("matches names with * wildcards only", () => {
    expect(wildcardMatch("node-*", "node-exporter")).toBe(true);
    expect(wildcardMatch("node-*", "xnode-exporter")).toBe(false);
    expect(wildcardMatch("a.b", "axb")).toBe(false);
  });
});
