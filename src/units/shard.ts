// Shards of a scan (`--shard I/N`, issue 13): which units one of N processes scans. Pure.
//
// Each unit ranks the shards by a hash of (unit key, shard), so its choice depends on its own name
// only and a rename elsewhere does not move it (rendezvous hashing). To balance by size, units are
// placed largest first and skip a shard that is already full (its load would pass 110% of the
// average, or the largest unit if that is bigger); only then can another unit's change move a unit.

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** Parses `I/N`; `base` says whether I counts from 1 (the default, as test runners do) or from 0. */
export function parseShard(text: string, base: 0 | 1 = 1): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return undefined;
  const count = Number(m[2]);
  const index = Number(m[1]) - base;
  if (!Number.isSafeInteger(count) || count < 1 || count > 10_000 || index < 0 || index >= count)
    return undefined;
  return { index, count };
}

/** FNV-1a over UTF-16 code units with a final avalanche: fast, stable across platforms. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const SHARD_SLACK = 1.1;

/** The shard (0-based) of every unit, by key and size; deterministic for the same keys and sizes. */
export function assignShards(units: readonly { key: string; size: number }[], count: number): number[] {
  const weight = (i: number) => Math.max(1, units[i]?.size ?? 0);
  const order = units.map((_, i) => i);
  order.sort((a, b) => weight(b) - weight(a) || ((units[a]?.key ?? "") < (units[b]?.key ?? "") ? -1 : 1));
  const total = order.reduce((n, i) => n + weight(i), 0);
  const capacity = Math.max((total / count) * SHARD_SLACK, order.length > 0 ? weight(order[0] ?? 0) : 0);
  const load = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(units.length).fill(0);
  for (const i of order) {
    const key = units[i]?.key ?? "";
    const ranking = Array.from({ length: count }, (_, s) => s).sort(
      (a, b) => hash(`${key}\u0000${b}`) - hash(`${key}\u0000${a}`) || a - b,
    );
    const w = weight(i);
    const pick =
      ranking.find((s) => (load[s] ?? 0) + w <= capacity) ??
      ranking.reduce((best, s) => ((load[s] ?? 0) < (load[best] ?? 0) ? s : best));
    load[pick] = (load[pick] ?? 0) + w;
    shardOf[i] = pick;
  }
  return shardOf;
}
