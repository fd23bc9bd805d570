// A chart's `kubeVersion` constraint (Masterminds semver, as helm reads it) checked against
// Kubernetes release versions, to pick the version to render with when the constraint excludes
// helm's default (issue 8 item 7). Only release versions (no pre-release) are ever tested.

type Triple = readonly [number, number, number];
interface Bound {
  op: "=" | "!=" | ">" | "<" | ">=" | "<=";
  v: Triple;
  /** The bound's own pre-release (`1.26.0-0`): a release version sorts after it. */
  pre: boolean;
}

/** One `||` alternative: all bounds must hold. undefined when the text is not a constraint. */
type Alternative = Bound[];

const PART = String.raw`(?:\d+|[xX*])`;
const VERSION = String.raw`v?(${PART})(?:\.(${PART}))?(?:\.(${PART}))?(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;
const HYPHEN = new RegExp(String.raw`^${VERSION}\s+-\s+${VERSION}$`);
const SINGLE = new RegExp(String.raw`^(!=|>=|=>|<=|=<|~>|[=><~^])?\s*${VERSION}$`);

function num(s: string | undefined): number | undefined {
  return s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s);
}

/** Parses `>= 1.19.0-0 < 1.26.0-0`, `^1.20`, `~1.21.x || >=1.25`, `1.20 - 1.24`. */
export function parseConstraint(text: string): Alternative[] | undefined {
  const alts: Alternative[] = [];
  for (const alt of text.split("||")) {
    const bounds: Bound[] = [];
    const trimmed = alt.trim();
    const hy = HYPHEN.exec(trimmed);
    if (hy !== null) {
      bounds.push(...expand(">=", hy.slice(1, 5)), ...expand("<=", hy.slice(5, 9)));
      alts.push(bounds);
      continue;
    }
    // Bounds are separated by commas or spaces; an operator may be followed by a space.
    const tokens = trimmed
      .replace(/(!=|>=|=>|<=|=<|~>|[=><~^])\s+/g, "$1")
      .split(/[\s,]+/)
      .filter((t) => t !== "");
    if (tokens.length === 0) return undefined;
    for (const t of tokens) {
      const m = SINGLE.exec(t);
      if (m === null) return undefined;
      bounds.push(...expand(m[1] ?? "=", m.slice(2, 6)));
    }
    alts.push(bounds);
  }
  return alts;
}

function expand(op: string, parts: (string | undefined)[]): Bound[] {
  const [maj, min, pat, preText] = parts;
  const major = num(maj);
  const minor = num(min);
  const patch = num(pat);
  const pre = preText !== undefined;
  if (major === undefined) return []; // `*`: anything
  const lo: Triple = [major, minor ?? 0, patch ?? 0];
  // The first version above the wildcard range (`1.2.x` → 1.3.0, `1.x` → 2.0.0).
  const wildcard = minor === undefined || patch === undefined;
  const next: Triple =
    minor === undefined ? [major + 1, 0, 0] : patch === undefined ? [major, minor + 1, 0] : lo;
  const b = (o: Bound["op"], v: Triple, p = false): Bound => ({ op: o, v, pre: p });
  switch (op) {
    case "=":
      return wildcard ? [b(">=", lo), b("<", next)] : [b("=", lo, pre)];
    case "!=":
      return wildcard ? [] : [b("!=", lo, pre)]; // `!= 1.2.x` is too rare to model; it never narrows here
    case ">":
      return wildcard ? [b(">=", next)] : [b(">", lo, pre)];
    case ">=":
    case "=>":
      return [b(">=", lo, pre)];
    case "<":
      return [b("<", lo, pre)];
    case "<=":
    case "=<":
      return wildcard ? [b("<", next)] : [b("<=", lo, pre)];
    case "~":
    case "~>":
      return [b(">=", lo, pre), b("<", minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0])];
    case "^": {
      const upper: Triple =
        major > 0 || minor === undefined
          ? [major + 1, 0, 0]
          : minor > 0 || patch === undefined
            ? [0, minor + 1, 0]
            : [0, 0, patch + 1];
      return [b(">=", lo, pre), b("<", upper)];
    }
    default:
      return [];
  }
}

function compare(v: Triple, b: Bound): number {
  for (let i = 0; i < 3; i++) {
    const d = (v[i] ?? 0) - (b.v[i] ?? 0);
    if (d !== 0) return d;
  }
  // A release version is above the same version's pre-releases.
  return b.pre ? 1 : 0;
}

function holds(v: Triple, b: Bound): boolean {
  const c = compare(v, b);
  switch (b.op) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
  }
}

export function satisfies(alts: readonly Alternative[], v: Triple): boolean {
  return alts.some((bounds) => bounds.every((b) => holds(v, b)));
}

/**
 * The Kubernetes version to render with: the newest 1.x minor at or below `defaultVersion` that the
 * constraint allows (its lowest allowed patch, so it is a release that exists), else the oldest
 * minor above it (up to 20 minors on). `v1.25.0` for `< 1.26.0-0` with default v1.35.0.
 */
export function pickKubeVersion(constraint: string, defaultVersion: string): string | undefined {
  const alts = parseConstraint(constraint);
  const d = /^v?(\d+)\.(\d+)/.exec(defaultVersion);
  if (alts === undefined || d === null) return undefined;
  const major = Number(d[1]);
  const top = Number(d[2]);
  const inMinor = (minor: number): string | undefined => {
    for (let patch = 0; patch <= 50; patch++)
      if (satisfies(alts, [major, minor, patch])) return `v${major}.${minor}.${patch}`;
    return undefined;
  };
  for (let minor = top; minor >= 0; minor--) {
    const v = inMinor(minor);
    if (v !== undefined) return v;
  }
  for (let minor = top + 1; minor <= top + 20; minor++) {
    const v = inMinor(minor);
    if (v !== undefined) return v;
  }
  return undefined;
}
