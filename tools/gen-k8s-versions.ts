// Generates src/rules/lib/k8s-schema-versions.generated.ts: in which Kubernetes minor versions
// each field of the compact schema (k8s-schema.generated.ts, Kubernetes 1.36) and each kind is in
// the API, so that `schema` can report a field or kind that the `--kube-version` release lacks.
//
// Sources, each generated from the Kubernetes OpenAPI spec of one release:
// - the model classes of the npm package @kubernetes/client-node (1.20-1.22, 1.24, 1.25, 1.27-1.30,
//   1.32-1.34; the release is written in every model file's header and checked here);
// - the output types of the npm package @pulumi/kubernetes (`types/output.d.ts`) for the releases
//   no client-node version was generated from (1.23, 1.26, 1.31, 1.35). Its files do not name the
//   release, so each version is checked by two marker fields: one the release added (present) and
//   one the next release added (absent).
// Those versions are fetched with `npm pack` into a cache folder at development time only: this
// tool is not part of `npm run docs`, and nothing is fetched at build, install or run time. Run it
// when kubernetes-models is upgraded or a release is added to RELEASES:
// `npx tsx tools/gen-k8s-versions.ts [--cache DIR]`.
//
// Each release's classes are matched to the compact schema by walking both from the kinds down
// (a client-node kind's class is named `<Group><Version><Kind>` or `<Version><Kind>`, a pulumi
// kind's interface has `apiVersion` and `kind` literal types; a field's class is the type of the
// same field), so no class name has to be guessed below the kinds. A field is then recorded as
// [lastAbsent, firstPresent]: absent from the releases up to lastAbsent whose class was found,
// present from firstPresent on.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { K8S_SCHEMA } from "../src/rules/lib/k8s-schema.generated.js";

export const K8S_VERSIONS_FILE = "src/rules/lib/k8s-schema-versions.generated.ts";

/** A release read from one npm package version. */
interface Release {
  pkg: "@kubernetes/client-node" | "@pulumi/kubernetes";
  version: string;
  minor: number;
  /** Checks of the release (pulumi only): [a field it added, a field the next release added]. */
  markers?: [present: string, absent: string];
}

const client = (version: string, minor: number): Release => ({
  pkg: "@kubernetes/client-node",
  version,
  minor,
});
const pulumi = (version: string, minor: number, markers: [string, string]): Release => ({
  pkg: "@pulumi/kubernetes",
  version,
  minor,
  markers,
});

const RELEASES: readonly Release[] = [
  client("0.14.3", 20),
  client("0.15.1", 21),
  client("0.16.3", 22),
  // KEP-2802 pod OS (alpha 1.23); CronJob timeZone (alpha 1.24).
  pulumi("3.15.1", 23, ["v1/PodSpec.os", "batch/v1/CronJobSpec.timeZone"]),
  client("0.17.1", 24),
  client("0.18.1", 25),
  // StatefulSet start ordinals (alpha 1.26); in-place pod resize, resizePolicy (alpha 1.27).
  pulumi("3.24.2", 26, ["apps/v1/StatefulSetSpec.ordinals", "v1/Container.resizePolicy"]),
  client("0.19.0", 27),
  client("0.20.0", 28),
  client("0.21.0", 29),
  client("0.22.3", 30),
  // Image volumes (alpha 1.31); seLinuxChangePolicy (alpha 1.32).
  pulumi("4.18.0", 31, ["v1/Volume.image", "v1/PodSecurityContext.seLinuxChangePolicy"]),
  client("1.0.0", 32),
  client("1.2.0", 33),
  client("1.4.0", 34),
  // Node declared features (alpha 1.35); pod scheduling groups (1.36).
  pulumi("4.29.0", 35, ["v1/NodeStatus.declaredFeatures", "v1/PodSpec.schedulingGroup"]),
];
/** The release of kubernetes-models that k8s-schema.generated.ts holds: every field is in it. */
const NEWEST = 36;
/** One release's API: class → JSON field name → the class its type refers to ("" for none). */
type Classes = Map<string, Map<string, string>>;

