// Typed rule options: a small schema per option, written once in the rule. From it come the
// option types the rule's code sees, the check of `.kubeward.yaml` (a misspelt or mistyped option
// is an error with its line), the config's JSON Schema and the docs' options tables. Hand-rolled
// because it needs only five shapes; a schema library would add a dependency for less.
// Pure: no I/O.

interface Base<T> {
  /** What the option does, as one sentence (shown in the docs and the JSON Schema). */
  description: string;
  default: T;
}
export interface StringOption extends Base<string> {
  type: "string";
  /** When set, the only values accepted. */
  enum?: readonly string[];
}
export interface IntegerOption extends Base<number> {
  type: "integer";
  minimum?: number;
}
export interface BooleanOption extends Base<boolean> {
  type: "boolean";
}
export interface StringListOption extends Base<readonly string[]> {
  type: "string-list";
}
/** One YAML scalar: a string, number or boolean, or null for "not set" (template values to compare with). */
export interface ScalarOption extends Base<Scalar> {
  type: "scalar";
}
export type Scalar = string | number | boolean | null;
/** A list of small records (template instances use it, e.g. a field path with a condition). */
export interface RecordListOption<P extends RecordFields = RecordFields> extends Base<
  readonly RecordOf<P>[]
> {
  type: "record-list";
  fields: P;
  required?: readonly (keyof P & string)[];
}
export type FieldSchema =
  | { type: "string"; description: string; enum?: readonly string[] }
  | { type: "string-list"; description: string }
  | { type: "boolean"; description: string }
  | { type: "any"; description: string };
export type RecordFields = Record<string, FieldSchema>;
type FieldValue<F extends FieldSchema> = F extends { type: "string" }
  ? string
  : F extends { type: "string-list" }
    ? string[]
    : F extends { type: "boolean" }
      ? boolean
      : unknown;
export type RecordOf<P extends RecordFields> = { [K in keyof P]?: FieldValue<P[K]> };

export type OptionSchema =
  StringOption | IntegerOption | BooleanOption | StringListOption | ScalarOption | RecordListOption;

/** The schemas of one rule's options, by option name. */
export type OptionsSchema = Readonly<Record<string, OptionSchema>>;

type ValueOf<S extends OptionSchema> = S extends StringOption
  ? string
  : S extends IntegerOption
    ? number
    : S extends BooleanOption
      ? boolean
      : S extends StringListOption
        ? readonly string[]
        : S extends ScalarOption
          ? Scalar
          : S extends RecordListOption<infer P>
            ? readonly RecordOf<P>[]
            : never;

/** The option values a rule's code sees: every option present (defaults filled in), typed. */
export type OptionsOf<S extends OptionsSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Builders, so that a rule's options read as data and keep their precise types. */
export const option = {
  string: (description: string, def: string, enumValues?: readonly string[]): StringOption =>
    enumValues === undefined
      ? { type: "string", description, default: def }
      : { type: "string", description, default: def, enum: enumValues },
  integer: (description: string, def: number, minimum?: number): IntegerOption =>
    minimum === undefined
      ? { type: "integer", description, default: def }
      : { type: "integer", description, default: def, minimum },
  boolean: (description: string, def: boolean): BooleanOption => ({
    type: "boolean",
    description,
    default: def,
  }),
  strings: (description: string, def: readonly string[]): StringListOption => ({
    type: "string-list",
    description,
    default: def,
  }),
  scalar: (description: string, def: Scalar = null): ScalarOption => ({
    type: "scalar",
    description,
    default: def,
  }),
  records: <P extends RecordFields>(
    description: string,
    fields: P,
    required: readonly (keyof P & string)[],
    def: readonly RecordOf<P>[] = [],
  ): RecordListOption<P> => ({ type: "record-list", description, fields, required, default: def }),
};

export function defaultsOf<S extends OptionsSchema>(schema: S): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = s.default;
  return out as OptionsOf<S>;
}

/**
 * The options a rule runs with: its defaults, overridden by each given option that passes the
 * schema. The config loader rejects bad options with their line; a Config built in code (the
 * library API) is not checked there, so bad or unknown values fall back to the default here.
 */
export function resolveOptions(schema: OptionsSchema, given: Record<string, unknown> | undefined) {
  const out: Record<string, unknown> = defaultsOf(schema);
  for (const [k, v] of Object.entries(given ?? {})) {
    if (schema[k] !== undefined && checkOptions(schema, { [k]: v }).length === 0) out[k] = v;
  }
  return out as OptionsOf<OptionsSchema>;
}

/** A problem with an option value; `path` is relative to the rule's `options` mapping. */
export interface OptionProblem {
  path: (string | number)[];
  message: string;
}

const kindOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v;

/**
 * Checks user-supplied options against a rule's schema. Unknown names are errors that suggest
 * the closest known one (a misspelling otherwise silently keeps the default).
 */
