// Generates src/rules/lib/k8s-schema.generated.ts, the compact Kubernetes object schema that the
// `schema` rule validates against, from the type declarations of the npm package
// `kubernetes-models` (a dev dependency: only the generated module ships). That package is
// generated from the Kubernetes OpenAPI spec and keeps every apiVersion ever served, each at its
// newest field set. The TypeScript checker reads its declarations (property names, optional or
// required, types); descriptions, enums and formats are dropped. gen-docs.ts writes it with the
// docs and `npm run docs:check` fails when it is stale.
//
// Encoding of a field type (one string): "s" string, "n" number, "b" boolean, "i" int-or-string,
// "q" quantity, "*" anything (RawExtension, JSON, preserve-unknown-fields), "[" + T a list of T,
// "{" + T a map of T, "@" + name a reference to a definition.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const K8S_SCHEMA_FILE = "src/rules/lib/k8s-schema.generated.ts";

interface Generated {
  /** Definition name → [fields by name → type, required field names]. */
  defs: Record<string, [Record<string, string>, string[]]>;
  /** "apiVersion kind" → definition name. */
  kinds: Record<string, string>;
}

function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${name}/package.json`));
}

function listDts(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "_schemas" || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) listDts(p, out);
    else if (e.name.endsWith(".d.ts") && e.name !== "index.d.ts") out.push(p);
  }
}

export function generateK8sSchema(): { text: string; version: string } {
  const modelsDir = packageDir("kubernetes-models");
  const version = (JSON.parse(readFileSync(join(modelsDir, "package.json"), "utf8")) as { version: string })
    .version;
  const roots: string[] = [];
  listDts(modelsDir, roots);
  roots.sort();
  const program = ts.createProgram(roots, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out: Generated = { defs: {}, kinds: {} };
  const apimachineryDir = packageDir("@kubernetes-models/apimachinery");

  // A stable name for a declaration: its file relative to the package ("apps/v1/DeploymentSpec").
  const defName = (decl: ts.Declaration): string => {
    const file = decl.getSourceFile().fileName;
    const base = file.startsWith(apimachineryDir)
      ? "meta:" + relative(apimachineryDir, file)
      : relative(modelsDir, file);
    return base.replace(/\.d\.ts$/, "").replace(/\\/g, "/");
  };

  // `where` names the field being encoded ("apps/v1/StatefulSetSpec.volumeClaimTemplates"): an
  // inline type literal has no declaration of its own and is named after it.
  const encode = (type: ts.Type, where: string): string => {
    const t = checker.getNonNullableType(type);
    const alias = t.aliasSymbol?.name;
    if (alias === "IQuantity") return "q";
    if (alias === "IIntOrString") return "i";
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return "*";
    if (t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return "s";
    if (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "n";
    if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "b";
    if (t.isUnion()) {
      const parts = new Set(t.types.map((u) => encode(u, where)));
      if (parts.size === 1) return [...parts][0] ?? "*";
      if (parts.has("s") && parts.has("n") && parts.size === 2) return "i";
      return "*";
    }
    if (checker.isArrayType(t)) {
      const [elem] = checker.getTypeArguments(t as ts.TypeReference);
      return "[" + (elem === undefined ? "*" : encode(elem, where));
    }
    const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
    const props = checker.getPropertiesOfType(t);
    if (index !== undefined && props.length === 0) return "{" + encode(index.type, where);
    if (props.length === 0) return "*";
    const symbol = t.getSymbol();
    const decl = symbol?.declarations?.[0];
    if (decl === undefined) return "*";
    const name = symbol?.name === "__type" || symbol?.name === "__object" ? where : defName(decl);
    define(name, t);
    return "@" + name;
  };

  const define = (name: string, t: ts.Type): void => {
    if (name in out.defs) return;
    const fields: Record<string, string> = {};
    const required: string[] = [];
    out.defs[name] = [fields, required];
    for (const p of checker.getPropertiesOfType(t)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (decl === undefined) continue;
      fields[p.name] = encode(checker.getTypeOfSymbolAtLocation(p, decl), `${name}.${p.name}`);
      // apiVersion and kind are required by the package's types, but not by the API server where
      // an object is embedded (a StatefulSet's volumeClaimTemplates); top-level objects always have them.
      if ((p.flags & ts.SymbolFlags.Optional) === 0 && p.name !== "apiVersion" && p.name !== "kind")
        required.push(p.name);
    }
  };

  for (const file of roots) {
    const sf = program.getSourceFile(file);
    if (sf === undefined) continue;
    for (const stmt of sf.statements) {
      if (!ts.isInterfaceDeclaration(stmt)) continue;
      const t = checker.getTypeAtLocation(stmt);
      const lit = (key: string): string | undefined => {
        const p = t.getProperty(key);
        const decl = p?.valueDeclaration;
        if (p === undefined || decl === undefined) return undefined;
        const pt = checker.getTypeOfSymbolAtLocation(p, decl);
        return pt.isStringLiteral() ? pt.value : undefined;
      };
      const apiVersion = lit("apiVersion");
      const kind = lit("kind");
      if (apiVersion === undefined || kind === undefined || kind.endsWith("List")) continue;
      const name = defName(stmt);
      define(name, t);
      out.kinds[`${apiVersion} ${kind}`] = name;
    }
  }

  const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const data = { defs: sortKeys(out.defs), kinds: sortKeys(out.kinds) };
  const json = JSON.stringify(data);
  // Names and type codes hold no quote or backslash, so the JSON fits in a single-quoted string.
  if (/['\\\n]/.test(json)) throw new Error("the compact schema needs escaping; extend gen-k8s-schema.ts");
  const text = [
    "// Generated by tools/gen-k8s-schema.ts from the npm package kubernetes-models " +
      version +
      ": run `npm run docs`.",
    "// Do not edit. The encoding is described in tools/gen-k8s-schema.ts.",
    'import type { K8sSchemaData } from "./api-schema.js";',
    "",
    `export const K8S_SCHEMA_SOURCE = "kubernetes-models ${version}";`,
    "",
    `export const K8S_SCHEMA: K8sSchemaData = JSON.parse('${json}') as K8sSchemaData;`,
    "",
  ].join("\n");
  return { text, version };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `npm run docs` writes it; run directly, this writes only this file.
  const { text } = generateK8sSchema();
  writeFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", K8S_SCHEMA_FILE), text);
  process.stdout.write(`${K8S_SCHEMA_FILE}: ${String(text.length)} characters\n`);
}
