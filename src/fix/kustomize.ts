// Fixing a kustomization (`kubeward fix OVERLAY --patch-out FILE`): the fixes on the built objects
// become one strategic-merge patch file in the overlay, listed under its `patches:`; the bases are
// never edited. Verified by building a private copy (the same sandbox as scan) with the patch and
// scanning: the targeted findings are gone, no finding appeared, the same objects come out, and
// each equals the original with exactly the fixes' operations applied. A batch that fails is
// bisected; what still fails is dropped and reported.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Document, parseDocument } from "yaml";
import type { Finding, Fix, KObject, PathOp, Resource } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { displayName, toPosix, type Loaded } from "../inputs/files.js";
import { kustomizationFile, KustomizeSandbox } from "../inputs/kustomize-sandbox.js";
import { parseYaml } from "../inputs/yaml.js";
import { acceptVerified, fileOf, inMemoryCheck, scanLoaded, type Scanned } from "./chart.js";
import { opEdit } from "./edits.js";
import {
  appliedOf,
  refText,
  skipReason,
  unfixedOf,
  type AppliedFix,
  type FixOptions,
  type UnfixedFinding,
} from "./fixer.js";
import { applyEdits } from "./merge.js";
import { applyOps, changedPaths, deepEqual, pathText } from "./ops.js";

export interface KustomizeFixOptions extends FixOptions {
  /** Absolute path of the kustomization directory (the overlay). */
  dir: string;
  cwd: string;
  /** Absolute path of the patch file; inside `dir`. */
  patchOut: string;
  maxFileSize: number;
  /** Builds and loads one kustomization directory (src/api.ts loadResources). */
  load: (dir: string, cwd: string) => Loaded;
}

export interface KustomizeFixResult {
  /** The kustomization directory (relative to the scan root). */
  dir: string;
  /** The patch file (relative to the scan root) and its text ("" when nothing is fixed). */
  patchFile: string;
  patch: string;
  /** The kustomization file, before and after listing the patch. */
  kustomization: { file: string; before: string; after: string };
  fixes: AppliedFix[];
  unfixed: UnfixedFinding[];
  findingsBefore: number;
  findingsAfter: number;
  builds: number;
  error?: string;
}

