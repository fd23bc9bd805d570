// How Kubernetes reads a plain (unquoted, untagged) scalar, where that differs from the YAML 1.2
// core schema that the `yaml` package applies. kubectl and the API server decode YAML with
// sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1 resolution, its resolve.go) into Go values, then map keys
// turned into strings for JSON (its convertToJSONableObject). Pure.
//
// go-yaml v2, for a plain scalar:
// - `y`, `yes`, `on` (and `Y`, `Yes`, `YES`, `On`, `ON`) are true, `n`, `no`, `off` false;
// - starting with a digit or a sign, the text with every `_` removed is read by Go's
//   strconv.ParseInt(s, 0, 64) (then ParseUint): a leading `0` is octal (`0644` is 420), `0o`/`0O`
//   octal, `0x`/`0X` hex, `0b`/`0B` binary, each with an optional sign (`-0x1F` is -31); failing
//   that, a decimal float (`1_000.5`); failing that, a string (`2024-01-01`, `0x`, `1:20`);
// - everything else as the core schema reads it (`true`, `null`, `~`, `1.5`, `.inf`, `.5`).
// sigs.k8s.io/yaml turns a boolean key into "true"/"false", an integer key into its decimal digits
// and a float key into Go's shortest float32 `%g` form (`1e+06`); a null key is rejected.

import type { Scalar } from "yaml";

/**
 * Plain scalars that go-yaml v2 (YAML 1.1, kubectl's parser) resolves to booleans and the `yaml`
 * package (YAML 1.2) leaves strings; `true`/`false` and their case variants are booleans in both.
 */
export const YAML11_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"].map((w): [string, boolean] => [w, true]),
  ...["n", "N", "no", "No", "NO", "off", "Off", "OFF"].map((w): [string, boolean] => [w, false]),
]);

const CORE_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...["true", "True", "TRUE"].map((w): [string, boolean] => [w, true]),
  ...["false", "False", "FALSE"].map((w): [string, boolean] => [w, false]),
]);

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...[".nan", ".NaN", ".NAN"].map((w): [string, number] => [w, NaN]),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((w): [string, number] => [w, Infinity]),
  ...["-.inf", "-.Inf", "-.INF"].map((w): [string, number] => [w, -Infinity]),
]);

/** Go's strconv.ParseInt(s, 0, 64) syntax (the range is not checked: ParseUint and big.Int follow). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]+)|([1-9][0-9]*|0))$/;
/** go-yaml v2's yamlStyleFloat, tried on the text without underscores. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's ParseFloat accepts of a scalar starting with `.` (go-yaml's '.' hint; no `_`). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

type GoScalar =
  | { type: "bool"; value: boolean }
  | { type: "null" }
  | { type: "int"; value: bigint }
  | { type: "float"; value: number }
  | { type: "str" };

/** go-yaml v2's resolve table: the first characters of plain scalars that may be no string. */
const HINTED = new Set("yYnNtTfFoO~+-.0123456789");

/** go-yaml v2's resolve() of a plain, untagged scalar. */
function resolvePlain(text: string): GoScalar {
  // Most keys and values start with another letter: a string, at the cost of one lookup.
  if (text !== "" && !HINTED.has(text.charAt(0))) return { type: "str" };
  const bool = YAML11_BOOLEANS.get(text) ?? CORE_BOOLEANS.get(text);
  if (bool !== undefined) return { type: "bool", value: bool };
  if (NULLS.has(text)) return { type: "null" };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { type: "float", value: special };
  const c = text.charCodeAt(0);
  if (c === 46 /* . */)
    return DOT_FLOAT.test(text) ? { type: "float", value: Number(text) } : { type: "str" };
  const digitOrSign = (c >= 48 && c <= 57) || c === 43 || c === 45;
  // Bounded: a longer text is no number Kubernetes can hold (and no regex runs on megabytes).
  if (!digitOrSign || text.length > 200) return { type: "str" };
  const plain = text.includes("_") ? text.replaceAll("_", "") : text;
  const m = GO_INT.exec(plain);
  if (m !== null) {
    const [, sign, hex, bin, oct, legacyOct, dec] = m;
    const digits =
      hex !== undefined
        ? `0x${hex}`
        : bin !== undefined
          ? `0b${bin}`
          : oct !== undefined
            ? `0o${oct}`
            : legacyOct !== undefined
              ? `0o${legacyOct}`
              : (dec ?? "0");
    const magnitude = BigInt(digits);
    return { type: "int", value: sign === "-" ? -magnitude : magnitude };
  }
  if (YAML_STYLE_FLOAT.test(plain)) return { type: "float", value: Number(plain) };
  return { type: "str" };
}