interface Model {
  classes: Classes;
  /** The class of a kind ("apps/v1 Deployment"), if the release has the kind. */
  kindClass: (key: string) => string | undefined;
  /** Whether the release serves the kind at all (a class may be unmatched and the kind there). */
  hasKind: (key: string) => boolean;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Model classes of one client-node package (each class's `attributeTypeMap`). */
function readClientNode(dir: string, minor: number): Model {
  const modelsDir = ["dist/gen/models", "dist/gen/model"].map((d) => join(dir, d)).find((d) => existsSync(d));
  if (modelsDir === undefined) throw new Error(`${dir}: no model folder`);
  const types = new Map<string, Map<string, string>>();
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
    types.set(m[1], new Map(attrs.map((a) => [a.baseName, a.type])));
  }
  if (types.size < 500)
    throw new Error(`${dir}: only ${String(types.size)} models of Kubernetes 1.${String(minor)}`);
  // The class a type text refers to ("Array<V1Container>" → "V1Container"), if any.
  const classOf = (type: string): string => {
    let t = type.trim();
    for (;;) {
      const arr = /^Array<(.*)>$/.exec(t);
      const map = /^\{ \[key: string\]: (.*); \}$/.exec(t);
      const next = arr?.[1] ?? map?.[1];
      if (next === undefined) break;
      t = next.trim();
    }
    return types.has(t) ? t : "";
  };
  const classes: Classes = new Map(
    [...types].map(([name, attrs]) => [name, new Map([...attrs].map(([f, t]) => [f, classOf(t)]))]),
  );
  // (version, kind) pairs served by several groups: only the group-prefixed class name is trusted.
  const pairCount = new Map<string, number>();
  for (const key of Object.keys(K8S_SCHEMA.kinds)) {
    const [apiVersion = "", kind = ""] = key.split(" ");
    const pair = `${apiVersion.slice(apiVersion.indexOf("/") + 1)} ${kind}`;
    pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
  }
  // A kind's class has apiVersion and kind (core's V1ResourceClaim, a field type, is no kind).
  const isKind = (name: string) => {
    const attrs = classes.get(name);
    return attrs?.has("apiVersion") === true && attrs.has("kind");
  };
  const names = (key: string) => {
    const [apiVersion = "", kind = ""] = key.split(" ");
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "core" : (apiVersion.slice(0, slash).split(".")[0] ?? "");
    const version = capital(apiVersion.slice(slash + 1));
    const unique = pairCount.get(`${apiVersion.slice(slash + 1)} ${kind}`) === 1;
    return { prefixed: `${capital(group)}${version}${kind}`, plain: `${version}${kind}`, unique };
  };
  return {
    classes,
    kindClass: (key) => {
      const { prefixed, plain, unique } = names(key);
      return isKind(prefixed) ? prefixed : unique && isKind(plain) ? plain : undefined;
    },
    // A kind counts as absent only when no kind of that version and name exists at all.
    hasKind: (key) => {
      const { prefixed, plain } = names(key);
      return isKind(prefixed) || isKind(plain);
    },
  };
}

/** The output interfaces of one @pulumi/kubernetes package (`types/output.d.ts`). */
function readPulumi(dir: string): Model {
  const file = join(dir, "types", "output.d.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const classes: Classes = new Map();
  const kinds = new Map<string, string>();
  // A type's class: `outputs.core.v1.Container` → "core.v1.Container", through lists, maps, unions.
  const refOf = (type: ts.TypeNode | undefined): string => {
    if (type === undefined) return "";
    if (ts.isTypeReferenceNode(type)) return type.typeName.getText(source).replace(/^outputs\./, "");
    if (ts.isArrayTypeNode(type)) return refOf(type.elementType);
    if (ts.isParenthesizedTypeNode(type)) return refOf(type.type);
    if (ts.isUnionTypeNode(type)) return type.types.map(refOf).find((r) => r !== "") ?? "";
    if (ts.isTypeLiteralNode(type)) {
      const index = type.members.find(ts.isIndexSignatureDeclaration);
      return index === undefined ? "" : refOf(index.type);
    }
    return "";
  };
  const literal = (type: ts.TypeNode | undefined): string | undefined =>
    type !== undefined && ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)
      ? type.literal.text
      : undefined;
  const visit = (node: ts.Node, prefix: string[]): void => {
    if (ts.isModuleDeclaration(node)) {
      const path = [...prefix, node.name.getText(source)];
      if (node.body !== undefined)
        ts.forEachChild(node.body, (child) => {
          visit(child, path);
        });
      return;
    }
    if (!ts.isInterfaceDeclaration(node) || prefix.length !== 2) return;
    const name = [...prefix, node.name.text].join(".");
    const fields = new Map<string, string>();
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      // pulumi spells the JSON field `x-kubernetes-validations` as x_kubernetes_validations.
      const raw = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : "";
      const field = raw.startsWith("x_kubernetes_") ? raw.replaceAll("_", "-") : raw;
      fields.set(field, refOf(member.type));
      if (field === "apiVersion") apiVersion = literal(member.type);
      if (field === "kind") kind = literal(member.type);
    }
    classes.set(name, fields);
    if (apiVersion !== undefined && kind !== undefined && !node.name.text.endsWith("Patch")) {
      kinds.set(`${apiVersion} ${kind}`, name);
    }
  };
  source.statements.forEach((statement) => {
    visit(statement, []);
  });
  if (kinds.size < 50) throw new Error(`${file}: only ${String(kinds.size)} kinds`);
  return { classes, kindClass: (key) => kinds.get(key), hasKind: (key) => kinds.has(key) };
}

