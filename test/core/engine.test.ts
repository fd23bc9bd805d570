import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../src/core/config.js";
import { runRules, type EngineOptions } from "../../src/core/engine.js";
import { defineRule, type AnyRule } from "../../src/core/rule.js";
import { parseYaml } from "../../src/inputs/yaml.js";

const TODAY = "2026-01-15";

/** A rule that reports every container, to observe dispatch. */
const everyContainer = defineRule({
  meta: {
    id: "test-every-container",
    title: "Test: every container",
    category: "security",
    severity: "low",
    description: "Reports each container so tests can see what the engine visits.",
    remediation: "Nothing to do.",
    messages: { seen: "{{kind}} {{container}}" },
    fix: "none",
    equivalents: {},
  },
  create(context) {
    return {
      container(c) {
        context.report({
          resource: c.resource,
          path: c.path,
          messageId: "seen",
          data: { kind: c.kind, container: c.name },
          container: c.name,
        });
      },
    };
  },
});

const throws = defineRule({
  meta: { ...everyContainer.meta, id: "test-throws", messages: { never: "never" } },
  create() {
    return {
      resource() {
        throw new Error("boom");
      },
    };
  },
});

function run(text: string, rules: readonly AnyRule[], config: Config = EMPTY_CONFIG, noExemptions = false) {
  const parsed = parseYaml(text, "t.yaml");
  expect(parsed.findings).toEqual([]);
  return runRules(parsed.resources, { rules, config, today: TODAY, noExemptions }).findings;
}

const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: a
          containers:
            - name: main
              image: a
          ephemeralContainers:
            - name: debug
              image: a
`;

describe("engine dispatch", () => {
  it("visits init, regular and ephemeral containers of a CronJob's pod template, at their lines", () => {
    const f = run(cronJob, [everyContainer]);
    expect(f.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "12:15 initContainer init",
      "15:15 container main",
      "18:15 ephemeralContainer debug",
    ]);
  });

  for (const [kind, apiVersion, prefix] of [
    ["Deployment", "apps/v1", "spec:\n  selector: {}\n  template:\n    spec:\n"],
    ["StatefulSet", "apps/v1", "spec:\n  template:\n    spec:\n"],
    ["DaemonSet", "apps/v1", "spec:\n  template:\n    spec:\n"],
    ["ReplicaSet", "apps/v1", "spec:\n  template:\n    spec:\n"],
    ["Job", "batch/v1", "spec:\n  template:\n    spec:\n"],
    ["PodTemplate", "v1", "template:\n    spec:\n"],
  ] as const) {
    it(`finds the pod spec of a ${kind}`, () => {
      const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: { name: x }\n${prefix}      containers:\n        - name: c\n          image: a\n`;
      expect(run(text, [everyContainer]).map((x) => x.message)).toEqual(["container c"]);
    });
  }

  it("isolates a throwing rule: internal-error naming it, other rules still report", () => {
    const f = run(cronJob, [throws, everyContainer]);
    const internal = f.filter((x) => x.ruleId === "internal-error");
    expect(internal).toHaveLength(1);
    expect(internal[0]?.message).toContain("test-throws");
    expect(internal[0]?.message).toContain("boom");
    expect(f.filter((x) => x.ruleId === "test-every-container")).toHaveLength(3);
  });

  it("applies severity overrides and switches rules off", () => {
    const high = run(cronJob, [everyContainer], {
      ...EMPTY_CONFIG,
      rules: { "test-every-container": { severity: "high" } },
    });
    expect(high).toHaveLength(3);
    expect(high.every((x) => x.severity === "high")).toBe(true);
    const off = run(cronJob, [everyContainer], {
      ...EMPTY_CONFIG,
      rules: { "test-every-container": { enabled: false } },
    });
    expect(off).toEqual([]);
  });

  it("leaves rules that are off by default off unless the config enables them", () => {
    const optIn: AnyRule = { ...everyContainer, meta: { ...everyContainer.meta, enabledByDefault: false } };
    expect(run(cronJob, [optIn])).toEqual([]);
    expect(
      run(cronJob, [optIn], { ...EMPTY_CONFIG, rules: { "test-every-container": { enabled: true } } }),
    ).toHaveLength(3);
  });
});

