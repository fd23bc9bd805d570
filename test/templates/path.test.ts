import { describe, expect, it } from "vitest";
import { checkOptions, option } from "../../src/core/options.js";
import { ANY, formatFieldPath, matchFieldPath, parseFieldPath } from "../../src/rules/templates/path.js";

describe("field paths", () => {
  it("parse keys, indexes, wildcards and quoted keys", () => {
    expect(parseFieldPath('metadata.annotations["a.io/b"]')).toEqual(["metadata", "annotations", "a.io/b"]);
    expect(parseFieldPath("ports[*].hostPort")).toEqual(["ports", ANY, "hostPort"]);
    expect(parseFieldPath("volumes.*.name")).toEqual(["volumes", ANY, "name"]);
    expect(parseFieldPath("containers[0]")).toEqual(["containers", 0]);
  });

  it("reject malformed paths with a reason", () => {
    expect(parseFieldPath("")).toBe("the path is empty");
    expect(parseFieldPath("a.")).toBe("the path ends with `.`");
    expect(parseFieldPath("a[1")).toBe("unclosed `[` at character 2");
    expect(parseFieldPath("a[x]")).toMatch(/must be `\[\*\]`/);
  });

  it("match every item under a wildcard, and a missing key once, cut at the next wildcard", () => {
    const obj = { ports: [{ hostPort: 80 }, { containerPort: 1 }], env: {} };
    expect(matchFieldPath(obj, ["ports", ANY, "hostPort"])).toEqual([
      { path: ["ports", 0, "hostPort"], value: 80, present: true },
      { path: ["ports", 1, "hostPort"], value: undefined, present: false },
    ]);
    expect(matchFieldPath(obj, ["env", ANY, "x"])).toEqual([]);
    expect(matchFieldPath(obj, ["spec", "a", ANY, "b"])).toEqual([
      { path: ["spec", "a"], value: undefined, present: false },
    ]);
  });

  it("format paths as users write them", () => {
    expect(formatFieldPath(["metadata", "annotations", "a.io/b"])).toBe('metadata.annotations["a.io/b"]');
    expect(formatFieldPath(["ports", 1, "hostPort"])).toBe("ports[1].hostPort");
  });
});

describe("scalar options", () => {
  const schema = { value: option.scalar("A value.") };
  it("accept strings, numbers, booleans and null, nothing else", () => {
    for (const v of ["x", 1, true, null]) expect(checkOptions(schema, { value: v })).toEqual([]);
    expect(checkOptions(schema, { value: [1] }).map((p) => p.message)).toEqual([
      "option `value` must be a string, number or boolean, not a list",
    ]);
  });
});
