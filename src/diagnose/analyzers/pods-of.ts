// Shared by the workload analyzers: the problem keys of a set of pods, for cause chains.
import type { KObject } from "../../core/types.js";
import type { Context } from "../analyzer.js";
import { podProblems } from "./pod.js";

/** Keys of the problems of these pods (sorted, unique), skipping scheduling gates (not a fault). */
export function podCauseKeys(ctx: Context, pods: readonly KObject[]): string[] {
  const keys = new Set<string>();
  for (const p of pods) for (const pr of podProblems(ctx, p)) keys.add(pr.key);
  return [...keys].sort();
}

/** The pods a controller owns, directly or through its ReplicaSets / Jobs. */
export function podsOwnedBy(ctx: Context, owner: KObject): KObject[] {
  const out: KObject[] = [];
  const walk = (o: KObject, depth: number): void => {
    for (const child of ctx.graph.children(o)) {
      if (child["kind"] === "Pod") out.push(child);
      else if (depth < 3) walk(child, depth + 1);
    }
  };
  walk(owner, 0);
  return out;
}
