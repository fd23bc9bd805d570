// Kubernetes resource quantities (`500m`, `2`, `1Gi`, `1e3`), read the way the API server reads
// them: a decimal number with an optional binary (Ki…Ei), decimal (n…E) or exponent suffix.

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a quantity as a number, or undefined when the text is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = QUANTITY.exec(value.trim());
  if (m === null) return undefined;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
  return base * (SUFFIX[m[3] ?? ""] ?? 1);
}

/** A quantity as written, for messages (rules print only values that parsed as quantities). */
export function quantityText(v: unknown): string {
  return typeof v === "number" ? String(v) : typeof v === "string" ? v : "";
}
