// Resources locate their paths through a compact table (src/inputs/yaml-locations.ts) instead of
// the yaml node trees, which were most of a large scan's memory. The table must answer exactly as
// walking the tree does (locateInNode): every path of every object, missing keys and indexes,
// aliases, merge keys (in place, aliased, in lists, nested), repeated keys and anchors, List items.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseAllDocuments, type Node } from "yaml";
import { describe, expect, it } from "vitest";
import type { Path } from "../../src/core/types.js";
import { anchorsOf, locateInNode, parseYaml } from "../../src/inputs/yaml.js";

const here = import.meta.dirname;

/** Every path of `v`, and beside each a few that do not exist (missing key, index, deeper). */
function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
    out.push([...prefix, v.length], [...prefix, "x"], [...prefix, -1], [...prefix, 1.5]);
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
    out.push([...prefix, "missing"], [...prefix, 0], [...prefix, "missing", "deeper"]);
  } else out.push([...prefix, "below"]);
  return out;
}

/** Locations as the node tree gives them, for the documents that are one object (not a List). */
function treeLocations(text: string, file: string, docIndex: number, paths: Path[]) {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const root = list[docIndex]?.contents as Node;
  const posOf = (o: number) => {
    const p = lineCounter.linePos(o);
    return { line: Math.max(p.line, 1), column: p.col };
  };
  const anchors = anchorsOf(root);
  return paths.map((p) => locateInNode(root, p, file, posOf, anchors));
}

function compare(text: string, file: string): number {
  let compared = 0;
  for (const r of parseYaml(text, file).resources) {
    if (r.listIndex !== undefined) continue;
    const paths = pathsOf(r.object);
    expect(paths.map((p) => r.source.locate(p)), `${file} document ${r.docIndex}`).toEqual(
      treeLocations(text, file, r.docIndex, paths),
    );
    compared += paths.length;
  }
  return compared;
}

describe("the location table answers as the node tree", () => {
  it("with anchors, aliases, merge keys and repeated keys", () => {
    const file = join(here, "fixtures", "locations", "anchors-and-merges.yaml");
    expect(compare(readFileSync(file, "utf8"), "anchors-and-merges.yaml")).toBeGreaterThan(200);
  });

  it("on the rule fixtures", () => {
    const root = join(here, "..", "rules");
    let compared = 0;
    for (const rule of readdirSync(root)) {
      for (const kind of ["valid", "invalid"]) {
        let names: string[];
        try {
          names = readdirSync(join(root, rule, kind));
        } catch {
          continue;
        }
        for (const name of names.filter((n) => n.endsWith(".yaml"))) {
          const text = readFileSync(join(root, rule, kind, name), "utf8");
          // Files the lenient reading repairs have other offsets than a plain parse.
          if (parseYaml(text, name).findings.some((f) => f.ruleId === "lenient-yaml")) continue;
          compared += compare(text, name);
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  }, 120_000);

  it("List items, also aliased and scalar ones", () => {
    const text = readFileSync(join(here, "fixtures", "locations", "anchors-and-merges.yaml"), "utf8");
    const r = parseYaml(text, "m.yaml");
    const items = r.resources.filter((x) => x.listIndex !== undefined);
    expect(items.map((x) => [x.listIndex, x.source.locate(["metadata", "name"]).loc.line])).toEqual([
      [0, 35],
      [1, 35],
      [5, 40],
    ]);
    expect(r.findings.filter((f) => f.ruleId === "invalid-object").map((f) => [f.line, f.column])).toEqual([
      [37, 5],
      [38, 5],
      [39, 5],
    ]);
  });
});
