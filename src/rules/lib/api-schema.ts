// Validation of objects against the Kubernetes API schema (built-in kinds, from the generated
// k8s-schema module) and against the openAPIV3Schema of CustomResourceDefinitions in the input.
// A hand-written walk over one tree of schema nodes: no schema compiler at scan time. Pure.
//
// What Kubernetes accepts is accepted: null is "unset" everywhere, quantities and int-or-string
// take numbers or strings (YAML 1.1 booleans such as `yes` are booleans already: the YAML input
// reads them as kubectl does), RawExtension / JSON / x-kubernetes-preserve-unknown-fields hold anything.
import type { Path } from "../../core/types.js";
import { describe, fieldName } from "../../core/validate.js";
import { isRecord } from "../../core/workloads.js";
import { parseQuantity } from "./quantity.js";

/** The generated data: definitions (fields → encoded type, required fields) and kinds → definition. */
export interface K8sSchemaData {
  defs: Record<string, [fields: Record<string, string>, required: string[]]>;
  kinds: Record<string, string>;
}

type Scalar = "string" | "number" | "integer" | "boolean" | "int-or-string" | "quantity";

export type SchemaNode =
  | { type: Scalar }
  | { type: "any" }
  | { type: "list"; item: SchemaNode }
  | { type: "map"; value: SchemaNode }
  | ObjectNode;

export interface ObjectNode {
  type: "object";
  /** Shown in messages: "DeploymentSpec", or "the CRD schema of Widget". */
  name: string;
  fields(): ReadonlyMap<string, SchemaNode>;
  required: readonly string[];
  /** x-kubernetes-preserve-unknown-fields: fields not in `fields` are allowed. */
  open: boolean;
}

export interface SchemaProblem {
  path: Path;
  messageId: "unknownField" | "wrongType" | "missingField";
  data: Record<string, string>;
}

const ANY: SchemaNode = { type: "any" };
const SCALARS: Readonly<Record<string, SchemaNode>> = {
  s: { type: "string" },
  n: { type: "number" },
  b: { type: "boolean" },
  i: { type: "int-or-string" },
  q: { type: "quantity" },
  "*": ANY,
};

/** Schema nodes of the built-in kinds, made on first use from the generated data. */
export class BuiltinSchemas {
  private readonly defs = new Map<string, ObjectNode>();
  private groups: Set<string> | undefined;
  constructor(private readonly data: K8sSchemaData) {}

  /** The schema of `apiVersion kind`, or undefined when the data has none. */
  kind(apiVersion: string, kind: string): ObjectNode | undefined {
    const name = this.data.kinds[`${apiVersion} ${kind}`];
    return name === undefined ? undefined : this.def(name);
  }

  /** Whether the API group of `apiVersion` is one of Kubernetes' own (it has kinds in the data). */
  hasGroup(apiVersion: string): boolean {
    if (this.groups === undefined) {
      this.groups = new Set(Object.keys(this.data.kinds).map((k) => groupOf(k.slice(0, k.indexOf(" ")))));
    }
    return this.groups.has(groupOf(apiVersion));
  }

  /** ObjectMeta, for the metadata of custom resources. */
  objectMeta(): ObjectNode | undefined {
    return this.data.defs["meta:apis/meta/v1/ObjectMeta"] === undefined
      ? undefined
      : this.def("meta:apis/meta/v1/ObjectMeta");
  }

  private def(name: string): ObjectNode {
    let node = this.defs.get(name);
    if (node !== undefined) return node;
    const [encoded, required] = this.data.defs[name] ?? [{}, []];
    let fields: Map<string, SchemaNode> | undefined;
    node = {
      type: "object",
      name: name.slice(name.lastIndexOf("/") + 1),
      required,
      open: false,
      fields: () => {
        if (fields === undefined) {
          fields = new Map();
          for (const [k, t] of Object.entries(encoded)) fields.set(k, this.decode(t));
        }
        return fields;
      },
    };
    this.defs.set(name, node);
    return node;
  }

