// Generates src/rules/lib/k8s-schema-versions.generated.ts: in which Kubernetes minor versions
// each field of the compact schema (k8s-schema.generated.ts, Kubernetes 1.36) and each kind is in
// the API, so that `schema` can report a field or kind that the `--kube-version` release lacks.
//
// Source: the model classes of the npm package @kubernetes/client-node, which are generated from
// the Kubernetes OpenAPI spec of one release each (the release is written in every model file's
// header and checked here). Those versions are fetched with `npm pack` into a cache folder at
// development time only: this tool is not part of `npm run docs`, and nothing is fetched at build,
// install or run time. Run it when kubernetes-models is upgraded or a release is added to
// RELEASES: `npx tsx tools/gen-k8s-versions.ts [--cache DIR]`.
//
// Each release's classes are matched to the compact schema by walking both from the kinds down
// (a kind's class is named `<Group><Version><Kind>` or `<Version><Kind>`; a field's class is the
// type of the same field), so no class name has to be guessed below the kinds. A field is then
// recorded as [lastAbsent, firstPresent]: absent from the releases up to lastAbsent whose class
// was found, present from firstPresent on. Releases not in RELEASES (1.23, 1.26, 1.31, 1.35) are
// unknown: a field added in one of them is reported only for releases up to the last known one
// without it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { K8S_SCHEMA } from "../src/rules/lib/k8s-schema.generated.js";

export const K8S_VERSIONS_FILE = "src/rules/lib/k8s-schema-versions.generated.ts";

/** @kubernetes/client-node versions and the Kubernetes minor whose OpenAPI spec each was generated from. */
const RELEASES: readonly [pkg: string, minor: number][] = [
  ["0.14.3", 20],
  ["0.15.1", 21],
  ["0.16.3", 22],
  ["0.17.1", 24],
  ["0.18.1", 25],
  ["0.19.0", 27],
  ["0.20.0", 28],
  ["0.21.0", 29],
  ["0.22.3", 30],
  ["1.0.0", 32],
  ["1.2.0", 33],
  ["1.4.0", 34],
];
/** The release of kubernetes-models that k8s-schema.generated.ts holds: every field is in it. */
const NEWEST = 36;

type Classes = Map<string, Map<string, string>>;

/** Model classes of one client-node package: class name → JSON field name → type text. */
function readClasses(dir: string, minor: number): Classes {
  const modelsDir = ["dist/gen/models", "dist/gen/model"].map((d) => join(dir, d)).find((d) => existsSync(d));
  if (modelsDir === undefined) throw new Error(`${dir}: no model folder`);
  const out: Classes = new Map();
  const releaseOf = (text: string): number | undefined => {
    const m = /(?:OpenAPI spec version|version of the OpenAPI document): (?:release-|v)1\.(\d+)/.exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]);
  };
  for (const f of readdirSync(modelsDir)) {
    if (!f.endsWith(".js")) continue;
    const text = readFileSync(join(modelsDir, f), "utf8");
    // Packages keep stale files of older releases: only this release's models count.
    if (releaseOf(text) !== minor) continue;
    const m = /(\w+)\.attributeTypeMap = (\[[\s\S]*?\]);/.exec(text);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const attrs = JSON.parse(m[2]) as { baseName: string; type: string }[];
    out.set(m[1], new Map(attrs.map((a) => [a.baseName, a.type])));
  }
  if (out.size < 500)
    throw new Error(`${dir}: only ${String(out.size)} models of Kubernetes 1.${String(minor)}`);
  return out;
}

/** The class a client type text refers to ("Array<V1Container>" → "V1Container"), if any. */
function classOf(type: string, classes: Classes): string | undefined {
  let t = type.trim();
  for (;;) {
    const arr = /^Array<(.*)>$/.exec(t);
    const map = /^\{ \[key: string\]: (.*); \}$/.exec(t);
    const next = arr?.[1] ?? map?.[1];
    if (next === undefined) break;
    t = next.trim();
  }
  return classes.has(t) ? t : undefined;
}

