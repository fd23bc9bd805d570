// The selector helper against the API server's documented semantics (apimachinery labels).
import { describe, expect, it } from "vitest";
import {
  asLabelSelector,
  isEmptySelector,
  matchesSelector,
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