/** Strategic-merge keys of the lists fixes reach into (from the Kubernetes API's patchMergeKey). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  imagePullSecrets: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
};

interface Target {
  f: Finding;
  r: Resource;
  key: string;
  objectKey: string;
}

export function fixKustomization(options: KustomizeFixOptions): KustomizeFixResult {
  const display = displayName(options.cwd, options.dir);
  const kfile = kustomizationFile(options.dir);
  const patchRel = toPosix(relative(options.dir, options.patchOut));
  const result: KustomizeFixResult = {
    dir: display,
    patchFile: displayName(options.cwd, options.patchOut),
    patch: "",
    kustomization: {
      file: kfile === undefined ? display : displayName(options.cwd, kfile),
      before: "",
      after: "",
    },
    fixes: [],
    unfixed: [],
    findingsBefore: 0,
    findingsAfter: 0,
    builds: 0,
  };
  if (kfile === undefined) return { ...result, error: "no kustomization file" };
  if (patchRel.startsWith("..") || resolve(options.dir, patchRel) !== resolve(options.patchOut)) {
    return { ...result, error: `the patch file must be inside the kustomization directory ${display}` };
  }
  const userText = readFileSync(kfile, "utf8");
  result.kustomization.before = userText;
  result.kustomization.after = userText;
  const tmp = mkdtempSync(join(tmpdir(), "kubeward-fix-kustomize-"));
  try {
    const root = isInside(resolve(options.cwd), options.dir) ? resolve(options.cwd) : options.dir;
    const box = new KustomizeSandbox(root, join(tmp, "tree"), {
      maxFileSize: options.maxFileSize,
      maxTotalBytes: 4 * options.maxFileSize,
    });
    if (!box.addDir(options.dir))
      return { ...result, error: "the kustomization cannot be copied to build it" };
    const sandDir = box.toSandbox(options.dir);
    const sandFile = kustomizationFile(sandDir);
    if (sandFile === undefined) return { ...result, error: "no kustomization file" };
    const sandText = readFileSync(sandFile, "utf8");
    const listed = withPatch(sandText, patchRel);
    if ("error" in listed) return { ...result, error: listed.error };
    const sandPatch = join(sandDir, patchRel);

    const build = (targets: readonly Target[]): Scanned & { patch: string } => {
      result.builds++;
      const patch = patchText(targets);
      if (patch === "") {
        writeFileSync(sandFile, sandText);
        rmSync(sandPatch, { force: true });
      } else {
        writeFileSync(sandPatch, patch);
        writeFileSync(sandFile, listed.text);
      }
      return { ...scanLoaded(options.load(sandDir, join(tmp, "tree")), options), patch };
    };

    const objectKey = (r: Resource) => `${r.ref.kind}\0${r.ref.namespace ?? ""}\0${r.ref.name}`;
    const findingKey = (f: Finding, r: Resource | undefined) =>
      `${f.ruleId}\0${r ? objectKey(r) : fileOf(f)}\0${refText(f)}\0${f.container ?? ""}`;
    const counts = (s: Scanned) => {
      const m = new Map<string, number>();
      for (const { f, r } of s.findings) m.set(findingKey(f, r), (m.get(findingKey(f, r)) ?? 0) + 1);
      return m;
    };
    const originalNames = new Map<string, { name: string; namespace?: string }>();
    const originalOf = (r: Resource) => {
      const k = objectKey(r);
      let o = originalNames.get(k);
      if (o === undefined) {
        o = { name: r.ref.name, ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}) };
        try {
          const text = readFileSync(join(tmp, "tree", r.file), "utf8");
          const doc = parseYaml(text, r.file).resources.find(
            (x) => x.docIndex === r.docIndex && x.ref.kind === r.ref.kind,
          );
          if (doc !== undefined)
            o = {
              name: doc.ref.name,
              ...(doc.ref.namespace !== undefined ? { namespace: doc.ref.namespace } : {}),
            };
        } catch {
          // Not found in its origin file: the built name is used.
        }
        originalNames.set(k, o);
      }
      return o;
    };
    /** One strategic-merge patch document per object, the fixes of `targets` merged. */
    const patchText = (targets: readonly Target[]): string => {
      const docs = new Map<string, KObject>();
      for (const t of targets) {
        let doc = docs.get(t.objectKey);
        if (doc === undefined) {
          const o = originalOf(t.r);
          doc = {
            apiVersion: t.r.ref.apiVersion,
            kind: t.r.ref.kind,
            metadata: { name: o.name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
          };
          docs.set(t.objectKey, doc);
        }
        for (const op of (t.f.fix as Fix).ops) smpOp(doc, t.r.object, op);
      }
      return [...docs.values()]
        .map((d) => new Document(d).toString({ indent: 2, lineWidth: 0, indentSeq: true }))
        .join("---\n");
    };

    const first = build([]);
    result.findingsBefore = first.findings.length;
    result.findingsAfter = first.findings.length;
    if (first.error !== undefined) return { ...result, error: first.error };
    const unfixed = new Map<string, UnfixedFinding>();
    const candidates: Target[] = [];
    for (const { f, r } of first.findings) {
      const full = `${findingKey(f, r)}\0${f.message}`;
      const skip = skipReason(f, options);
      if (skip !== undefined) {
        unfixed.set(full, unfixedOf(f, skip[1], skip[0]));
        continue;
      }
      if (r === undefined) continue;
      const probe: KObject = {};
      const bad = (f.fix as Fix).ops.map((op) => smpOp(probe, r.object, op)).find((e) => e !== undefined);
      if (bad !== undefined) {
        unfixed.set(full, unfixedOf(f, `not fixable automatically: ${bad}`, "unfixable"));
        continue;
      }
      const t = { f, r, key: findingKey(f, r), objectKey: objectKey(r) };
      const why = inMemoryCheck(first, [t], options, findingKey, true);
      if (why !== undefined) {
        unfixed.set(full, unfixedOf(f, `not fixable automatically: ${why}`, "failed"));
        continue;
      }
      candidates.push(t);
    }
    const accepted: Target[] = [];
    let current = first;
    acceptVerified(
      candidates,
      (list) => {
        const next = build([...accepted, ...list]);
        const why = compare(current, next, list, counts, objectKey);
        if (why !== undefined) return why;
        accepted.push(...list);
        current = next;
        return undefined;
      },
      (t, why) => {
        unfixed.set(
          `${t.key}\0${t.f.message}`,
          unfixedOf(t.f, `not fixable automatically: ${why}`, "failed"),
        );
      },
    );
    // The last build is the accepted one only when the last try passed; build it again otherwise.
    const final = current.patch === patchText(accepted) ? current : build(accepted);
    result.patch = final.patch;
    result.findingsAfter = final.findings.length;
    result.fixes = accepted.map((t) => appliedOf(t.f, 1));
    result.unfixed = [...unfixed.values()];
    if (final.patch !== "") {
      const user = withPatch(userText, patchRel);
      result.kustomization.after = "error" in user ? userText : user.text;
    }
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Why the build `after` is not `before` with exactly the fixes of `targets`, or undefined. */
function compare(
  before: Scanned,
  after: Scanned,
  targets: readonly Target[],
  counts: (s: Scanned) => Map<string, number>,
  objectKey: (r: Resource) => string,
): string | undefined {
  if (after.error !== undefined) return `the kustomization no longer builds (${after.error})`;
  const b = counts(before);
  const a = counts(after);
  for (const [k, n] of a) {
    if (n > (b.get(k) ?? 0)) {
      const f = after.findings.find((x) => counts({ ...after, findings: [x] }).has(k))?.f;
      return `with it the build gains a finding (${f ? `${f.ruleId}: ${f.message}` : k})`;
    }
  }
  const need = new Map<string, number>();
  for (const t of targets) need.set(t.key, (need.get(t.key) ?? 0) + 1);
  for (const [k, n] of need)
    if ((a.get(k) ?? 0) > (b.get(k) ?? 0) - n) return "the finding remains after the patch";
  const byKey = (rs: readonly Resource[]) => new Map(rs.map((r) => [objectKey(r), r]));
  const olds = byKey(before.resources);
  const news = byKey(after.resources);
  if (olds.size !== news.size || [...olds.keys()].some((k) => !news.has(k)))
    return "the build gained or lost an object";
  for (const [k, old] of olds) {
    const now = news.get(k) as Resource;
    const ops = targets.filter((t) => t.objectKey === k).flatMap((t) => (t.f.fix as Fix).ops);
    const expected = applyOps(old.object, ops);
    if ("error" in expected) return expected.error;
    if (!deepEqual(expected.value, now.object)) {
      const p = changedPaths(expected.value, now.object)[0];
      return `the patch also changes ${old.ref.kind}/${old.ref.name} at ${p ? pathText(p) : "?"}`;
    }
  }
  return undefined;
}

/**
 * Add `op` (on `object`) to the strategic-merge patch `patch`: list items are addressed by their
 * merge key (`name` for containers), a removed key is `null`, a removed item `$patch: delete`, and a
 * list without a merge key is written whole. Returns why not, when it cannot be expressed.
 */
export function smpOp(patch: KObject, object: unknown, op: PathOp): string | undefined {
  let p: KObject = patch;
  let cur: unknown = object;
  const path = op.path;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    const next = path[i + 1];
    if (typeof k !== "string") return `\`${pathText(path.slice(0, i + 1))}\` is not a key`;
    const child = isRecord(cur) ? cur[k] : undefined;
    if (typeof next === "number") {
      const mk = MERGE_KEYS[k];
      const item = Array.isArray(child) ? (child[next] as unknown) : undefined;
      if (mk === undefined || !isRecord(item) || item[mk] === undefined) {
        return `\`${pathText(path.slice(0, i + 1))}\` is a list without a merge key (a patch would replace it whole)`;
      }
      const existing = p[k];
      const list: KObject[] = Array.isArray(existing) ? (existing as KObject[]) : [];
      p[k] = list;
      if (i + 1 === path.length - 1) {
        if (op.op !== "remove") return `\`${pathText(path)}\` is a list item; patches set its fields`;
        list.push({ [mk]: item[mk], $patch: "delete" });
        return undefined;
      }
      let entry = list.find((x) => deepEqual(x[mk], item[mk]));
      if (entry === undefined) {
        entry = { [mk]: item[mk] };
        list.push(entry);
      }
      p = entry;
      cur = item;
      i++;
      continue;
    }
    const existing = p[k];
    if (!isRecord(existing)) p[k] = {};
    p = p[k] as KObject;
    cur = child;
  }
  const last = path[path.length - 1];
  if (typeof last !== "string") return `\`${pathText(path)}\` is a list item`;
  switch (op.op) {
    case "set":
    case "add":
      p[last] = op.value;
      return undefined;
    case "remove":
      p[last] = null;
      return undefined;
    case "append": {
      const mk = MERGE_KEYS[last];
      const have = isRecord(cur) ? cur[last] : undefined;
      if (mk !== undefined && isRecord(op.value)) {
        const list = Array.isArray(p[last]) ? (p[last] as unknown[]) : [];
        list.push(op.value);
        p[last] = list;
        return undefined;
      }
      const base = Array.isArray(p[last])
        ? (p[last] as unknown[])
        : Array.isArray(have)
          ? [...(have as unknown[])]
          : [];
      if (!base.some((x) => deepEqual(x, op.value))) base.push(op.value);
      p[last] = base;
      return undefined;
    }
  }
}

