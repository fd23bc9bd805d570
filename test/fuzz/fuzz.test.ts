// Property-based fuzzing of the whole scan (issue 9): a bounded number of seeded cases in
// `npm run check`; `npx tsx tools/fuzz.ts [COUNT] [SEED]` runs many more.
import { describe, expect, it } from "vitest";
import { fuzz, makeCase, mutate, prng, seedCorpus } from "./fuzz-core.js";

const COUNT = Number(process.env["KUBEWARD_FUZZ_CASES"] ?? 6);

describe("fuzz: mutated YAML/JSON never crash, hang, leak or garble a scan", () => {
  it("the generator is deterministic and really mutates", () => {
    const corpus = seedCorpus();
    expect(corpus.length).toBeGreaterThan(50);
    expect(makeCase(7, corpus)).toEqual(makeCase(7, corpus));
    const rnd = prng(1);
    const seed = corpus[0] ?? "";
    const mutated = Array.from({ length: 20 }, () => mutate(seed, rnd));
    expect(mutated.filter((m) => m !== seed).length).toBeGreaterThan(10);
  });

  it(`${COUNT} seeded cases hold every invariant in every format`, async () => {
    // Per scan of a few small files; far above the usual tens of milliseconds, for loaded CI machines.
    const violations = await fuzz(20261206, COUNT, 20_000);
    expect(violations).toEqual([]);
  }, 300_000);
});