/**
 * The value Kubernetes gets for a plain, untagged scalar with this source text, given the value
 * the `yaml` package's core schema gave it. Only texts that can differ are resolved again, so the
 * common case costs one regex test.
 */
export function plainScalarValue(text: string, core: unknown): unknown {
  if (text.length <= 3) {
    const b = YAML11_BOOLEANS.get(text);
    if (b !== undefined) return b;
  }
  if (!maybeDifferent(text)) return core;
  const r = resolvePlain(text);
  if (r.type === "int") return Number(r.value);
  if (r.type === "float") return r.value;
  return core;
}

/**
 * Whether go-yaml's number may differ from the core schema's value: a leading `0` followed by more
 * (octal, `0X`, `0b`), with or without a sign, or an underscore anywhere.
 */
function maybeDifferent(text: string): boolean {
  const c = text.charCodeAt(0);
  const zeroAt = c === 43 || c === 45 ? 1 : 0;
  return (text.charCodeAt(zeroAt) === 48 && text.length > zeroAt + 1) || text.includes("_");
}

/** Integer keys beyond int64 decode to uint64 or big.Int, which sigs.k8s.io/yaml rejects as keys. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The JSON key sigs.k8s.io/yaml makes of a plain, untagged scalar key with this source text
 * (`on` → "true", `0644` → "420", `1e6` → "1e+06"), or undefined when it rejects the key (null,
 * an integer beyond int64).
 */
export function plainKeyString(text: string): string | undefined {
  const r = resolvePlain(text);
  switch (r.type) {
    case "str":
      return text;
    case "bool":
      return r.value ? "true" : "false";
    case "null":
      return undefined;
    case "int":
      return r.value < INT64_MIN || r.value > INT64_MAX ? undefined : r.value.toString();
    case "float":
      return goFloat32(r.value);
  }
}

/**
 * Go's strconv.FormatFloat(x, 'g', -1, 32) with go-yaml's spelling of the special values: the
 * shortest decimal that reads back as the same float32, in exponent form when the exponent is
 * below -4 or at least 6 ("1e+06", "1.5e-05").
 */
export function goFloat32(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return ".nan";
  if (f === Infinity) return ".inf";
  if (f === -Infinity) return "-.inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  let mantissa = "";
  let exp = 0;
  // The closest p-digit decimal reads back as f whenever any p-digit decimal does.
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) !== Math.abs(f)) continue;
    const [m = "", e = "0"] = s.split("e");
    mantissa = m.replace(".", "");
    exp = Number(e);
    break;
  }
  const sign = f < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const frac = mantissa.length > 1 ? `.${mantissa.slice(1)}` : "";
    const e = Math.abs(exp);
    return `${sign}${mantissa.charAt(0)}${frac}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${String(e)}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${mantissa}`;
  const whole = mantissa.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = mantissa.slice(exp + 1);
  return `${sign}${whole}${frac === "" ? "" : `.${frac}`}`;
}

/** The JSON key Kubernetes makes of a scalar key node, undefined when it rejects the key. */
export function scalarKey(node: Scalar): string | undefined {
  if (node.type === "PLAIN" && node.tag === undefined && node.source !== undefined) {
    return plainKeyString(node.source);
  }
  const v = node.value;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return undefined;
}