describe("validation before rules", () => {
  it("reports wrong types as invalid-object at the field, and does not run rules on the object", () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: "three"
  template:
    spec:
      containers: {}
---
apiVersion: v1
kind: Pod
metadata: { name: ok }
spec:
  containers:
    - name: c
      image: a
`;
    const f = run(text, [everyContainer]);
    expect(f.map((x) => `${x.ruleId} ${x.line}:${x.column} ${x.message}`)).toEqual([
      'invalid-object 5:3 `spec.replicas` must be an integer, not the string "three".',
      "invalid-object 8:7 `spec.template.spec.containers` must be a list, not a mapping.",
      "test-every-container 15:7 container c",
    ]);
  });
});

describe("suppression", () => {
  const annotated = (annotations: string, where: "object" | "template" = "object") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: prod
${where === "object" ? `  annotations:\n${annotations}` : ""}
spec:
  template:
    metadata:
${where === "template" ? `      annotations:\n${annotations.replace(/^ {4}/gm, "        ")}` : "      labels: { a: b }"}
    spec:
      containers:
        - name: app
          image: a
`;

  it("honours kubeward.io/ignore on the object, with its reason", () => {
    const f = run(
      annotated('    kubeward.io/ignore: test-every-container\n    kubeward.io/ignore-reason: "accepted"\n'),
      [everyContainer],
    );
    expect(f).toHaveLength(1);
    expect(f[0]?.suppressed).toEqual({ kind: "annotation", reason: "accepted" });
  });

  it("honours kubeward.io/ignore on the pod template", () => {
    const f = run(annotated("    kubeward.io/ignore: test-every-container\n", "template"), [everyContainer]);
    expect(f[0]?.suppressed?.kind).toBe("annotation");
  });

  it("stops honouring an expired suppression and says so", () => {
    const f = run(
      annotated('    kubeward.io/ignore: test-every-container\n    kubeward.io/ignore-until: "2025-12-31"\n'),
      [everyContainer],
    );
    expect(f.find((x) => x.ruleId === "test-every-container")?.suppressed).toBeUndefined();
    const notice = f.find((x) => x.ruleId === "expired-suppression");
    expect(notice?.message).toContain("expired on 2025-12-31");
    expect(notice?.line).toBe(8);
  });

  it("keeps a suppression until its date, reports a malformed date and an unknown rule", () => {
    const ok = run(
      annotated('    kubeward.io/ignore: test-every-container\n    kubeward.io/ignore-until: "2026-01-15"\n'),
      [everyContainer],
    );
    expect(ok.find((x) => x.ruleId === "test-every-container")?.suppressed).toBeDefined();
    const bad = run(
      annotated(
        '    kubeward.io/ignore: test-every-container,no-such-rule\n    kubeward.io/ignore-until: "soon"\n',
      ),
      [everyContainer],
    );
    expect(
      bad
        .filter((x) => x.ruleId === "expired-suppression")
        .map((x) => x.messageId)
        .sort(),
    ).toEqual(["badDate", "unknownRule"]);
    expect(bad.find((x) => x.ruleId === "test-every-container")?.suppressed).toBeUndefined();
  });

  it("reads suppressions once per resource and date with a suppression cache", () => {
    // The fixer runs the engine many times over the same resources: a suppression read for one
    // "today" is not taken for another (this one expires between the two dates).
    const resources = parseYaml(
      annotated('    kubeward.io/ignore: test-every-container\n    kubeward.io/ignore-until: "2026-01-15"\n'),
      "d.yaml",
    ).resources;
    const suppressionCache: EngineOptions["suppressionCache"] = new Map();
    const once = (today: string) =>
      runRules(resources, { rules: [everyContainer], config: EMPTY_CONFIG, today, suppressionCache })
        .findings;
    expect(once("2026-01-15").find((x) => x.ruleId === "test-every-container")?.suppressed).toBeDefined();
    expect(once("2026-01-16").find((x) => x.ruleId === "test-every-container")?.suppressed).toBeUndefined();
    expect(once("2026-01-16").filter((x) => x.ruleId === "expired-suppression")).toHaveLength(1);
    expect(once("2026-01-15").find((x) => x.ruleId === "test-every-container")?.suppressed).toBeDefined();
    expect([...suppressionCache.keys()]).toEqual(["2026-01-15", "2026-01-16"]);
  });

  it("reports a suppression notice on a Pod once (its metadata is also its pod template's)", () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    kubeward.io/ignore: test-every-container,no-such-rule
    kubeward.io/ignore-until: "2001-01-01"
spec:
  containers:
    - name: c
      image: nginx:1.2.3
`;
    const notices = run(pod, [everyContainer]).filter((x) => x.ruleId === "expired-suppression");
    expect(notices.map((x) => `${x.messageId}@${String(x.line)}`).sort()).toEqual([
      "expired@7",
      "unknownRule@6",
    ]);
  });

  it("applies config exemptions by namespace, name and container", () => {
    const text = annotated("    x: z\n");
    const cfg = (ex: Config["exemptions"][number]): Config => ({ ...EMPTY_CONFIG, exemptions: [ex] });
    expect(run(text, [everyContainer], cfg({ namespaces: ["prod"], reason: "r" }))[0]?.suppressed).toEqual({
      kind: "config",
      reason: "r",
    });
    expect(run(text, [everyContainer], cfg({ names: ["d*"] }))[0]?.suppressed).toBeDefined();
    expect(run(text, [everyContainer], cfg({ containers: ["app"] }))[0]?.suppressed).toBeDefined();
    expect(run(text, [everyContainer], cfg({ containers: ["other"] }))[0]?.suppressed).toBeUndefined();
    expect(run(text, [everyContainer], cfg({ namespaces: ["dev"] }))[0]?.suppressed).toBeUndefined();
    expect(
      run(text, [everyContainer], cfg({ rules: ["privileged-container"], namespaces: ["prod"] }))[0]
        ?.suppressed,
    ).toBeUndefined();
  });

  it("ignores every suppression with noExemptions", () => {
    const text = annotated("    kubeward.io/ignore: test-every-container\n");
    const f = run(text, [everyContainer], { ...EMPTY_CONFIG, exemptions: [{ namespaces: ["prod"] }] }, true);
    expect(f).toHaveLength(1);
    expect(f[0]?.suppressed).toBeUndefined();
  });
});

describe("validation of list items", () => {
  it("rejects null items of object lists", () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: a\n      env:\n        - null\n";
    const f = run(text, [everyContainer]);
    expect(f.map((x) => `${x.ruleId} ${x.line} ${x.message}`)).toEqual([
      "invalid-object 9 `spec.containers[0].env[0]` must be a mapping, not null.",
    ]);
  });
});
