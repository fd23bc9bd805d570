// The fix driver: declared fixes only, verification before anything is offered, exceptions respected.
import { chmodSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../src/core/config.js";
import { runRules } from "../../src/core/engine.js";
import { defineRule, type AnyRule } from "../../src/core/rule.js";
import { aloneWork, finalWork, fixTexts, reparseEdited, sliceOf } from "../../src/fix/fixer.js";
import { writeFixed } from "../../src/fix/write.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import type { Path, Resource } from "../../src/core/types.js";
import { RULES } from "../../src/rules/index.js";
import { runCli, tempTree } from "../e2e/helpers.js";
import { TODAY } from "../helpers/scan.js";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web # the app
      image: registry.example.com/web:1.0.0
      securityContext:
        readOnlyRootFilesystem: false
`;

function fix(
  text: string,
  options: {
    rules?: readonly AnyRule[];
    config?: Config;
    unsafe?: boolean;
    keep?: { container: string; field: string }[];
  } = {},
) {
  return fixTexts(new Map([["pod.yaml", text]]), {
    rules: options.rules ?? RULES,
    config: options.config ?? EMPTY_CONFIG,
    unsafe: options.unsafe ?? true,
    keep: options.keep ?? [],
    today: TODAY,
  });
}

/** A rule on `metadata.name` with a configurable fix, to exercise the engine and the verifier. */
function nameRule(meta: "safe" | "none", ops: { op: "set"; path: string[]; value: unknown }[]): AnyRule {
  return defineRule({
    meta: {
      id: "test-name",
      title: "t",
      category: "reliability",
      severity: "low",
      description: "t",
      remediation: "t",
      messages: { bad: "name is {{name}}" },
      fix: meta,
      equivalents: {},
    },
    create(context) {
      return {
        resource(r) {
          if (r.ref.name !== "web") return;
          context.report({
            resource: r,
            path: ["metadata", "name"],
            messageId: "bad",
            data: { name: r.ref.name },
            fix: { description: "rename", ops },
          });
        },
      };
    },
  });
}

describe("fixTexts", () => {
  it("rewrites only the value and keeps comments", () => {
    const out = fix(POD, { rules: RULES.filter((r) => r.meta.id === "read-only-root-filesystem") });
    expect(out.files[0]?.after).toBe(
      POD.replace("readOnlyRootFilesystem: false", "readOnlyRootFilesystem: true"),
    );
    expect(out.applied.map((a) => `${a.ruleId} ${a.kind} ${a.paths.join()}`)).toEqual([
      "read-only-root-filesystem unsafe spec.containers[0].securityContext.readOnlyRootFilesystem",
    ]);
  });

  it("leaves unsafe fixes out without --unsafe, and says why", () => {
    const out = fix(POD, { unsafe: false });
    expect(out.applied.filter((a) => a.kind === "unsafe")).toEqual([]);
    const u = out.unfixed.find((x) => x.ruleId === "read-only-root-filesystem");
    expect(u?.status).toBe("skipped");
    expect(u?.reason).toMatch(/--unsafe/);
  });

  it("leaves a kept field alone", () => {
    const out = fix(POD, { keep: [{ container: "web", field: "securityContext.readOnlyRootFilesystem" }] });
    expect(out.applied.filter((a) => a.ruleId === "read-only-root-filesystem")).toEqual([]);
    expect(out.unfixed.find((x) => x.ruleId === "read-only-root-filesystem")?.reason).toMatch(
      /kept: web:securityContext.readOnlyRootFilesystem/,
    );
  });

  it("respects suppression annotations", () => {
    const text = POD.replace(
      "  name: web\n",
      "  name: web\n  annotations:\n    kubeward.io/ignore: read-only-root-filesystem\n",
    );
    const out = fix(text);
    expect(out.applied.filter((a) => a.ruleId === "read-only-root-filesystem")).toEqual([]);
  });

  it("fixes an object whose suppression is expired (its notice is no new finding)", () => {
    // The notice about the expired suppression is there before and after the fix; the check of the
    // fixed object compared it with nothing and refused every fix on such an object.
    const text = POD.replace(
      "  name: web\n",
      '  name: web\n  annotations:\n    kubeward.io/ignore: read-only-root-filesystem\n    kubeward.io/ignore-until: "2001-01-01"\n',
    );
    const out = fix(text, { rules: RULES.filter((r) => r.meta.id === "read-only-root-filesystem") });
    expect(out.applied.map((a) => a.ruleId)).toEqual(["read-only-root-filesystem"]);
    expect(out.unfixed.map((u) => u.ruleId)).toEqual(["expired-suppression"]);
    expect(out.findingsAfter).toBe(out.findingsBefore - 1);
  });

  it("drops a fix that changes the object's identity into a new finding, with the reason", () => {
    // Renaming to the same name would not remove the finding: the verifier says so.
    const out = fix(POD, {
      rules: [nameRule("safe", [{ op: "set", path: ["metadata", "name"], value: "web" }])],
    });
    expect(out.applied).toEqual([]);
    expect(out.unfixed[0]?.reason).toMatch(/^not fixable automatically: /);
  });

  it("drops a fix whose result no longer validates", () => {
    // `containers` must be a list: the shape check after the edit stops it.
    const out = fix(POD, {
      rules: [nameRule("safe", [{ op: "set", path: ["spec", "containers"], value: "x" }])],
    });
    expect(out.applied).toEqual([]);
    expect(out.unfixed[0]?.status).toBe("failed");
  });

  it("reads the fixed object as the scan does: an octal file mode elsewhere in it is no change", () => {
    // The scan reads `0644` as Kubernetes does (420); a YAML 1.2 reading (644) would call the
    // unchanged volume a change outside the fix's paths and drop the fix.
    const text = `${POD}  volumes:\n    - name: cfg\n      configMap:\n        name: cfg\n        defaultMode: 0644\n`;
    const out = fix(text, { rules: RULES.filter((r) => r.meta.id === "read-only-root-filesystem") });
    expect(out.unfixed).toEqual([]);
    expect(out.files[0]?.after).toBe(
      text.replace("readOnlyRootFilesystem: false", "readOnlyRootFilesystem: true"),
    );
  });

  it("uses fix.defaults for numbers and never invents one", () => {
    const root = POD.replace("readOnlyRootFilesystem: false", "runAsUser: 0");
    const none = fix(root);
    expect(none.unfixed.find((u) => u.ruleId === "run-as-root")?.reason).toMatch(/fix.defaults.runAsUser/);
    const withDefault = fix(root, {
      config: { ...EMPTY_CONFIG, fix: { keep: [], defaults: { runAsUser: 10001 } } },
    });
    expect(withDefault.files[0]?.after).toContain("runAsUser: 10001");
  });
});

/**
 * A cross-object rule whose finding lands in ANOTHER file: the ConfigMap `watch` (cm.yaml) is
 * reported once the Pod `web`'s first container has a read-only root filesystem.
 */
const watcher: AnyRule = defineRule({
  meta: {
    id: "test-watch",
    title: "t",
    category: "reliability",
    severity: "low",
    description: "t",
    remediation: "t",
    messages: { seen: "a pod has a read-only root filesystem" },
    scope: "cluster",
    fix: "none",
    equivalents: {},
  },
  create(context) {
    return {
      end(resources) {
        const cm = resources.find((r) => r.ref.kind === "ConfigMap" && r.ref.name === "watch");
        const readOnly = resources.some((r) => {
          const spec = r.object["spec"] as { containers?: { securityContext?: Record<string, unknown> }[] };
          return (
            r.ref.kind === "Pod" &&
            r.ref.name === "web" &&
            spec.containers?.[0]?.securityContext?.["readOnlyRootFilesystem"] === true
          );
        });
        if (cm !== undefined && readOnly)
          context.report({ resource: cm, path: ["metadata", "name"], messageId: "seen" });
      },
    };
  },
});

const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: watch
data:
  a: "1"
`;

describe("verification across files", () => {
  const rules = [...RULES.filter((r) => r.meta.id === "read-only-root-filesystem"), watcher];
  const options = { rules, config: EMPTY_CONFIG, unsafe: true, keep: [], today: TODAY };

  it("drops a fix that brings a cross-object finding on an object of another, untouched file", () => {
    const texts = new Map([
      ["pod.yaml", POD],
      ["cm.yaml", CM],
    ]);
    const out = fixTexts(texts, options);
    expect(out.applied).toEqual([]);
    expect(out.files).toEqual([]);
    const u = out.unfixed.find((x) => x.ruleId === "read-only-root-filesystem");
    expect(u?.status).toBe("failed");
    expect(u?.reason).toMatch(/gains a finding \(test-watch: a pod has a read-only root filesystem\)/);
    expect(out.findingsAfter).toBe(out.findingsBefore);
  });

  it("keeps another file's good fix and drops the one that brings the finding", () => {
    const texts = new Map([
      ["api.yaml", POD.replace("name: web\n", "name: api\n")],
      ["pod.yaml", POD],
      ["cm.yaml", CM],
    ]);
    const out = fixTexts(texts, options);
    expect(out.applied.map((a) => `${a.file} ${a.ruleId}`)).toEqual(["api.yaml read-only-root-filesystem"]);
    expect(out.files.map((f) => f.file)).toEqual(["api.yaml"]);
    expect(out.unfixed.filter((x) => x.status === "failed").map((x) => x.file)).toEqual(["pod.yaml"]);
    expect(out.findingsAfter).toBe(out.findingsBefore - 1);
  });
});

describe("the search for the fix that brings a cross-object finding", () => {
  const ids = [
    "read-only-root-filesystem",
    "privilege-escalation",
    "capabilities-not-dropped",
    "seccomp-profile",
  ];
  const texts = new Map([
    ["pod.yaml", POD],
    ["cm.yaml", CM],
  ]);

  it("drops only the fix that alone brings it, answering for the others from one watched run", () => {
    const rules = [...RULES.filter((r) => ids.includes(r.meta.id)), watcher];
    const runs = aloneWork.runs;
    const watched = aloneWork.watched;
    const out = fixTexts(texts, { rules, config: EMPTY_CONFIG, unsafe: true, keep: [], today: TODAY });
    expect(out.applied.map((a) => a.ruleId).sort()).toEqual(
      ["capabilities-not-dropped", "privilege-escalation", "seccomp-profile"].sort(),
    );
    expect(out.unfixed.filter((u) => u.status === "failed").map((u) => u.ruleId)).toEqual([
      "read-only-root-filesystem",
    ]);
    // Four suspects: the watched run, then one run for the fix whose change the watcher reads.
    expect(aloneWork.runs - runs).toBe(2);
    expect(aloneWork.watched - watched).toBe(3);
  });

  it("runs the rule for every fix when it reads the whole object", () => {
    // The same watcher, but it reads the Pod as text: every fix changes what it reads.
    const whole: AnyRule = defineRule({
      ...watcher,
      create(context) {
        const inner = watcher.create(context);
        return {
          end(resources) {
            for (const r of resources) JSON.stringify(r.object);
            inner.end?.(resources);
          },
        };
      },
    });
    const rules = [...RULES.filter((r) => ids.includes(r.meta.id)), whole];
    const runs = aloneWork.runs;
    const watched = aloneWork.watched;
    const out = fixTexts(texts, { rules, config: EMPTY_CONFIG, unsafe: true, keep: [], today: TODAY });
    expect(out.unfixed.filter((u) => u.status === "failed").map((u) => u.ruleId)).toEqual([
      "read-only-root-filesystem",
    ]);
    expect(out.applied).toHaveLength(3);
    expect(aloneWork.runs - runs).toBe(5);
    expect(aloneWork.watched - watched).toBe(0);
  });
});

describe("the final scan", () => {
  // The Pod's suppression names the cross-object rule: a notice would call it unknown if the final
  // scan's single-object run did not know every rule ID.
  const pod = POD.replace(
    "  name: web\n",
    "  name: web\n  annotations:\n    kubeward.io/ignore: test-watch\n",
  );
  const rofs = RULES.filter((r) => r.meta.id === "read-only-root-filesystem");
  const run = (rules: readonly AnyRule[]) =>
    fixTexts(new Map([["pod.yaml", pod]]), {
      rules,
      config: EMPTY_CONFIG,
      unsafe: true,
      keep: [],
      today: TODAY,
    });

  it("reuses the last re-scan's cross-object findings and knows every rule a suppression names", () => {
    const reused = finalWork.reused;
    const out = run([...rofs, watcher]);
    expect(finalWork.reused - reused).toBe(1);
    expect(out.applied.map((a) => a.ruleId)).toEqual(["read-only-root-filesystem"]);
    expect(out.findingsAfter).toBe(out.findingsBefore - 1);
  });

  it("scans everything again when a cross-object rule crashed in the last re-scan", () => {
    const crashing: AnyRule = defineRule({
      ...watcher,
      meta: { ...watcher.meta, id: "test-crash" },
      create() {
        return {
          end() {
            throw new Error("boom");
          },
        };
      },
    });
    const reused = finalWork.reused;
    const out = run([...rofs, watcher, crashing]);
    expect(finalWork.reused - reused).toBe(0);
    expect(out.applied.map((a) => a.ruleId)).toEqual(["read-only-root-filesystem"]);
    expect(out.findingsAfter).toBe(out.findingsBefore - 1);
  });
});

describe("documents of one file", () => {
  it("edits each document where it is: comments between documents, `...`, content on the `---` line, CRLF", () => {
    const pod = (name: string) => POD.replace("name: web\n", `name: ${name}\n`);
    const text = [
      "# head\n",
      pod("a"),
      "# after a\n\n---\n",
      pod("b").replace("readOnlyRootFilesystem: false\n", "readOnlyRootFilesystem: false"),
      "\n...\n---\n# c\n",
      pod("c"),
      "--- {apiVersion: v1, kind: Pod, metadata: {name: d}, spec: {containers: [{name: web, image: x:1, securityContext: {readOnlyRootFilesystem: false}}]}}\n",
    ].join("");
    const rules = RULES.filter((r) => r.meta.id === "read-only-root-filesystem");
    for (const eol of ["\n", "\r\n"]) {
      const input = text.replaceAll("\n", eol);
      const out = fix(input, { rules });
      expect(out.applied.map((a) => a.resource)).toEqual(["Pod/a", "Pod/b", "Pod/c", "Pod/d"]);
      expect(out.files[0]?.after).toBe(
        input.replaceAll("readOnlyRootFilesystem: false", "readOnlyRootFilesystem: true"),
      );
    }
  });
});

describe("items of one list", () => {
  const caps = (add: string) =>
    POD.replace(
      "        readOnlyRootFilesystem: false\n",
      `        capabilities:\n          add:\n${add}`,
    ).replace(" # the app", "");
  const rules = RULES.filter((r) => r.meta.id === "added-capabilities");

  it("removes several items in one pass, each the item its finding names", () => {
    const out = fix(
      caps(
        "            - CHOWN\n            - NET_BIND_SERVICE # kept\n            - FOWNER\n            - SYS_NICE\n",
      ),
      {
        rules,
        config: {
          ...EMPTY_CONFIG,
          rules: { "added-capabilities": { options: { allowed: ["NET_BIND_SERVICE"] } } },
        },
      },
    );
    expect(out.passes).toBe(1);
    expect(out.applied.map((a) => a.paths.join())).toEqual([
      "spec.containers[0].securityContext.capabilities.add[0]",
      "spec.containers[0].securityContext.capabilities.add[2]",
      "spec.containers[0].securityContext.capabilities.add[3]",
    ]);
    expect(out.files[0]?.after).toBe(caps("            - NET_BIND_SERVICE # kept\n"));
  });

  it("empties a list whose every item goes in two passes, never as null", () => {
    const out = fix(caps("            - CHOWN\n            - FOWNER\n            - SYS_NICE\n"), { rules });
    expect(out.passes).toBe(2);
    expect(out.applied).toHaveLength(3);
    expect(out.files[0]?.after).toBe(caps("").replace("add:\n", "add: []\n"));
    expect(out.findingsAfter).toBe(0);
  });
});

/** A rule that sets label `key` on Pod `web` (a safe fix), to exercise the fix-by-fix verification. */
function labelRule(key: string): AnyRule {
  return defineRule({
    meta: {
      id: `test-label-${key}`,
      title: "t",
      category: "reliability",
      severity: "low",
      description: "t",
      remediation: "t",
      messages: { missing: "label {{key}} is missing" },
      fix: "safe",
      equivalents: {},
    },
    create(context) {
      return {
        resource(r) {
          const labels = (r.object["metadata"] as { labels?: Record<string, unknown> }).labels ?? {};
          if (r.ref.kind !== "Pod" || labels[key] !== undefined) return;
          context.report({
            resource: r,
            path: ["metadata"],
            messageId: "missing",
            data: { key },
            fix: {
              description: `label ${key}`,
              ops: [{ op: "set", path: ["metadata", "labels", key], value: "1" }],
            },
          });
        },
      };
    },
  });
}

/** A single-object rule that reports label `b`: the fix of test-label-b brings its finding. */
const tripwire: AnyRule = defineRule({
  meta: {
    id: "test-trip",
    title: "t",
    category: "reliability",
    severity: "low",
    description: "t",
    remediation: "t",
    messages: { b: "label b is set" },
    fix: "none",
    equivalents: {},
  },
  create(context) {
    return {
      resource(r) {
        const labels = (r.object["metadata"] as { labels?: Record<string, unknown> }).labels ?? {};
        if (labels["b"] !== undefined) context.report({ resource: r, path: ["metadata"], messageId: "b" });
      },
    };
  },
});

describe("fixes of one object that fail together", () => {
  const labelled = POD.replace("  name: web\n", "  name: web\n  labels:\n    app: web\n");

  it("keeps the good ones together and drops the one that brings a finding, with the reason", () => {
    const out = fix(labelled, { rules: [labelRule("a"), labelRule("b"), labelRule("c"), tripwire] });
    expect(out.applied.map((a) => `${a.ruleId} ${String(a.pass)}`)).toEqual([
      "test-label-a 1",
      "test-label-c 1",
    ]);
    expect(out.passes).toBe(1);
    const b = out.unfixed.find((u) => u.ruleId === "test-label-b");
    expect(b?.status).toBe("failed");
    expect(b?.reason).toBe("not fixable automatically: it would add a finding (test-trip: label b is set)");
    expect(out.files[0]?.after).toBe(
      labelled.replace("    app: web\n", '    app: web\n    a: "1"\n    c: "1"\n'),
    );
    expect(out.findingsAfter).toBe(out.findingsBefore - 2);
  });

  it("applies the one good fix alone", () => {
    const out = fix(labelled, { rules: [labelRule("b"), labelRule("a"), tripwire] });
    expect(out.applied.map((a) => a.ruleId)).toEqual(["test-label-a"]);
    expect(out.unfixed.map((u) => `${u.ruleId} ${u.status}`)).toEqual(["test-label-b failed"]);
    expect(out.files[0]?.after).toBe(labelled.replace("    app: web\n", '    app: web\n    a: "1"\n'));
  });
});

/** Every path of a parsed value (map keys and list items), and one missing key under each map. */
function pathsOf(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (typeof v === "object" && v !== null) {
    out.push([...at, "missing-key"]);
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  }
  return out;
}

describe("re-parsing the edited documents only", () => {
  const text = [
    "# head\n",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  a: "1" # a comment\n',
    "---\n# before two\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n    - name: web\n      image: x:1\n",
    "# after two\n...\n---\n",
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: three}\ndata: {b: "2"}\n',
    "--- {apiVersion: v1, kind: Pod,\n  metadata: {name: four, labels: {x: y,\n    z: w}},\n",
    "  spec: {containers: [{name: web, image: 'x:1'}]}}\n",
  ].join("");
  // Document two gains three lines, document four loses one.
  const edits: [string, string, string][] = [
    [
      "two",
      "      image: x:1\n",
      "      image: x:1\n      securityContext:\n        runAsNonRoot: true\n        privileged: false\n",
    ],
    ["four", "x: y,\n    ", ""],
  ];

  for (const eol of ["\n", "\r\n"]) {
    it(`gives what a parse of the whole new text gives (${eol === "\n" ? "LF" : "CRLF"})`, () => {
      const input = text.replaceAll("\n", eol);
      const prev = parseYaml(input, "f.yaml");
      expect(prev.resources.map((r) => r.ref.name)).toEqual(["one", "two", "three", "four"]);
      const edited = edits.map(([name, from, to]) => {
        const r = prev.resources.find((x) => x.ref.name === name) as Resource;
        const slice = sliceOf(input, r);
        if (slice === undefined) throw new Error(`no slice for ${name}`);
        const after = slice.text.replace(from.replaceAll("\n", eol), to.replaceAll("\n", eol));
        expect(after).not.toBe(slice.text);
        return { r, base: slice.base, before: slice.text, after };
      });
      // Each edit's text is in the file once: the file edited as the slices were.
      let output = input;
      for (const [, from, to] of edits)
        output = output.replace(from.replaceAll("\n", eol), to.replaceAll("\n", eol));
      const again = reparseEdited(prev, output, "f.yaml", edited);
      const whole = parseYaml(output, "f.yaml");
      expect(again).toBeDefined();
      const got = again?.resources ?? [];
      expect(got).toHaveLength(whole.resources.length);
      whole.resources.forEach((w, i) => {
        const g = got[i] as Resource;
        expect([g.ref, g.docIndex, g.listIndex, g.file]).toEqual([w.ref, w.docIndex, w.listIndex, w.file]);
        expect(g.object).toEqual(w.object);
        for (const p of pathsOf(w.object)) expect(g.source.locate(p)).toEqual(w.source.locate(p));
      });
      // Only the edited documents were parsed: the first is the same resource, the third the same object.
      expect(got[0]).toBe(prev.resources[0]);
      expect(got[2]?.object).toBe(prev.resources[2]?.object);
      expect(got[2]?.source.locate(["data", "b"]).loc.line).toBe(
        (prev.resources[2]?.source.locate(["data", "b"]).loc.line ?? 0) + 3,
      );
    });
  }

  it("parses the whole file again for a directive or an item of a List", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
    const directive = `%YAML 1.2\n---\n${pod}`;
    const prev = parseYaml(directive, "d.yaml");
    const r = prev.resources[0] as Resource;
    const slice = sliceOf(directive, r);
    expect(slice).toBeDefined();
    const e = {
      r,
      base: slice?.base ?? 0,
      before: slice?.text ?? "",
      after: `${slice?.text ?? ""}  labels: {}\n`,
    };
    expect(reparseEdited(prev, directive + "  labels: {}\n", "d.yaml", [e])).toBeUndefined();
    const list = `apiVersion: v1\nkind: List\nitems:\n  - ${pod.replaceAll("\n", "\n    ").trimEnd()}\n`;
    const items = parseYaml(list, "l.yaml");
    const item = items.resources[0] as Resource;
    expect(item.listIndex).toBe(0);
    expect(
      reparseEdited(items, list, "l.yaml", [{ r: item, base: 0, before: list, after: list }]),
    ).toBeUndefined();
  });
});