export function checkOptions(schema: OptionsSchema, value: Record<string, unknown>): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const names = Object.keys(schema);
  for (const [name, v] of Object.entries(value)) {
    const s = schema[name];
    if (s === undefined) {
      const close = closest(name, names);
      problems.push({
        path: [name],
        message:
          names.length === 0
            ? `unknown option \`${name}\` (this rule has no options)`
            : `unknown option \`${name}\`${close === undefined ? "" : ` (did you mean \`${close}\`?)`}; known: ${names.join(", ")}`,
      });
      continue;
    }
    checkValue(s, v, [name], problems);
  }
  return problems;
}

function checkValue(s: OptionSchema, v: unknown, path: (string | number)[], out: OptionProblem[]): void {
  const bad = (expected: string) =>
    out.push({ path, message: `option \`${String(path[0])}\` must be ${expected}, not ${kindOf(v)}` });
  switch (s.type) {
    case "string":
      if (typeof v !== "string") bad("a string");
      else if (s.enum !== undefined && !s.enum.includes(v))
        out.push({ path, message: `option \`${String(path[0])}\` must be one of ${s.enum.join(", ")}` });
      return;
    case "integer":
      if (typeof v !== "number" || !Number.isInteger(v)) bad("an integer");
      else if (s.minimum !== undefined && v < s.minimum)
        out.push({ path, message: `option \`${String(path[0])}\` must be at least ${s.minimum}` });
      return;
    case "boolean":
      if (typeof v !== "boolean") bad("true or false");
      return;
    case "string-list":
      if (!Array.isArray(v)) bad("a list of strings");
      else
        v.forEach((item: unknown, i) => {
          if (typeof item !== "string")
            out.push({ path: [...path, i], message: `option \`${String(path[0])}\` must list strings only` });
        });
      return;
    case "scalar":
      if (v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
        bad("a string, number or boolean");
      return;
    case "record-list":
      if (!Array.isArray(v)) {
        bad("a list of mappings");
        return;
      }
      v.forEach((item: unknown, i) => {
        checkRecord(s, item, [...path, i], out);
      });
  }
}

function checkRecord(s: RecordListOption, item: unknown, path: (string | number)[], out: OptionProblem[]) {
  const name = String(path[0]);
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    out.push({ path, message: `each item of option \`${name}\` must be a mapping, not ${kindOf(item)}` });
    return;
  }
  const rec = item as Record<string, unknown>;
  const fields = Object.keys(s.fields);
  for (const req of s.required ?? []) {
    if (rec[req] === undefined) out.push({ path, message: `an item of option \`${name}\` needs \`${req}\`` });
  }
  for (const [k, v] of Object.entries(rec)) {
    const f = s.fields[k];
    if (f === undefined) {
      const close = closest(k, fields);
      out.push({
        path: [...path, k],
        message: `unknown key \`${k}\` in option \`${name}\`${close === undefined ? "" : ` (did you mean \`${close}\`?)`}; known: ${fields.join(", ")}`,
      });
      continue;
    }
    const ok =
      f.type === "any" ||
      (f.type === "string" && typeof v === "string" && (f.enum === undefined || f.enum.includes(v))) ||
      (f.type === "boolean" && typeof v === "boolean") ||
      (f.type === "string-list" && Array.isArray(v) && v.every((x) => typeof x === "string"));
    if (!ok) {
      const expected =
        f.type === "string"
          ? f.enum === undefined
            ? "a string"
            : `one of ${f.enum.join(", ")}`
          : f.type === "boolean"
            ? "true or false"
            : "a list of strings";
      out.push({ path: [...path, k], message: `\`${k}\` in option \`${name}\` must be ${expected}` });
    }
  }
}

/** The known name within edit distance 2 of `name`, if any (for "did you mean"). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The JSON Schema (draft 2020-12) of one rule's `options` mapping. */
export function optionsJsonSchema(schema: OptionsSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) properties[k] = optionJsonSchema(s);
  return { type: "object", properties, additionalProperties: false };
}

function optionJsonSchema(s: OptionSchema): Record<string, unknown> {
  const common = { description: s.description, default: s.default };
  switch (s.type) {
    case "string":
      return { type: "string", ...(s.enum === undefined ? {} : { enum: s.enum }), ...common };
    case "integer":
      return { type: "integer", ...(s.minimum === undefined ? {} : { minimum: s.minimum }), ...common };
    case "boolean":
      return { type: "boolean", ...common };
    case "string-list":
      return { type: "array", items: { type: "string" }, ...common };
    case "scalar":
      return { type: ["string", "number", "boolean", "null"], ...common };
    case "record-list": {
      const properties: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(s.fields)) {
        properties[k] =
          f.type === "any"
            ? { description: f.description }
            : f.type === "string-list"
              ? { type: "array", items: { type: "string" }, description: f.description }
              : {
                  type: f.type,
                  ...(f.type === "string" && f.enum !== undefined ? { enum: f.enum } : {}),
                  description: f.description,
                };
      }
      return {
        type: "array",
        items: {
          type: "object",
          properties,
          ...(s.required === undefined || s.required.length === 0 ? {} : { required: s.required }),
          additionalProperties: false,
        },
        ...common,
      };
    }
  }
}

/** How an option's type is written in the docs' options table. */
export function optionTypeText(s: OptionSchema): string {
  switch (s.type) {
    case "string":
      return s.enum === undefined ? "string" : s.enum.map((e) => `\`${e}\``).join(" \\| ");
    case "integer":
      return s.minimum === undefined ? "integer" : `integer ≥ ${s.minimum}`;
    case "boolean":
      return "boolean";
    case "string-list":
      return "list of strings";
    case "scalar":
      return "string, number or boolean";
    case "record-list":
      return `list of {${Object.keys(s.fields).join(", ")}}`;
  }
}
