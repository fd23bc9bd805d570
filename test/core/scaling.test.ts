// Issue 9 item 4: the engine and every rule do work linear in the number of objects, so a file of
// 50,000 documents scans in seconds. Measured by counting reads of the objects' properties (a
// deterministic operation count, not a clock): a rule that looks through every object for each
// object reads quadratically many. tools/bench-big.ts measures the time.
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/core/config.js";
import { runRules } from "../../src/core/engine.js";
import type { AnyRule } from "../../src/core/rule.js";
import type { Resource } from "../../src/core/types.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { generate } from "../../tools/gen-big.js";

const SMALL = 500;
const LARGE = 2_000;

let reads = 0;

/** The value with every property read counted, deeply; one proxy per object keeps identities. */
function counted<T>(value: T, proxies: WeakMap<object, unknown>): T {
  if (typeof value !== "object" || value === null) return value;
  const known = proxies.get(value);
  if (known !== undefined) return known as T;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      reads++;
      return counted(Reflect.get(target, key, receiver) as unknown, proxies);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

function resources(docs: number): Resource[] {
  const parsed = parseYaml(generate(docs, "varied"), "big.yaml");
  expect(parsed.findings).toEqual([]);
  expect(parsed.resources).toHaveLength(docs);
  return parsed.resources;
}

const small = resources(SMALL);
const large = resources(LARGE);
// Every rule on, the opt-in ones too.
const config: Config = {
  rules: Object.fromEntries(ALL_RULES.map((r) => [r.meta.id, { enabled: true }])),
  exemptions: [],
  ignorePaths: [],
};

/** Property reads of one engine run over fresh proxies of `list`. */
function readsOf(list: readonly Resource[], rules: readonly AnyRule[]): number {
  const proxies = new WeakMap<object, unknown>();
  const input = list.map((r) => ({ ...r, ref: counted(r.ref, proxies), object: counted(r.object, proxies) }));
  reads = 0;
  runRules(input, { rules, config, today: "2026-01-15", assumeComplete: true });
  return reads;
}

describe("work grows linearly with the number of objects (item 4)", () => {
  const growth = LARGE / SMALL;
  const engineSmall = readsOf(small, []);
  const engineLarge = readsOf(large, []);

  it("the engine itself (validation) reads each object a bounded number of times", () => {
    expect(engineSmall).toBeGreaterThan(SMALL);
    expect(engineLarge / engineSmall).toBeLessThan(growth * 1.25);
  });

  // Each rule alone, less the engine's own reads: linear work grows by `growth` (4x); a rule that
  // pairs every object with every other grows by growth² (16x). The margin allows n·log n.
  it("every rule reads each object a bounded number of times", () => {
    const quadratic: string[] = [];
    for (const rule of ALL_RULES) {
      const a = readsOf(small, [rule]) - engineSmall;
      const b = readsOf(large, [rule]) - engineLarge;
      if (b > growth * 1.5 * Math.max(a, SMALL)) quadratic.push(`${rule.meta.id}: ${a} -> ${b} reads`);
    }
    expect(quadratic).toEqual([]);
  }, 120_000);
});