/** The kustomization text with `patches: - path: FILE` added (unless listed), as a minimal text edit. */
export function withPatch(text: string, file: string): { text: string } | { error: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || doc.contents === null) return { error: "the kustomization file is not YAML" };
  const js = doc.toJS() as unknown;
  const patches = isRecord(js) ? js["patches"] : undefined;
  if (Array.isArray(patches) && patches.some((p) => isRecord(p) && p["path"] === file)) return { text };
  const r = opEdit(text, doc.contents, { op: "append", path: ["patches"], value: { path: file } });
  if ("error" in r) return r;
  return { text: r.edit === undefined ? text : applyEdits(text, [r.edit]) };
}

/** The kustomization directories among `dirs` that another of them lists (resources, bases, components). */
export function basesOf(dirs: readonly string[]): Set<string> {
  const out = new Set<string>();
  const all = new Set(dirs.map((d) => resolve(d)));
  for (const dir of dirs) {
    const file = kustomizationFile(dir);
    if (file === undefined) continue;
    let js: unknown;
    try {
      js = parseDocument(readFileSync(file, "utf8")).toJS() as unknown;
    } catch {
      continue;
    }
    if (!isRecord(js)) continue;
    for (const key of ["resources", "bases", "components"]) {
      const list = js[key];
      if (!Array.isArray(list)) continue;
      for (const e of list) {
        if (typeof e !== "string") continue;
        const target = resolve(dir, e);
        if (all.has(target)) out.add(target);
      }
    }
  }
  return out;
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}