  private decode(t: string): SchemaNode {
    const scalar = SCALARS[t];
    if (scalar !== undefined) return scalar;
    const rest = t.slice(1);
    if (t.startsWith("[")) return { type: "list", item: this.decode(rest) };
    if (t.startsWith("{")) return { type: "map", value: this.decode(rest) };
    if (t.startsWith("@")) return this.def(rest);
    return ANY;
  }
}

const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
};

const MAX_DEPTH = 64;

/**
 * The schema node of a CRD version's openAPIV3Schema (untrusted input: read defensively).
 * `name` names the custom resource in messages; the root also allows apiVersion, kind, metadata.
 */
export function crdSchemaNode(schema: unknown, name: string, meta: ObjectNode | undefined): SchemaNode {
  const root = fromOpenApi(schema, `the CRD schema of ${name}`, 0);
  if (root.type !== "object") return root;
  const inner = (): ReadonlyMap<string, SchemaNode> => root.fields();
  let fields: Map<string, SchemaNode> | undefined;
  return {
    ...root,
    fields: () => {
      if (fields === undefined) {
        fields = new Map(inner());
        fields.set("apiVersion", SCALARS["s"] ?? ANY);
        fields.set("kind", SCALARS["s"] ?? ANY);
        fields.set("metadata", meta ?? ANY);
      }
      return fields;
    },
  };
}

function fromOpenApi(s: unknown, name: string, depth: number): SchemaNode {
  if (!isRecord(s) || depth > MAX_DEPTH) return ANY;
  if (s["x-kubernetes-int-or-string"] === true) return { type: "int-or-string" };
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  const props = isRecord(s["properties"]) ? s["properties"] : undefined;
  switch (s["type"]) {
    case "string":
      return { type: "string" };
    case "integer":
      return { type: "integer" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "array":
      return { type: "list", item: fromOpenApi(s["items"], name, depth + 1) };
    case "object":
      break;
    default:
      // No type (or one the structural-schema rules do not allow): anything goes.
      if (props === undefined) return ANY;
  }
  const additional = s["additionalProperties"];
  if (props === undefined) {
    if (isRecord(additional)) return { type: "map", value: fromOpenApi(additional, name, depth + 1) };
    if (additional === true || preserve) return ANY;
  }
  const fields = new Map<string, SchemaNode>();
  for (const [k, v] of Object.entries(props ?? {})) fields.set(k, fromOpenApi(v, name, depth + 1));
  if (embedded) {
    for (const k of ["apiVersion", "kind"]) if (!fields.has(k)) fields.set(k, { type: "string" });
    if (!fields.has("metadata")) fields.set("metadata", ANY);
  }
  const required = Array.isArray(s["required"])
    ? s["required"].filter((r): r is string => typeof r === "string")
    : [];
  return { type: "object", name, required, open: preserve, fields: () => fields };
}

const EXPECTED: Readonly<Record<Scalar | "list" | "map" | "object", string>> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean (true or false)",
  "int-or-string": "an integer or a string",
  quantity: "a quantity (such as 500m, 2 or 1Gi)",
  list: "a list",
  map: "a mapping",
  object: "a mapping",
};

function scalarOk(type: Scalar, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      // A plain `yes`/`on` arrives here as a boolean already (src/inputs/yaml.ts reads YAML 1.1
      // booleans as kubectl does); a quoted "yes" is a string, which the API server rejects.
      return typeof v === "boolean";
    case "int-or-string":
      return typeof v === "string" || (typeof v === "number" && Number.isInteger(v));
    case "quantity":
      return parseQuantity(v) !== undefined;
  }
}

