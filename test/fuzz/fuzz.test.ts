// Property-based fuzzing of the whole scan (issue 9): a bounded number of seeded cases in
// `npm run check`; `npx tsx tools/fuzz.ts [COUNT] [SEED]` runs many more.
import { describe, expect, it } from "vitest";
import { fuzz, makeCase, mutate, prng, seedCorpus } from "./fuzz-core.js";
import { fuzzRendered, makeHelmCase, makeKustomizeCase } from "./fuzz-render.js";

const COUNT = Number(process.env["KUBEWARD_FUZZ_CASES"] ?? 6);
// Each rendered case runs helm or kustomize once per format: a few in the check, more in tools/fuzz.ts.
const RENDER_COUNT = Number(process.env["KUBEWARD_FUZZ_RENDER_CASES"] ?? 1);

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

describe("fuzz: mutated Helm charts and kustomizations never crash, hang, leak or read outside the tree", () => {
  it("the generators are deterministic and really mutate", () => {
    expect(makeHelmCase(3)).toEqual(makeHelmCase(3));
    expect(makeKustomizeCase(3)).toEqual(makeKustomizeCase(3));
    const charts = Array.from({ length: 8 }, (_, i) => JSON.stringify(makeHelmCase(i).files));
    expect(new Set(charts.map((c) => c.replace(/hz\w+Q7/g, ""))).size).toBeGreaterThan(4);
    const kustomizations = Array.from(
      { length: 8 },
      (_, i) => makeKustomizeCase(i).files["k/overlays/prod/kustomization.yaml"],
    );
    expect(new Set(kustomizations).size).toBeGreaterThan(2);
  });

  it(`${RENDER_COUNT} Helm and ${RENDER_COUNT} Kustomize seeded cases hold every invariant in every format`, async () => {
    // Seed 2 renders (so rules, frames and the Secret's masking are exercised, not only render errors).
    const violations = await fuzzRendered(2, RENDER_COUNT, 60_000);
    expect(violations).toEqual([]);
  }, 600_000);
});
