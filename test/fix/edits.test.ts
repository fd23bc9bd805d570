// Path ops → minimal text edits: everything outside the edited range stays byte-identical.
import { parseDocument, type Node } from "yaml";
import { describe, expect, it } from "vitest";
import type { PathOp } from "../../src/core/types.js";
import { opEdit } from "../../src/fix/edits.js";
import { applyEdits, mergeEdits } from "../../src/fix/merge.js";

function edit(text: string, op: PathOp, json = false): string {
  const doc = parseDocument(text);
  const r = opEdit(text, doc.contents as Node, op, json);
  if ("error" in r) return `error: ${r.error}`;
  return r.edit === undefined ? text : applyEdits(text, [r.edit]);
}

const TRICKY = `# leading comment
apiVersion: apps/v1   # trailing comment
kind: Deployment
metadata:
  name: 'web'
  labels: {app: web, tier: "front"}

spec:
  template:
    spec:
      containers:
        - name: web # the main one
          image: "nginx:1.27"
          ports: [80, 443]

          securityContext:
            # keep me
            runAsNonRoot: true
        - name: side
          image: busybox
      volumes: []
`;

describe("opEdit", () => {
  it("adds a key at the end of a block mapping and leaves every other byte alone", () => {
    const out = edit(TRICKY, {
      op: "set",
      path: ["spec", "template", "spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"],
      value: true,
    });
    expect(out).toBe(
      TRICKY.replace(
        "runAsNonRoot: true\n",
        "runAsNonRoot: true\n            readOnlyRootFilesystem: true\n",
      ),
    );
  });

  it("creates missing parents as a block under the right key", () => {
    const out = edit(TRICKY, {
      op: "set",
      path: ["spec", "template", "spec", "containers", 1, "securityContext", "capabilities", "drop"],
      value: ["ALL"],
    });
    expect(out).toBe(
      TRICKY.replace(
        "image: busybox\n",
        "image: busybox\n          securityContext:\n            capabilities:\n              drop:\n                - ALL\n",
      ),
    );
  });

  it("replaces a scalar in place, keeping its quoting style and the comment after it", () => {
    expect(edit(TRICKY, { op: "set", path: ["metadata", "name"], value: "api" })).toBe(
      TRICKY.replace("name: 'web'", "name: 'api'"),
    );
    expect(edit(TRICKY, { op: "set", path: ["apiVersion"], value: "apps/v2" })).toBe(
      TRICKY.replace("apps/v1   # trailing", "apps/v2   # trailing"),
    );
  });

  it("writes into flow collections in flow style", () => {
    expect(edit(TRICKY, { op: "set", path: ["metadata", "labels", "team"], value: "a" })).toBe(
      TRICKY.replace('tier: "front"}', 'tier: "front", team: a}'),
    );
    expect(
      edit(TRICKY, {
        op: "append",
        path: ["spec", "template", "spec", "containers", 0, "ports"],
        value: 8080,
      }),
    ).toBe(TRICKY.replace("[80, 443]", "[80, 443, 8080]"));
    expect(
      edit(TRICKY, { op: "append", path: ["spec", "template", "spec", "volumes"], value: { name: "tmp" } }),
    ).toBe(TRICKY.replace("volumes: []", "volumes: [{ name: tmp }]"));
  });

  it("removes a key with its line, and the last key of a mapping leaves {}", () => {
    const path = ["spec", "template", "spec", "containers", 0, "securityContext", "runAsNonRoot"];
    expect(edit(TRICKY, { op: "remove", path })).toBe(
      TRICKY.replace(
        "securityContext:\n            # keep me\n            runAsNonRoot: true\n",
        "securityContext: {}\n",
      ),
    );
    const two = "a:\n  b: 1 # one\n  c: 2\n";
    expect(edit(two, { op: "remove", path: ["a", "b"] })).toBe("a:\n  c: 2\n");
  });

  it("removes the first key of a list item by moving the next key behind the dash", () => {
    expect(
      edit("ports:\n  - hostPort: 80\n    containerPort: 80\n", {
        op: "remove",
        path: ["ports", 0, "hostPort"],
      }),
    ).toBe("ports:\n  - containerPort: 80\n");
  });

  it("keeps CRLF line endings", () => {
    const crlf = "a:\r\n  b: 1\r\nc: 2\r\n";
    expect(edit(crlf, { op: "set", path: ["a", "d"], value: true })).toBe(
      "a:\r\n  b: 1\r\n  d: true\r\nc: 2\r\n",
    );
  });

  it("fills an empty key and keeps the comment on its line", () => {
    expect(edit("a:\n  b: # why\n  c: 1\n", { op: "set", path: ["a", "b", "x"], value: 1 })).toBe(
      "a:\n  b: # why\n    x: 1\n  c: 1\n",
    );
    expect(edit("a:\n  b: ~\n", { op: "set", path: ["a", "b"], value: false })).toBe("a:\n  b: false\n");
  });

  it("appends to a block list at the items' indentation", () => {
    expect(edit("drop:\n- NET_RAW\nx: 1\n", { op: "append", path: ["drop"], value: "ALL" })).toBe(
      "drop:\n- NET_RAW\n- ALL\nx: 1\n",
    );
    expect(edit("drop:\n  - ALL\n", { op: "append", path: ["drop"], value: "ALL" })).toBe("drop:\n  - ALL\n");
  });

  it("refuses to edit through anchors, aliases and merge keys", () => {
    const anchored = "base: &sc\n  runAsNonRoot: true\nc:\n  securityContext: *sc\n";
    expect(edit(anchored, { op: "set", path: ["c", "securityContext", "privileged"], value: false })).toMatch(
      /alias/,
    );
    expect(edit(anchored, { op: "set", path: ["base", "privileged"], value: false })).toMatch(/anchor/);
    const merged = "a: &x {p: 1}\nb:\n  <<: *x\n  q: 2\n";
    expect(edit(merged, { op: "set", path: ["b", "p"], value: 3 })).toMatch(/merge key/);
  });

  it("writes JSON in JSON files", () => {
    expect(edit('{"spec": {"a": 1}}\n', { op: "set", path: ["spec", "b"], value: "x" }, true)).toBe(
      '{"spec": {"a": 1, "b": "x"}}\n',
    );
  });
});

