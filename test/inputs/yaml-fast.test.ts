// Issue 9 item 5: the fast reader (src/inputs/yaml-fast.ts) must give exactly what the exact path
// (the yaml package's parser and composer) gives, for every text it takes: the same objects, the
// same findings (duplicate keys, YAML 1.1 booleans, List items) and the same location of every path
// (and of missing ones). Compared here on every rule fixture, every input fixture, the chart corpus
// (when present) and variants of each (comment lines dropped, CRLF line ends, no final newline,
// trailing spaces, blank lines), and on cases written at the edges of the fast reader's subset.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Path } from "../../src/core/types.js";
import { parseYaml, parseYamlExact, parseYamlFast } from "../../src/inputs/yaml.js";

const here = import.meta.dirname;
const repo = join(here, "..", "..");

/** Every path of `v`, and beside each a few that do not exist (missing key, index, deeper). */
function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
    out.push([...prefix, v.length], [...prefix, "x"], [...prefix, -1]);
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
    out.push([...prefix, "missing"], [...prefix, 0], [...prefix, "missing", "deeper"]);
  } else out.push([...prefix, "below"]);
  return out;
}

/**
 * The fast reader's readings of `text` (with the line tokenizer and with the yaml package's lexer),
 * each compared with the exact path's; which of them took it.
 */
function same(text: string, name: string): { lines: boolean; lexer: boolean } {
  const exact = parseYamlExact(text, name);
  const what = (r: (typeof exact.resources)[number]) => ({
    ref: r.ref,
    object: r.object,
    file: r.file,
    docIndex: r.docIndex,
    listIndex: r.listIndex,
  });
  const took = { lines: false, lexer: false };
  for (const tokens of ["lines", "lexer"] as const) {
    const fast = parseYamlFast(text, name, undefined, tokens);
    if (fast === undefined) continue;
    took[tokens] = true;
    const label = `${name} (${tokens})`;
    expect(fast.findings, `${label}: findings`).toEqual(exact.findings);
    expect(fast.skipped, `${label}: skipped documents`).toBe(exact.skipped);
    expect(fast.resources.map(what), `${label}: objects`).toEqual(exact.resources.map(what));
    fast.resources.forEach((r, i) => {
      const other = exact.resources[i];
      const paths = pathsOf(r.object);
      expect(
        paths.map((p) => r.source.locate(p)),
        `${label}: locations in document ${r.docIndex}`,
      ).toEqual(paths.map((p) => other?.source.locate(p)));
    });
  }
  // What the line tokenizer takes, the lexer's tokens take too (it reads a subset of the subset).
  if (took.lines) expect(took.lexer, `${name}: read by lines but not by the lexer`).toBe(true);
  return took;
}