describe("engine", () => {
  it("rejects a fix from a rule whose metadata says it has none", () => {
    const rule = nameRule("none", [{ op: "set", path: ["metadata", "name"], value: "api" }]);
    const result = runRules(parseYaml(POD, "pod.yaml").resources, {
      rules: [rule],
      config: EMPTY_CONFIG,
      today: TODAY,
    });
    expect(result.findings.find((f) => f.ruleId === "test-name")?.fix).toBeUndefined();
    expect(result.findings.some((f) => f.ruleId === "internal-error" && /fix: none/.test(f.message))).toBe(
      true,
    );
  });
});

describe("writeFixed", () => {
  it("writes atomically, keeps the file mode and leaves no temp file", () => {
    const dir = tempTree({ "a.yaml": "a: 1\n" });
    const file = join(dir, "a.yaml");
    chmodSync(file, 0o640);
    writeFixed(file, "a: 1\n", "a: 2\n");
    expect(readFileSync(file, "utf8")).toBe("a: 2\n");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["a.yaml"]);
  });

  it("refuses a file that changed on disk since it was read", () => {
    const dir = tempTree({ "a.yaml": "a: 1\n" });
    const file = join(dir, "a.yaml");
    writeFileSync(file, "a: 3\n");
    expect(() => {
      writeFixed(file, "a: 1\n", "a: 2\n");
    }).toThrow(/changed on disk/);
    expect(readFileSync(file, "utf8")).toBe("a: 3\n");
  });
});