/** The definition an encoded schema type refers to ("[@v1/Container" → "v1/Container"), if any. */
function defOf(encoded: string): string | undefined {
  const t = encoded.replace(/^[[{]+/, "");
  return t.startsWith("@") ? t.slice(1) : undefined;
}

/** What one release has: for each definition matched to a class, the fields that class has. */
function presence(model: Model): {
  fields: Map<string, Set<string>>;
  /** Fields of a matched class that the newest schema no longer has (removed alpha fields). */
  gone: Map<string, Set<string>>;
  kinds: Map<string, boolean>;
} {
  const fields = new Map<string, Set<string>>();
  const gone = new Map<string, Set<string>>();
  const kinds = new Map<string, boolean>();
  const walk = (def: string, cls: string): void => {
    if (fields.has(def)) return;
    const attrs = model.classes.get(cls);
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
      const childClass = attrs.get(field);
      if (childClass === undefined) continue;
      present.add(field);
      const childDef = defOf(encoded);
      if (childDef !== undefined && childClass !== "") walk(childDef, childClass);
    }
  };
  for (const [key, def] of Object.entries(K8S_SCHEMA.kinds)) {
    const cls = model.kindClass(key);
    kinds.set(key, cls !== undefined || model.hasKind(key));
    if (cls !== undefined) walk(def, cls);
  }
  return { fields, gone, kinds };
}

/** The release's package, unpacked into the cache (only pulumi's output types are kept). */
function fetchRelease(cache: string, release: Release): string {
  const name = release.pkg === "@pulumi/kubernetes" ? "pulumi-kubernetes" : "client-node";
  const dir = join(cache, `${name}-${release.version}`);
  if (existsSync(join(dir, "package", "package.json"))) return join(dir, "package");
  mkdirSync(dir, { recursive: true });
  const tgz = execFileSync("npm", ["pack", "--silent", `${release.pkg}@${release.version}`], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
  const only =
    release.pkg === "@pulumi/kubernetes" ? ["package/types/output.d.ts", "package/package.json"] : [];
  execFileSync("tar", ["xzf", tgz, ...only], { cwd: dir });
  return join(dir, "package");
}

function readRelease(cache: string, release: Release): Model {
  const dir = fetchRelease(cache, release);
  return release.pkg === "@pulumi/kubernetes" ? readPulumi(dir) : readClientNode(dir, release.minor);
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
  const releases = RELEASES.map((release) => {
    const found = presence(readRelease(cache, release));
    if (release.markers !== undefined) {
      const [present, absent] = release.markers.map((m) => {
        const dot = m.lastIndexOf(".");
        return found.fields.get(m.slice(0, dot))?.has(m.slice(dot + 1));
      });
      if (present !== true || absent !== false) {
        throw new Error(
          `${release.pkg}@${release.version} is not Kubernetes 1.${String(release.minor)}: ${release.markers.join(" should be present, ")} absent`,
        );
      }
    }
    return { minor: release.minor, ...found };
  });
  const known = [...releases.map((r) => r.minor), NEWEST];
  const data: VersionData = { known, fields: {}, kinds: {}, removed: {} };
  const isPulumi = (i: number) => RELEASES[i]?.pkg === "@pulumi/kubernetes";
  const previousPulumi = (i: number) =>
    RELEASES.findLastIndex((r, j) => j < i && r.pkg === "@pulumi/kubernetes");
  // pulumi's types keep fields and kinds of earlier releases (ObjectMeta.clusterName, removed in
  // 1.25, is in its 1.35 types; so is apps/v1beta1), so what it has is trusted only when the next
  // release read has it too (not for kinds when that is kubernetes-models, which keeps every
  // apiVersion), or the previous pulumi release read lacked it (then it is no kept leftover). What
  // it lacks is trusted.
  // pulumi also keeps removed apiVersions, in the shape of some earlier release: a definition of
  // a pulumi release counts only when the releases read before and after it have it too.
  const matched = (i: number, def: string) =>
    !isPulumi(i) ||
    (releases[i - 1]?.fields.has(def) === true &&
      (i + 1 === releases.length || releases[i + 1]?.fields.has(def) === true));
  const trusted = (has: (boolean | undefined)[], newestExact: boolean) =>
    has.map((h, i) => {
      if (h !== true || !isPulumi(i)) return h;
      if (has[i + 1] === true && (newestExact || i + 1 < RELEASES.length)) return true;
      const prev = previousPulumi(i);
      return prev >= 0 && has[prev] === false ? true : undefined;
    });
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
      const has = [
        ...releases.map((r, i) => (matched(i, def) ? r.fields.get(def)?.has(field) : undefined)),
        true,
      ];
      const r = range(trusted(has, true), `${def}.${field}`);
      if (r !== undefined) (data.fields[def] ??= {})[field] = r;
    }
  }
  releases.forEach((r, i) => {
    const prev = isPulumi(i) ? releases[previousPulumi(i)] : undefined;
    for (const [def, fields] of r.gone) {
      for (const field of fields) {
        // A removed field in pulumi's types counts only when its previous release read lacked it.
        if (
          isPulumi(i) &&
          (!matched(i, def) || prev?.fields.has(def) !== true || prev.gone.get(def)?.has(field) === true)
        )
          continue;
        (data.removed[def] ??= {})[field] = r.minor;
      }
    }
  });
  for (const key of Object.keys(K8S_SCHEMA.kinds)) {
    // pulumi has no kind for reviews and subresources (TokenReview, Eviction, Binding): a kind
    // that no pulumi release read has tells nothing there.
    const inPulumi = releases.some((r, i) => isPulumi(i) && r.kinds.get(key) === true);
    const has = trusted(
      [...releases.map((r, i) => (isPulumi(i) && !inPulumi ? undefined : r.kinds.get(key))), true],
      false,
    );
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
    "// Generated by tools/gen-k8s-versions.ts from the npm packages " +
      RELEASES.map((r) => `${r.pkg} ${r.version} (1.${String(r.minor)})`).join(", ") +
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
  const cache = i > 0 ? (process.argv[i + 1] ?? "") : join(tmpdir(), "kubeward-k8s-releases");
  const { text, data, skipped } = generateK8sVersions(cache);
  writeFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", K8S_VERSIONS_FILE), text);
  const fieldCount = Object.values(data.fields).reduce((n, f) => n + Object.keys(f).length, 0);
  process.stdout.write(
    `${K8S_VERSIONS_FILE}: ${String(fieldCount)} fields and ${String(Object.keys(data.kinds).length)} kinds newer than 1.${String(data.known[0])}; ${String(skipped.length)} with no claim (present, then absent)\n`,
  );
}