/** The variants each file is also read in. */
function variants(text: string): [string, string][] {
  const lf = text.replace(/\r\n/g, "\n");
  return [
    ["", text],
    [" (no comment lines)", lf.replace(/^[ \t]*#.*\n/gm, "")],
    [" (CRLF)", lf.replace(/\n/g, "\r\n")],
    [" (no final newline)", lf.replace(/\n+$/, "")],
    [" (trailing spaces)", lf.replace(/\n/g, "  \n")],
    [" (blank lines)", lf.replace(/\n/g, "\n\n")],
  ];
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function compareAll(files: string[]): { lines: number; lexer: number; exact: number } {
  const counts = { lines: 0, lexer: 0, exact: 0 };
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [suffix, variant] of variants(text)) {
      const took = same(variant, file.slice(repo.length + 1) + suffix);
      if (took.lines) counts.lines++;
      if (took.lexer) counts.lexer++;
      else counts.exact++;
    }
  }
  return counts;
}

describe("the fast reader gives what the exact path gives", () => {
  it("on every rule fixture and input fixture, in six variants each", () => {
    const files = [...yamlFiles(join(repo, "test", "rules")), ...yamlFiles(join(here, "fixtures"))];
    const counts = compareAll(files);
    console.log("fixtures", files.length, counts);
    // Most fixtures are in the subset: if the fast reader stopped taking them, nothing was compared.
    expect(counts.lexer).toBeGreaterThan(files.length * 2);
    expect(counts.lines).toBeGreaterThan(files.length * 2);
  }, 240_000);

  it("on the chart corpus, in six variants each", (ctx) => {
    const corpus = join(repo, "..", "shared", "corpus", "mycharts", "rendered");
    if (!existsSync(corpus)) {
      ctx.skip(`no corpus at ../shared/corpus/mycharts/rendered`);
      return;
    }
    const counts = compareAll(yamlFiles(corpus));
    console.log("corpus", counts);
    expect(counts.lexer).toBeGreaterThan(0);
    expect(counts.lines).toBeGreaterThan(0);
  }, 600_000);

  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
  const cases: [string, string, boolean][] = [
    ["empty values", `${cm}data:\n  a:\n  b:   \n  c: 1\nextra:\n`, true],
    ["an empty value before a deeper line", `${cm}data:\n  a:\n\n  b: x\n`, true],
    ["empty sequence items", `${cm}list:\n- \n-\n- x\n-\n`, true],
    ["a sequence at its key's indentation", `${cm}list:\n- a\n- b: 1\n  c: 2\nnext: 1\n`, true],
    ["nested sequences of mappings", `${cm}spec:\n  items:\n    - name: a\n      v:\n        - 1\n        - 2\n    - name: b\n`, true],
    ["scalars of every core type", `${cm}data:\n  a: 1\n  b: -2.5\n  c: 0x1F\n  d: 0o17\n  e: .inf\n  f: -.Inf\n  g: .nan\n  h: ~\n  i: null\n  j: true\n  k: False\n  l: 1e3\n  m: 007\n  n: +12\n`, true],
    [
      "go-yaml numbers and keys",
      `${cm}data:\n  a: 0644\n  b: 1_000\n  c: 0X1F\n  d: -0b101\n  0644: x\n  1e6: y\n  on: z\n  e: 2024-01-01\n  f: [0o17, +0x10]\n`,
      true,
    ],
    ["a key beyond int64", `${cm}data:\n  99999999999999999999: x\n`, false],
    ["YAML 1.1 booleans in values and keys", `${cm}data:\n  yes: y\n  on: Off\n  n: [n, Y, "yes"]\n`, true],
    ["keys that are numbers and booleans", `${cm}data:\n  1: a\n  true: b\n  0x10: c\n  1.50: d\n  "2": e\n`, true],
    ["quoted scalars with escapes", `${cm}data:\n  a: "x\\ty\\u00e9\\""\n  b: 'it''s'\n  "c d": "e: f"\n`, true],
    ["multi-line plain values", `${cm}data:\n  a: first\n    second\n\n    third\n  b: x\n`, true],
    ["repeated keys, nested and in flow", `${cm}data:\n  a: {x: 1, x: 2}\n  a:\n    b: 1\n    b: 2\n  c: 3\n  a: 4\n`, true],
    ["__proto__ keys", `${cm}data:\n  __proto__: x\n  a: {__proto__: y}\n`, true],
    ["flow collections", `${cm}data: {a: [1, [2, {b: c}], "d"], e: {}, f: []}\nlist: [ x , 'y' ]\n`, true],
    ["comments at line ends and before content", `# head\n---\n# doc\n${cm}data: # c\n  a: 1 # c\n  b: [1] # c\n`, true],
    ["documents: empty, scalar, list, null", `---\n---\nfoo\n---\n- a\n---\n~\n---\n${cm}---\n`, true],
    ["a List, also with a scalar item", `apiVersion: v1\nkind: List\nitems:\n- ${cm.replace(/\n(?=.)/g, "\n  ")}- 5\n-\n- {a: 1}\n`, true],
    ["an indented root", `  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n`, true],
    ["spaces before a colon", `apiVersion : v1\nkind:   ConfigMap\nmetadata :\n  name : x\n`, true],
    ["comment lines before a sibling or a value below", `${cm}data:\n  # c\n  a: 1\n    # deeper\n# left\n  b:\n  # c\n    c: 1\n    # c\n    d: [1]\nlist:\n# c\n- 1\n  # c\n- 2\n`, true],
    ["a comment line before the end of a mapping", `${cm}data:\n  a: 1\n  # c\nnext: 1\n`, false],
    ["a comment line before an empty value ends", `${cm}data:\n  a:\n  # c\n  b: 1\n`, false],
    ["a comment line at a document's end", `${cm}# c\n---\n${cm}`, false],
    ["an anchor", `${cm}data: &a\n  a: 1\n`, false],
    ["a block scalar", `${cm}data:\n  a: |\n    x\n`, false],
    ["a tag", `${cm}data:\n  a: !!str 1\n`, false],
    ["a merge key", `${cm}data:\n  <<: {a: 1}\n`, false],
    ["an empty value with a comment", `${cm}data:\n  a: # c\n  b: 1\n`, false],
    ["an empty item with a comment", `${cm}list:\n- # c\n- 1\n`, false],
    ["a comment after an indicator, the value below", `${cm}data: # c\n  a:  # c\n    b: 1\nlist: # c\n-  # c\n  - 1\n`, true],
    ["a bad indentation", `${cm}data:\n  a: 1\n b: 2\n`, false],
    ["a nested mapping on one line", `${cm}data:\n  a: b: c\n`, false],
    ["a comment without a space", `${cm}data:\n  a: 'b'#c\n`, false],
    ["a multi-line flow sequence", `${cm}data:\n  a: [1,\n    2]\n`, false],
    ["a tab", `${cm}data:\n\ta: 1\n`, false],
    ["a document end marker", `${cm}...\n`, false],
    ["a null key", `${cm}data:\n  ~: 1\n`, false],
    ["an unclosed quote", `${cm}data:\n  a: "one\n---\n  two"\n  b: 'x\n`, false],
    ["an unclosed bracket", `${cm}data:\n  a: [1, 2\n  b: x\n`, false],
  ];
  for (const [name, text, fast] of cases) {
    it(`${name}: ${fast ? "read fast, the same" : "read the exact way"}`, () => {
      for (const [suffix, variant] of variants(text)) {
        const took = same(variant, name + suffix);
        if (suffix === "") expect(took.lexer, name).toBe(fast);
      }
      // Whichever way it is read, parseYaml gives the exact path's result.
      const auto = parseYaml(text, name);
      const exact = parseYamlExact(text, name);
      expect(auto.findings).toEqual(exact.findings);
      expect(auto.resources.map((r) => r.object)).toEqual(exact.resources.map((r) => r.object));
    });
  }
});
