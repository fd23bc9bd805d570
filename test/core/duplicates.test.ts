// The engine drops a report made twice (same rule, object, place, path and message) and keeps the
// rest; it does so without a key string per finding, and in work linear in the findings even when
// one rule reports thousands of places in one object (issue 9 item 4).
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG } from "../../src/core/config.js";
import { runRules } from "../../src/core/engine.js";
import { defineRule } from "../../src/core/rule.js";
import type { Path, Resource } from "../../src/core/types.js";
import { parseYaml } from "../../src/inputs/yaml.js";

/** Reports, on each resource, the places `placesOf` gives (with a message each). */
function reporter(placesOf: (r: Resource) => { path: Path; message: string }[]) {
  return defineRule({
    meta: {
      id: "test-places",
      title: "Test: places",
      category: "security",
      severity: "low",
      description: "Reports the places it is given, to observe duplicate handling.",
      remediation: "Nothing to do.",
      messages: { at: "{{text}}" },
      fix: "none",
      equivalents: {},
    },
    create(context) {
      return {
        resource(r) {
          for (const p of placesOf(r))
            context.report({ resource: r, path: p.path, messageId: "at", data: { text: p.message } });
        },
      };
    },
  });
}

function resourcesOf(text: string): Resource[] {
  const parsed = parseYaml(text, "t.yaml");
  expect(parsed.findings).toEqual([]);
  return parsed.resources;
}

const configMap = resourcesOf(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: "1"
`);

function findingsOf(
  resources: readonly Resource[],
  placesOf: (r: Resource) => { path: Path; message: string }[],
) {
  return runRules(resources, { rules: [reporter(placesOf)], config: EMPTY_CONFIG, today: "2026-01-15" })
    .findings;
}

describe("duplicate reports", () => {
  // 5 stays below the size at which a rule's findings on one object are compared by key, 100 above it.
  for (const n of [5, 100]) {
    it(`keeps one of each repeated report and every distinct one (${n} places, each reported twice)`, () => {
      const places = Array.from({ length: n }, (_, i) => ({ path: ["data", `k${i}`], message: `m${i % 3}` }));
      const findings = findingsOf(configMap, () => [...places, ...places.map((p) => ({ ...p }))]);
      expect(findings.map((f) => `${f.path.join(".")} ${f.message}`).sort()).toEqual(
        places.map((p) => `${p.path.join(".")} ${p.message}`).sort(),
      );
    });

    it(`keeps reports that differ only in message or path length (${n} places)`, () => {
      const places = Array.from({ length: n }, (_, i) => [
        { path: ["data", `k${i}`], message: "first" },
        { path: ["data", `k${i}`], message: "second" },
        { path: ["data", `k${i}`, 0], message: "first" },
      ]).flat();
      expect(findingsOf(configMap, () => places)).toHaveLength(3 * n);
    });
  }

  it("treats an index and the same number written as a key as one path (as a joined key did)", () => {
    const findings = findingsOf(configMap, () => [
      { path: ["spec", 0], message: "m" },
      { path: ["spec", "0"], message: "m" },
    ]);
    expect(findings).toHaveLength(1);
  });

  it("drops a report on a second copy of the same object (same document, kind, namespace and name)", () => {
    const [cm] = configMap;
    if (cm === undefined) throw new Error("no ConfigMap");
    const findings = findingsOf([cm, { ...cm }], () => [{ path: ["data"], message: "m" }]);
    expect(findings).toHaveLength(1);
  });

  it("keeps reports on two items of one kind: List (they share the document)", () => {
    const items = resourcesOf(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: b }
`);
    expect(items).toHaveLength(2);
    expect(items[0]?.docIndex).toBe(items[1]?.docIndex);
    const findings = findingsOf(items, () => [{ path: ["metadata"], message: "m" }]);
    expect(findings.map((f) => f.resource?.name)).toEqual(["a", "b"]);
  });

  it("keeps the same report on one object from two releases", () => {
    const [cm] = configMap;
    if (cm === undefined) throw new Error("no ConfigMap");
    const findings = findingsOf(
      [
        { ...cm, release: "one" },
        { ...cm, release: "two" },
      ],
      () => [{ path: ["data"], message: "m" }],
    );
    expect(findings.map((f) => f.release)).toEqual(["one", "two"]);
  });

  // Counted, not timed: the path items read while deciding which reports repeat. Comparing each
  // report with every earlier one of its rule and object grows with the square of their number.
  it("does work linear in the reports of one rule on one object", () => {
    let reads = 0;
    const countedPath = (items: (string | number)[]): Path =>
      new Proxy(items, {
        get(target, key, receiver) {
          if (typeof key === "string" && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    const readsFor = (n: number) => {
      const places = Array.from({ length: n }, (_, i) => ({
        path: countedPath(["data", "k", i]),
        message: "m",
      }));
      reads = 0;
      const findings = findingsOf(configMap, () => places);
      expect(findings).toHaveLength(n);
      return reads;
    };
    const small = readsFor(500);
    const large = readsFor(2_000);
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(4 * 1.5);
  });
});