describe("mergeEdits", () => {
  it("defers an overlapping edit and combines whole-line inserts at one offset, deepest first", () => {
    const text = "a:\n  b:\n    c: 1\nz: 0\n";
    const at = text.indexOf("z:");
    const { accepted, deferred } = mergeEdits(text, [
      { edit: { range: [at, at], text: "  d: 2\n" }, tag: "shallow" },
      { edit: { range: [at, at], text: "    e: 3\n" }, tag: "deep" },
      { edit: { range: [at, at], text: "  d: 2\n" }, tag: "same-key" },
      { edit: { range: [text.indexOf("1"), text.indexOf("1") + 1], text: "9" }, tag: "inside" },
      { edit: { range: [text.indexOf("1"), text.indexOf("1") + 1], text: "8" }, tag: "overlap" },
    ]);
    expect(deferred.sort()).toEqual(["overlap", "same-key"]);
    expect(
      applyEdits(
        text,
        accepted.map((a) => a.edit),
      ),
    ).toBe("a:\n  b:\n    c: 9\n    e: 3\n  d: 2\nz: 0\n");
  });

  it("takes two deletions that touch together, but not a deletion and a replacement that touch", () => {
    const text = "- a\n- b\n- c\n";
    const { accepted, deferred } = mergeEdits(text, [
      { edit: { range: [0, 4], text: "" }, tag: "a" },
      { edit: { range: [4, 8], text: "" }, tag: "b" },
      { edit: { range: [8, 12], text: "- d\n" }, tag: "c" },
    ]);
    expect(deferred).toEqual(["c"]);
    expect(
      applyEdits(
        text,
        accepted.map((a) => a.edit),
      ),
    ).toBe("- c\n");
  });
});
