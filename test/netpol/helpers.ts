// Test helpers: build a simulator from YAML texts (the base cluster plus scenario objects).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "../../src/core/types.js";
import { parseYaml } from "../../src/inputs/yaml.js";
import { buildModel, type Model } from "../../src/netpol/model.js";
import { Simulator, type Decision } from "../../src/netpol/simulate.js";

export const FIXTURES = join(import.meta.dirname, "fixtures");
export const BASE = readFileSync(join(FIXTURES, "base.yaml"), "utf8");

/** Short names for the base cluster's namespaces. */
export const G = "network-policy-conformance-gryffindor";
export const S = "network-policy-conformance-slytherin";
export const H = "network-policy-conformance-hufflepuff";
export const R = "network-policy-conformance-ravenclaw";

export function resourcesOf(...texts: string[]): Resource[] {
  return texts.flatMap((t, i) => {
    const parsed = parseYaml(t, `text-${i}.yaml`);
    if (parsed.findings.length > 0) throw new Error(parsed.findings.map((f) => f.message).join("\n"));
    return parsed.resources;
  });
}

export function modelOf(...texts: string[]): Model {
  return buildModel(resourcesOf(...texts));
}

export function simOf(...texts: string[]): Simulator {
  return new Simulator(modelOf(...texts));
}

/** Decide `from -> to` on a port (number or name) and protocol. */
export function can(
  sim: Simulator,
  from: string,
  to: string,
  port: number | string,
  protocol?: string,
): Decision {
  const src = sim.resolve(from);
  const dst = sim.resolve(to);
  return sim.decide(src, dst, sim.traffic(port, protocol, dst));
}

export function verdict(
  sim: Simulator,
  from: string,
  to: string,
  port: number | string,
  protocol?: string,
): string {
  return can(sim, from, to, port, protocol).verdict;
}