/** The definition an encoded schema type refers to ("[@v1/Container" → "v1/Container"), if any. */
function defOf(encoded: string): string | undefined {
  const t = encoded.replace(/^[[{]+/, "");
  return t.startsWith("@") ? t.slice(1) : undefined;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What one release has: for each definition matched to a class, the fields that class has. */
function presence(classes: Classes): {
  fields: Map<string, Set<string>>;
  /** Fields of a matched class that the newest schema no longer has (removed alpha fields). */
  gone: Map<string, Set<string>>;
  kinds: Map<string, boolean>;
} {
  const fields = new Map<string, Set<string>>();
  const gone = new Map<string, Set<string>>();
  const kinds = new Map<string, boolean>();
  // (version, kind) pairs served by several groups: only the group-prefixed class name is trusted.
  const pairCount = new Map<string, number>();
  for (const key of Object.keys(K8S_SCHEMA.kinds)) {
    const [apiVersion = "", kind = ""] = key.split(" ");
    const pair = `${apiVersion.slice(apiVersion.indexOf("/") + 1)} ${kind}`;
    pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
  }
  const walk = (def: string, cls: string): void => {
    if (fields.has(def)) return;
    const attrs = classes.get(cls);
    const schema = K8S_SCHEMA.defs[def];
    if (attrs === undefined || schema === undefined) return;
    const present = new Set<string>();
    fields.set(def, present);
    for (const field of attrs.keys()) {
      if (field in schema[0]) continue;
      let set = gone.get(def);
      if (set === undefined) gone.set(def, (set = new Set()));
      set.add(field);
    }
    for (const [field, encoded] of Object.entries(schema[0])) {
      const type = attrs.get(field);
      if (type === undefined) continue;
      present.add(field);
      const childDef = defOf(encoded);
      const childClass = classOf(type, classes);
      if (childDef !== undefined && childClass !== undefined) walk(childDef, childClass);
    }
  };
  for (const [key, def] of Object.entries(K8S_SCHEMA.kinds)) {
    const [apiVersion = "", kind = ""] = key.split(" ");
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "core" : (apiVersion.slice(0, slash).split(".")[0] ?? "");
    const version = capital(apiVersion.slice(slash + 1));
    const prefixed = `${capital(group)}${version}${kind}`;
    const plain = `${version}${kind}`;
    const unique = pairCount.get(`${apiVersion.slice(slash + 1)} ${kind}`) === 1;
    // A kind's class has apiVersion and kind (core's V1ResourceClaim, a field type, is no kind).
    const isKind = (name: string) => {
      const attrs = classes.get(name);
      return attrs?.has("apiVersion") === true && attrs.has("kind");
    };
    const cls = isKind(prefixed) ? prefixed : unique && isKind(plain) ? plain : undefined;
    // A kind counts as absent only when no kind of that version and name exists at all.
    kinds.set(key, cls !== undefined || isKind(plain));
    if (cls !== undefined) walk(def, cls);
  }
  return { fields, gone, kinds };
}

function fetchRelease(cache: string, pkg: string): string {
  const dir = join(cache, `client-node-${pkg}`);
  if (existsSync(join(dir, "package", "package.json"))) return join(dir, "package");
  mkdirSync(dir, { recursive: true });
  const tgz = execFileSync("npm", ["pack", "--silent", `@kubernetes/client-node@${pkg}`], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
  execFileSync("tar", ["xzf", tgz], { cwd: dir });
  return join(dir, "package");
}

export interface VersionData {
  /** Kubernetes minors whose API is known (1.x). */
  known: number[];
  /** Definition → field → [last known minor without it, first known minor with it]. */
  fields: Record<string, Record<string, [number, number]>>;
  /** "apiVersion kind" → [last known minor without it, first known minor with it]. */
  kinds: Record<string, [number, number]>;
  /** Definition → field no longer in the newest schema → the last known minor that had it. */
  removed: Record<string, Record<string, number>>;
}

export function generateK8sVersions(cache: string): { text: string; data: VersionData; skipped: string[] } {
  const releases = RELEASES.map(([pkg, minor]) => ({
    minor,
    ...presence(readClasses(fetchRelease(cache, pkg), minor)),
  }));
  const known = [...releases.map((r) => r.minor), NEWEST];
  const data: VersionData = { known, fields: {}, kinds: {}, removed: {} };
  const skipped: string[] = [];
  /** [lastAbsent, firstPresent] from presence per known release (undefined: not matched there). */
  const range = (has: (boolean | undefined)[], what: string): [number, number] | undefined => {
    let lastAbsent = -1;
    has.forEach((h, i) => {
      if (h === false) lastAbsent = i;
    });
    if (lastAbsent === -1) return undefined;
    // Present before a later absence: removed and added again, or a mismatch; no claim.
    if (has.slice(0, lastAbsent).some((h) => h === true)) {
      skipped.push(what);
      return undefined;
    }
    const first = has.findIndex((h, i) => i > lastAbsent && h === true);
    return [known[lastAbsent] ?? 0, known[first === -1 ? known.length - 1 : first] ?? NEWEST];
  };
  for (const [def, [schemaFields]] of Object.entries(K8S_SCHEMA.defs)) {
    for (const field of Object.keys(schemaFields)) {
      const has = [...releases.map((r) => r.fields.get(def)?.has(field)), true];
      const r = range(has, `${def}.${field}`);
      if (r !== undefined) (data.fields[def] ??= {})[field] = r;
    }
  }
  for (const r of releases) {
    for (const [def, fields] of r.gone) {
      for (const field of fields) (data.removed[def] ??= {})[field] = r.minor;
    }
  }
  for (const key of Object.keys(K8S_SCHEMA.kinds)) {
    const has = [...releases.map((r) => r.kinds.get(key)), true];
    // Only an API that is not there yet; one that was removed is deprecated-api-version's. A kind
    // in none of the releases read is either newer than the last of them or removed before the
    // first (kubernetes-models keeps every apiVersion ever served): no claim.
    if (!has.slice(0, -1).includes(true)) continue;
    const firstPresent = has.indexOf(true);
    const leading = has.map((h, i) => (i < firstPresent ? h : true));
    const r = range(leading, key);
    if (r !== undefined) data.kinds[key] = r;
  }
  const json = JSON.stringify(data);
  if (/['\\\n]/.test(json)) throw new Error("the version data needs escaping; extend gen-k8s-versions.ts");
  const text = [
    "// Generated by tools/gen-k8s-versions.ts from the npm package @kubernetes/client-node " +
      RELEASES.map(([pkg, minor]) => `${pkg} (1.${String(minor)})`).join(", ") +
      ` and kubernetes-models (1.${String(NEWEST)}). Do not edit.`,
    'import type { K8sVersionData } from "./api-schema.js";',
    "",
    `export const K8S_VERSIONS: K8sVersionData = JSON.parse('${json}') as K8sVersionData;`,
    "",
  ].join("\n");
  return { text, data, skipped };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--cache");
  const cache = i > 0 ? (process.argv[i + 1] ?? "") : join(tmpdir(), "kubeward-client-node");
  const { text, data, skipped } = generateK8sVersions(cache);
  writeFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", K8S_VERSIONS_FILE), text);
  const fieldCount = Object.values(data.fields).reduce((n, f) => n + Object.keys(f).length, 0);
  process.stdout.write(
    `${K8S_VERSIONS_FILE}: ${String(fieldCount)} fields and ${String(Object.keys(data.kinds).length)} kinds newer than 1.${String(data.known[0])}; ${String(skipped.length)} with no claim (present, then absent)\n`,
  );
}
