// scrubberFor: every secret value in a text becomes ****, leftmost first and the longest value at a
// position, exactly as one regular expression of the values (longest first) replaces them; and it
// stays usable with the values of thousands of units (a scan by units scrubs every finding with all
// of them: one alternation of 50,000 values took V8 15 s to compile and about 2 ms per message).
import { describe, expect, it } from "vitest";
import { MASK, scrubberFor } from "../../src/report/mask.js";

/** The former implementation, as the reference for the result. */
function byRegExp(values: ReadonlySet<string>): (text: string) => string {
  const pattern = new RegExp(
    [...values]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|"),
    "g",
  );
  return (text) => text.replace(pattern, MASK);
}

/** A small deterministic generator (no Math.random: failures must reproduce). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

describe("scrubberFor", () => {
  it("is undefined without values", () => {
    expect(scrubberFor(undefined)).toBeUndefined();
    expect(scrubberFor(new Set())).toBeUndefined();
    expect(scrubberFor(new Set([""]))).toBeUndefined();
  });

  it("masks the longest value at a position, leftmost first, and leaves other text alone", () => {
    const scrub = scrubberFor(new Set(["hunter2", "hunter22x", "2x-tail", "abc", "b"]));
    expect(scrub?.("pw=hunter22x-tail and hunter2!")).toBe(`pw=${MASK}-tail and ${MASK}!`);
    expect(scrub?.("hunter2hunter2")).toBe(`${MASK}${MASK}`);
    expect(scrub?.("xabcx b")).toBe(`x${MASK}x ${MASK}`);
    expect(scrub?.("nothing here")).toBe("nothing here");
    expect(scrub?.("")).toBe("");
  });

  it("gives what one regular expression of the values gives, on random texts and values", () => {
    const rand = lcg(7);
    const alphabet = "ab-c.\n*é";
    const word = (max: number) =>
      Array.from(
        { length: 1 + Math.floor(rand() * max) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join("");
    for (let round = 0; round < 300; round++) {
      const values = new Set(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => word(6)));
      const scrub = scrubberFor(values);
      const reference = byRegExp(values);
      for (let t = 0; t < 10; t++) {
        const text = word(40);
        expect(scrub?.(text), JSON.stringify({ values: [...values], text })).toBe(reference(text));
      }
    }
  });

  it("masks with the values of thousands of units (50,000 values, 2,000 messages)", () => {
    const values = new Set(
      Array.from({ length: 50_000 }, (_, i) => `secret-${i.toString(36)}-${"x".repeat(24)}`),
    );
    const scrub = scrubberFor(values);
    for (let i = 0; i < 2_000; i++) {
      const secret = `secret-${(i * 25).toString(36)}-${"x".repeat(24)}`;
      expect(scrub?.(`container c${i} sets env PASSWORD to ${secret} in plain text`)).toBe(
        `container c${i} sets env PASSWORD to ${MASK} in plain text`,
      );
      expect(scrub?.(`container c${i} has no resource limits`)).toBe(
        `container c${i} has no resource limits`,
      );
    }
  });
});
