// The selector helper against the API server's documented semantics (apimachinery labels).
import { describe, expect, it } from "vitest";
import type { LabelSelector } from "../../../src/core/k8s.js";
import {
  asLabelSelector,
  isEmptySelector,
  LabelIndex,
  matchesSelector,
  SelectorIndex,
  selectorFromMap,
} from "../../../src/rules/lib/selectors.js";

const labels = { app: "web", tier: "frontend" };

describe("matchesSelector", () => {
  it("needs every matchLabels pair, with exact (case-sensitive) values", () => {
    expect(matchesSelector({ matchLabels: { app: "web" } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: "web", tier: "frontend" } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: "Web" } }, labels)).toBe(false);
    expect(matchesSelector({ matchLabels: { app: "web", env: "prod" } }, labels)).toBe(false);
  });
  it("evaluates In / NotIn / Exists / DoesNotExist", () => {
    const m = (operator: string, key: string, values?: string[]) =>
      matchesSelector({ matchExpressions: [values ? { key, operator, values } : { key, operator }] }, labels);
    expect(m("In", "app", ["api", "web"])).toBe(true);
    expect(m("In", "app", ["api"])).toBe(false);
    expect(m("In", "missing", ["x"])).toBe(false);
    expect(m("NotIn", "app", ["api"])).toBe(true);
    expect(m("NotIn", "app", ["web"])).toBe(false);
    expect(m("NotIn", "missing", ["x"])).toBe(true);
    expect(m("Exists", "tier")).toBe(true);
    expect(m("Exists", "missing")).toBe(false);
    expect(m("DoesNotExist", "missing")).toBe(true);
    expect(m("DoesNotExist", "app")).toBe(false);
  });
  it("treats unknown or wrongly cased operators as never matching", () => {
    expect(
      matchesSelector({ matchExpressions: [{ key: "app", operator: "in", values: ["web"] }] }, labels),
    ).toBe(false);
    expect(
      matchesSelector({ matchExpressions: [{ key: "app", operator: "Equals", values: ["web"] }] }, labels),
    ).toBe(false);
  });
  it("ANDs matchLabels with matchExpressions", () => {
    const sel = {
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["backend"] }],
    };
    expect(matchesSelector(sel, labels)).toBe(false);
    expect(matchesSelector({ ...sel, matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels)).toBe(
      true,
    );
  });
  it("matches everything with an empty selector, nothing on empty labels otherwise", () => {
    expect(matchesSelector({}, {})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(matchesSelector(selectorFromMap({ app: "web" }), {})).toBe(false);
  });
});

describe("asLabelSelector", () => {
  it("reads well-formed selectors and rejects malformed ones", () => {
    expect(asLabelSelector({ matchLabels: { a: "b" } })).toEqual({ matchLabels: { a: "b" } });
    expect(asLabelSelector({ matchExpressions: [{ key: "a", operator: "Exists" }] })).toEqual({
      matchExpressions: [{ key: "a", operator: "Exists" }],
    });
    expect(asLabelSelector(undefined)).toBeUndefined();
    expect(asLabelSelector({ matchLabels: { a: 1 } })).toBeUndefined();
    expect(asLabelSelector({ matchExpressions: [{ key: "a" }] })).toBeUndefined();
    expect(asLabelSelector({ matchExpressions: "x" })).toBeUndefined();
  });
});

describe("LabelIndex and SelectorIndex give what testing every object gives (issue 9 item 4)", () => {
  // Small label alphabets so that many objects share pairs and selectors often match.
  const objects = Array.from({ length: 60 }, (_, i) => {
    const labels: Record<string, string> = { app: `a${i % 5}` };
    if (i % 2 === 0) labels["tier"] = `t${i % 3}`;
    if (i % 7 === 0) labels["extra"] = "x";
    return { i, labels };
  });
  const selectors: LabelSelector[] = [
    {},
    { matchLabels: { app: "a1" } },
    { matchLabels: { app: "a2", tier: "t1" } },
    { matchLabels: { tier: "t0", app: "a0" } },
    { matchLabels: { app: "nope" } },
    { matchExpressions: [{ key: "extra", operator: "Exists" }] },
    { matchLabels: { app: "a3" }, matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] },
    { matchExpressions: [{ key: "app", operator: "NotIn", values: ["a0", "a1"] }] },
  ];

  it("LabelIndex.select and .some", () => {
    const index = new LabelIndex(objects, (o) => o.labels);
    expect(index.size).toBe(objects.length);
    for (const s of selectors) {
      const expected = objects.filter((o) => matchesSelector(s, o.labels));
      expect(index.select(s)).toEqual(expected);
      expect(index.some(s)).toBe(expected.length > 0);
    }
    expect(index.select({ matchLabels: { app: "a1" } }).length).toBeGreaterThan(0);
  });

  it("SelectorIndex.selecting, in the order the selectors were given", () => {
    const withUndefined = [...selectors, undefined];
    const index = new SelectorIndex(withUndefined, (s) => s);
    for (const o of objects) {
      const expected = withUndefined.filter((s) => s !== undefined && matchesSelector(s, o.labels));
      expect(index.selecting(o.labels)).toEqual(expected);
    }
    expect(index.selecting({ app: "a2", tier: "t1" })).toHaveLength(3);
  });
});
