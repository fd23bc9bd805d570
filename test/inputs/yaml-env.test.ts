// The yaml package's Parser and Composer read process.env.LOG_TOKENS / LOG_STREAM for every token;
// Node's process.env asks the C library on every read (about 1 µs), seconds for a 50,000-document
// file. parseYaml reads through a plain copy: the environment is read a fixed number of times,
// whatever the size of the file (issue 9 item 4). Counted, not timed.
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/inputs/yaml.js";
import { generate } from "../../tools/gen-big.js";

function envReadsWhileParsing(text: string): number {
  const real = process.env;
  let reads = 0;
  process.env = new Proxy(
    { ...real },
    {
      get(target, key) {
        reads++;
        return Reflect.get(target, key) as unknown;
      },
    },
  );
  try {
    const parsed = parseYaml(text, "big.yaml");
    expect(parsed.resources.length).toBeGreaterThan(0);
  } finally {
    process.env = real;
  }
  return reads;
}

describe("parseYaml and the environment", () => {
  it("reads process.env a fixed number of times, not once per token", () => {
    const small = envReadsWhileParsing(generate(10, "varied"));
    const large = envReadsWhileParsing(generate(1_000, "varied"));
    expect(large).toBe(small);
  });

  it("leaves process.env as it was", () => {
    const real = process.env;
    parseYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "a.yaml");
    expect(process.env).toBe(real);
  });
});
