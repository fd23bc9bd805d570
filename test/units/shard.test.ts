// --shard I/N (issue 13 item 3): deterministic, stable under renames elsewhere, balanced by size.
import { describe, expect, it } from "vitest";
import { assignShards, parseShard, SHARD_SLACK } from "../../src/units/shard.js";

/** 300 units with sizes spread like real manifests (a few large, many small); deterministic. */
function units(n = 300): { key: string; size: number }[] {
  let x = 12345;
  const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => ({
    key: `charts/c${i}/all.yaml`,
    size: Math.round(500 + 60_000 * rand() ** 4),
  }));
}

describe("parseShard", () => {
  it("counts from 1 by default, like test runners, and from 0 with base 0 (Kubernetes completion index)", () => {
    expect(parseShard("1/3")).toEqual({ index: 0, count: 3 });
    expect(parseShard("3/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard("0/3")).toBeUndefined();
    expect(parseShard("4/3")).toBeUndefined();
    expect(parseShard("0/3", 0)).toEqual({ index: 0, count: 3 });
    expect(parseShard("3/3", 0)).toBeUndefined();
    for (const bad of ["", "1", "1/0", "a/3", "1/3/4", "-1/3", "1.5/3"])
      expect(parseShard(bad)).toBeUndefined();
  });
});

describe("assignShards", () => {
  const list = units();
  const total = list.reduce((n, u) => n + u.size, 0);

  for (const count of [2, 3, 8]) {
    it(`puts every unit in one of ${count} shards, each within ${SHARD_SLACK}× the average size`, () => {
      const shards = assignShards(list, count);
      expect(shards.every((s) => Number.isInteger(s) && s >= 0 && s < count)).toBe(true);
      const load = new Array<number>(count).fill(0);
      list.forEach((u, i) => (load[shards[i] ?? 0] = (load[shards[i] ?? 0] ?? 0) + u.size));
      expect(Math.max(...load)).toBeLessThanOrEqual((total / count) * SHARD_SLACK);
      expect(Math.min(...load)).toBeGreaterThan((total / count) * (1 - 2 * (SHARD_SLACK - 1)));
    });
  }

  it("is deterministic and does not depend on the order of the units", () => {
    const a = assignShards(list, 4);
    const reversed = [...list].reverse();
    const b = assignShards(reversed, 4).reverse();
    expect(b).toEqual(a);
  });

  it("keeps every other unit in its shard when one unit is renamed, and moves few when one is added or removed", () => {
    const before = assignShards(list, 4);
    const renamed = list.map((u, i) => (i === 17 ? { ...u, key: "charts/renamed/all.yaml" } : u));
    const afterRename = assignShards(renamed, 4);
    expect(afterRename.filter((s, i) => i !== 17 && s !== before[i])).toEqual([]);
    // Adding or removing a unit changes the total size, so the capacity: a few units may move.
    const removed = assignShards(
      list.filter((_, i) => i !== 40),
      4,
    );
    const moved = removed.filter((s, i) => s !== before[i < 40 ? i : i + 1]).length;
    const added = assignShards([...list, { key: "charts/new/all.yaml", size: 3000 }], 4);
    const movedByAdd = before.filter((s, i) => s !== added[i]).length;
    expect(moved + movedByAdd).toBeLessThanOrEqual(list.length * 0.03);
  });
});
