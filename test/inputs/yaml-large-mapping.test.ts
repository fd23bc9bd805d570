// Issue 9 item 5: a large mapping (a ConfigMap of a million keys, near the 32 MiB file limit) is
// read in time linear in its keys, by both readers. The exact path: the yaml package's own
// duplicate-key check (uniqueKeys) compares every key with every earlier one, so it is off; repeated
// keys are found with one hash lookup each and reported as duplicate-key. Counted, not timed: every
// read of a yaml Pair's key during parseYamlExact (the check reads all earlier pairs' keys for each
// new pair). The fast reader (yaml-fast.ts), which parseYaml uses for such a file, builds no Pair:
// it counts the lexemes it reads and every key comparison and hash lookup made to find repeats.
import { Pair } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastStats } from "../../src/inputs/yaml-fast.js";
import { parseYaml, parseYamlExact, parseYamlFast } from "../../src/inputs/yaml.js";

let keyReads = 0;
const stored = new WeakMap<object, unknown>();
const original = Object.getOwnPropertyDescriptor(Pair.prototype, "key");

beforeAll(() => {
  // Pair's constructor assigns `this.key`: an accessor on the prototype sees every read and write.
  Object.defineProperty(Pair.prototype, "key", {
    configurable: true,
    get(this: object) {
      keyReads++;
      return stored.get(this);
    },
    set(this: object, value: unknown) {
      stored.set(this, value);
    },
  });
});

afterAll(() => {
  if (original === undefined) Reflect.deleteProperty(Pair.prototype, "key");
  else Object.defineProperty(Pair.prototype, "key", original);
});

/** A ConfigMap of `keys` keys; with `repeats`, every tenth one is written twice. */
function configMap(keys: number, repeats: boolean): string {
  const lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: big}", "data:"];
  for (let i = 0; i < keys; i++) {
    lines.push(`  key-${i}: value-${i}`);
    if (repeats && i % 10 === 0) lines.push(`  key-${i}: again-${i}`);
  }
  return lines.join("\n") + "\n";
}

function check(parsed: ReturnType<typeof parseYaml>, keys: number, repeats: boolean) {
  const data = parsed.resources[0]?.object["data"];
  expect(Object.keys(data ?? {})).toHaveLength(keys);
  expect(parsed.findings.filter((f) => f.ruleId === "parse-error")).toEqual([]);
  const repeated = parsed.findings.filter((f) => f.ruleId === "duplicate-key");
  if (repeats) {
    // The last value is kept and every repeat reported, once, at its line.
    expect((data as Record<string, string>)["key-10"]).toBe("again-10");
    expect(repeated).toHaveLength(Math.ceil(keys / 10));
    expect(repeated[1]).toMatchObject({ line: 17, message: expect.stringContaining("key-10") as unknown });
  } else expect(repeated).toEqual([]);
}

function readsFor(keys: number, repeats: boolean) {
  keyReads = 0;
  const parsed = parseYamlExact(configMap(keys, repeats), "big.yaml");
  const reads = keyReads;
  check(parsed, keys, repeats);
  return reads;
}

function fastWorkFor(keys: number, repeats: boolean): FastStats {
  const stats: FastStats = { lexemes: 0, keyLookups: 0 };
  const parsed = parseYamlFast(configMap(keys, repeats), "big.yaml", stats);
  // Such a file is read by the fast reader (not left to the exact path).
  expect(parsed).toBeDefined();
  if (parsed !== undefined) check(parsed, keys, repeats);
  return stats;
}

// Linear work grows 4x from 2,000 to 8,000 keys; the yaml package's uniqueKeys check grows 16x
// (on, it read the keys of a 2,000-key mapping about 2 million times).
describe("a large mapping is read in linear time (item 5)", () => {
  it("reads each key a bounded number of times, whatever the mapping's size", () => {
    const small = readsFor(2_000, false);
    const large = readsFor(8_000, false);
    expect(small).toBeGreaterThan(2_000);
    expect(large / small).toBeLessThan(4 * 1.25);
  });

  it("finds repeated keys in linear work too", () => {
    const small = readsFor(2_000, true);
    const large = readsFor(8_000, true);
    expect(large / small).toBeLessThan(4 * 1.25);
  });

  it("the fast reader reads each lexeme once and looks each key up a bounded number of times", () => {
    for (const repeats of [false, true]) {
      const small = fastWorkFor(2_000, repeats);
      const large = fastWorkFor(8_000, repeats);
      expect(small.keyLookups).toBeGreaterThanOrEqual(2_000);
      expect(small.lexemes).toBeGreaterThan(2_000 * 5);
      expect(large.keyLookups / small.keyLookups).toBeLessThan(4 * 1.25);
      expect(large.lexemes / small.lexemes).toBeLessThan(4 * 1.25);
    }
    // parseYaml takes the fast reader's result: no yaml Pair is made for such a file.
    keyReads = 0;
    parseYaml(configMap(2_000, true), "big.yaml");
    expect(keyReads).toBe(0);
  });
});
