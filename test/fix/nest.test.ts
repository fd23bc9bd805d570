// Edits at one spot nested without a new parse (merge.ts nestInserts) give the bytes that a parse of
// the edited text and a next round of edits give (as the fixer did before, and still does when
// nestInserts declines).
import { parseDocument, type Node } from "yaml";
import { describe, expect, it } from "vitest";
import type { PathOp, TextEdit } from "../../src/core/types.js";
import { opEdit } from "../../src/fix/edits.js";
import { applyEdits, mergeEdits, nestInserts } from "../../src/fix/merge.js";

function editsOf(text: string, ops: readonly PathOp[]): { edit: TextEdit; tag: PathOp }[] {
  const root = parseDocument(text).contents as Node;
  return ops.map((op) => {
    const r = opEdit(text, root, op);
    if ("error" in r || r.edit === undefined) throw new Error(`no edit for ${JSON.stringify(op)}`);
    return { edit: r.edit, tag: op };
  });
}

/** Round after round, each on a new parse of the text the round before made. */
function byRounds(text: string, ops: readonly PathOp[]): string {
  let cur = text;
  let pending = [...ops];
  while (pending.length > 0) {
    const { accepted, deferred } = mergeEdits(cur, editsOf(cur, pending));
    cur = applyEdits(
      cur,
      accepted.map((a) => a.edit),
    );
    pending = deferred;
  }
  return cur;
}

/** The first round's edits with the deferred ones nested in; undefined when nestInserts declines. */
function nested(text: string, ops: readonly PathOp[]): string | undefined {
  const tagged = editsOf(text, ops);
  const { accepted, deferred } = mergeEdits(text, tagged);
  expect(deferred.length).toBeGreaterThan(0);
  const later = deferred.map((op) => tagged.find((t) => t.tag === op)?.edit as TextEdit);
  const edits = nestInserts(
    text,
    accepted.map((a) => a.edit),
    later,
  );
  return edits === undefined ? undefined : applyEdits(text, edits);
}

const c = (...path: (string | number)[]) => ["spec", "containers", 0, "securityContext", ...path];
const HARDEN: PathOp[] = [
  { op: "set", path: c("capabilities", "drop"), value: ["ALL"] },
  { op: "set", path: c("allowPrivilegeEscalation"), value: false },
  { op: "set", path: c("capabilities", "add"), value: ["NET_BIND_SERVICE"] },
  { op: "set", path: c("seccompProfile"), value: { type: "RuntimeDefault" } },
  { op: "set", path: c("readOnlyRootFilesystem"), value: true },
];
const POD = (sc: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx${sc}
  volumes: []
`;

describe("nestInserts", () => {
  it.each([
    ["a container without a securityContext", POD("")],
    ["a securityContext with no value", POD("\n      securityContext:")],
    [
      "a securityContext with no value at the end of the text",
      POD("\n      securityContext:").replace("  volumes: []\n", ""),
    ],
  ])("nests keys added below a missing mapping as the next rounds would: %s", (_name, text) => {
    const out = nested(text, HARDEN);
    expect(out).toBeDefined();
    expect(out).toBe(byRounds(text, HARDEN));
    expect(out).toContain("capabilities:\n");
    expect(parseDocument(out ?? "").errors).toEqual([]);
  });

  it("nests keys into an empty flow mapping as the next rounds would", () => {
    const text = POD("\n      securityContext: {}");
    const ops = HARDEN.filter((o) => o.path.length === 5);
    const out = nested(text, ops);
    expect(out).toBe(byRounds(text, ops));
    expect(out).toContain(
      "securityContext: {allowPrivilegeEscalation: false, seccompProfile: { type: RuntimeDefault }, readOnlyRootFilesystem: true}\n",
    );
  });

  it("nests each key into the mapping its line names when two mappings end at one offset", () => {
    // The pod's securityContext and the last container's end on the same line.
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
`;
    const ops: PathOp[] = [
      { op: "set", path: ["spec", "securityContext", "runAsNonRoot"], value: true },
      ...HARDEN,
      { op: "set", path: ["spec", "securityContext", "seccompProfile"], value: { type: "RuntimeDefault" } },
    ];
    const out = nested(text, ops);
    expect(out).toBeDefined();
    expect(out).toBe(byRounds(text, ops));
  });

  it("declines a key two fixes both write (the next round decides from a parse)", () => {
    const text = POD("");
    const ops: PathOp[] = [
      { op: "set", path: c("runAsUser"), value: 1000 },
      { op: "set", path: c("runAsUser"), value: 2000 },
    ];
    expect(nested(text, ops)).toBeUndefined();
    const flow = POD("\n      securityContext: {}");
    expect(nested(flow, ops)).toBeUndefined();
  });

  it("declines a block scalar (written differently as a nested value than as a key's own)", () => {
    const ops: PathOp[] = [
      { op: "set", path: c("seLinuxOptions", "type"), value: "line one\nline two" },
      { op: "set", path: c("runAsNonRoot"), value: true },
    ];
    expect(nested(POD(""), ops)).toBeUndefined();
    expect(nested(POD(""), [...ops].reverse())).toBeUndefined();
  });

  it("declines to descend into a list", () => {
    const text = POD("");
    const ops: PathOp[] = [
      { op: "set", path: c("capabilities", "drop"), value: ["ALL"] },
      { op: "append", path: c("capabilities", "drop"), value: "NET_RAW" },
    ];
    expect(nested(text, ops)).toBeUndefined();
  });
});