/** Checks `value` against `node`, appending problems; `path` is the value's path (not kept). */
export function validateNode(
  value: unknown,
  node: SchemaNode,
  path: (string | number)[],
  out: SchemaProblem[],
): void {
  if (value === null || value === undefined || node.type === "any") return;
  const wrong = (expected: string): void => {
    out.push({
      path: [...path],
      messageId: "wrongType",
      data: { field: fieldName(path), expected, actual: describe(value) },
    });
  };
  switch (node.type) {
    case "list":
      if (!Array.isArray(value)) {
        wrong(EXPECTED.list);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        validateNode(value[i], node.item, path, out);
        path.pop();
      }
      return;
    case "map":
      if (!isRecord(value)) {
        wrong(EXPECTED.map);
        return;
      }
      if (node.value.type === "any") return;
      for (const k of Object.keys(value)) {
        path.push(k);
        validateNode(value[k], node.value, path, out);
        path.pop();
      }
      return;
    case "object": {
      if (!isRecord(value)) {
        wrong(EXPECTED.object);
        return;
      }
      const fields = node.fields();
      for (const k of Object.keys(value)) {
        const f = fields.get(k);
        path.push(k);
        if (f !== undefined) validateNode(value[k], f, path, out);
        else if (!node.open) {
          const near = nearest(k, fields.keys());
          out.push({
            path: [...path],
            messageId: "unknownField",
            data: {
              field: fieldName(path),
              type: node.name,
              hint: near === undefined ? "" : ` Did you mean \`${near}\`?`,
            },
          });
        }
        path.pop();
      }
      for (const r of node.required) {
        if (value[r] !== undefined) continue;
        path.push(r);
        out.push({
          path: [...path],
          messageId: "missingField",
          data: { field: fieldName(path), type: node.name },
        });
        path.pop();
      }
      return;
    }
    default:
      if (!scalarOk(node.type, value)) wrong(EXPECTED[node.type]);
  }
}

/** The field name closest to a misspelt one (edit distance ≤ 2, or the same in another case). */
function nearest(key: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = key.toLowerCase();
  for (const n of names) {
    if (n.toLowerCase() === lower) return n;
    if (Math.abs(n.length - key.length) >= bestDistance) continue;
    const d = distance(key, n, bestDistance);
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
function distance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return Math.min(prev[b.length] ?? limit, limit);
}

/** What the schema rules know for one object: its schema, or why it has none. */
export type SchemaLookup = { node: SchemaNode } | { skipped: "noCrd" | "noSchema" | "builtinUnknown" };

/**
 * Schemas for the objects of one scan: the built-in kinds, plus the custom resources whose
 * CustomResourceDefinition is in `resources` (each served version's openAPIV3Schema).
 */
export function schemaIndex(
  builtin: BuiltinSchemas,
  resources: readonly { object: Record<string, unknown> }[],
): (apiVersion: string, kind: string) => SchemaLookup {
  const crds = new Map<string, unknown>();
  for (const r of resources) {
    const o = r.object;
    if (o["kind"] !== "CustomResourceDefinition") continue;
    const spec = o["spec"];
    if (!isRecord(spec) || typeof spec["group"] !== "string") continue;
    const names = spec["names"];
    const kind = isRecord(names) ? names["kind"] : undefined;
    if (typeof kind !== "string") continue;
    // v1beta1 CRDs may give one schema for every version (spec.validation).
    const validation = spec["validation"];
    const shared = isRecord(validation) ? validation["openAPIV3Schema"] : undefined;
    const versions: unknown[] = Array.isArray(spec["versions"]) ? [...(spec["versions"] as unknown[])] : [];
    if (typeof spec["version"] === "string") versions.push({ name: spec["version"], served: true });
    for (const v of versions) {
      if (!isRecord(v) || typeof v["name"] !== "string" || v["served"] === false) continue;
      const schema = isRecord(v["schema"]) ? v["schema"]["openAPIV3Schema"] : undefined;
      crds.set(`${spec["group"]}/${v["name"]} ${kind}`, schema ?? shared);
    }
  }
  const nodes = new Map<string, SchemaNode | undefined>();
  return (apiVersion, kind) => {
    const known = builtin.kind(apiVersion, kind);
    if (known !== undefined) return { node: known };
    const key = `${apiVersion} ${kind}`;
    if (!crds.has(key)) return { skipped: builtin.hasGroup(apiVersion) ? "builtinUnknown" : "noCrd" };
    let node = nodes.get(key);
    if (!nodes.has(key)) {
      const schema = crds.get(key);
      node = schema === undefined ? undefined : crdSchemaNode(schema, kind, builtin.objectMeta());
      nodes.set(key, node);
    }
    return node === undefined ? { skipped: "noSchema" } : { node };
  };
}