describe("kubeward fix", () => {
  it("prints a diff with what and why, and changes nothing without --write", async () => {
    const dir = tempTree({ "pod.yaml": POD });
    const r = await runCli(
      ["fix", "pod.yaml", "--unsafe", "--rule", "read-only-root-filesystem", "--no-config"],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "# fix read-only-root-filesystem (unsafe) pod.yaml:10:9 Pod/web: Set securityContext.readOnlyRootFilesystem: true",
    );
    expect(r.stdout).toContain(
      "-        readOnlyRootFilesystem: false\n+        readOnlyRootFilesystem: true\n",
    );
    expect(readFileSync(join(dir, "pod.yaml"), "utf8")).toBe(POD);
  });

  it("writes with --write, and a second run has nothing left for that rule", async () => {
    const dir = tempTree({ "pod.yaml": POD });
    const args = ["fix", "pod.yaml", "--unsafe", "--rule", "read-only-root-filesystem", "--no-config"];
    expect((await runCli([...args, "--write"], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, "pod.yaml"), "utf8")).toContain("readOnlyRootFilesystem: true");
    const again = await runCli([...args, "--format", "json"], { cwd: dir });
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { applied: unknown[] }).applied).toEqual([]);
  });

  it("rejects --rule for a rule without a fix", async () => {
    const dir = tempTree({ "pod.yaml": POD });
    const r = await runCli(["fix", "--rule", "liveness-probe-missing"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no automatic fix/);
  });
});
