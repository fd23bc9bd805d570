// Cross-object rules of one run share the namespace scope, kind index and pods lookup of the
// resources the engine hands them (issue 9 item 4: a dozen rules each grouped 50,000 objects again).
// Counted, not timed: the reads of the objects' kinds while a run's rules build their lookups.
import { describe, expect, it } from "vitest";
import type { Resource } from "../../../src/core/types.js";
import { parseYaml } from "../../../src/inputs/yaml.js";
import { kindIndex, namespaceScope } from "../../../src/rules/lib/namespaces.js";
import { podsByNamespace } from "../../../src/rules/lib/workload-pods.js";

const text = [0, 1, 2]
  .map(
    (i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: d${i}, namespace: ns${i % 2} }
spec:
  selector: { matchLabels: { app: d${i} } }
  template:
    metadata: { labels: { app: d${i} } }
    spec: { containers: [{ name: c, image: "i:1" }] }
`,
  )
  .join("---\n");

function resources(): Resource[] {
  const parsed = parseYaml(text, "t.yaml");
  expect(parsed.findings).toEqual([]);
  return parsed.resources;
}

describe("lookups shared by the cross-object rules of a run", () => {
  it("one kind index and one namespace scope per array of resources", () => {
    const list = resources();
    expect(kindIndex(list)).toBe(kindIndex(list));
    expect(namespaceScope(list)).toBe(namespaceScope(list));
    // Another run (another array) gets its own.
    const other = [...list];
    expect(kindIndex(other)).not.toBe(kindIndex(list));
    expect(namespaceScope(other)).not.toBe(namespaceScope(list));
    expect(
      kindIndex(other)
        .ofKind("ns0", "Deployment")
        .map((r) => r.ref.name),
    ).toEqual(["d0", "d2"]);
  });

  it("one pods lookup per scope, reading each object's kind once however many rules ask", () => {
    const list = resources();
    let kindReads = 0;
    const counted = list.map((r) => ({
      ...r,
      ref: new Proxy(r.ref, {
        get(target, key, receiver) {
          if (key === "kind") kindReads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      }),
    }));
    const lookUp = () => podsByNamespace(namespaceScope(counted))("ns1").pods.size;
    expect(lookUp()).toBe(1);
    const once = kindReads;
    expect(once).toBeGreaterThan(0);
    for (let rule = 0; rule < 5; rule++) expect(lookUp()).toBe(1);
    expect(kindReads).toBe(once);
  });
});
