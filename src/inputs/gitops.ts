// GitOps objects found in the scanned tree: Flux HelmRelease (v2) and Kustomization, Argo CD
// Application. What they point at is rendered and scanned when it is a local path in the tree (the
// scanned root, or the Git repository holding the object, stands for the GitRepository / repoURL);
// remote sources are reported as not scanned, never fetched.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { notScanned, renderError } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type { Finding, KObject, Resource, SourceLoc } from "../core/types.js";
import { getIn, isRecord } from "../core/workloads.js";
import { displayName, listFiles, loadFiles, type Loaded, type RenderInputs } from "./files.js";
import { renderCharts, type ChartInput, type HelmOptions } from "./helm.js";
import { buildKustomizations, isKustomizeDir, type KustomizeInput } from "./kustomize.js";
import { CLUSTER_SCOPED } from "../rules/security/default-namespace.js";

/** A directory of plain manifests, or a kustomization, to read for a GitOps object. */
interface DirInput {
  dir: string;
  /** Flux's targetNamespace: set on every namespaced object. */
  namespace?: string;
  /** The object that asks for it, named in findings (only with a namespace, which changes what is scanned). */
  origin?: string;
  /** Read even when it is inside the scanned paths (its namespace makes it another set of objects). */
  always?: boolean;
}

interface Plan {
  charts: ChartInput[];
  kustomizations: (KustomizeInput & DirInput)[];
  dirs: DirInput[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Render what the GitOps objects in `loaded` point at. `scanned` are the absolute paths already
 * scanned: a directory or kustomization inside them was scanned as part of the tree and is not
 * scanned again (a chart is: a release's values change what it renders).
 */
export function expandGitOps(
  loaded: Loaded,
  options: HelmOptions,
  cwd: string,
  scanned: readonly string[] = [],
): void {
  const plan: Plan = { charts: [], kustomizations: [], dirs: [] };
  const objects = [...loaded.resources];
  const before = loaded.findings.length;
  for (const r of objects) {
    const group = r.ref.apiVersion.split("/")[0] ?? "";
    if (r.ref.kind === "HelmRelease" && group === "helm.toolkit.fluxcd.io")
      helmRelease(r, objects, plan, loaded, cwd);
    else if (r.ref.kind === "Kustomization" && group === "kustomize.toolkit.fluxcd.io")
      fluxKustomization(r, objects, plan, loaded, cwd);
    else if (r.ref.kind === "Application" && group === "argoproj.io") argoApplication(r, plan, loaded, cwd);
  }
  dedupeSince(loaded.findings, before);
  const inside = (p: string) => scanned.some((s) => p === s || p.startsWith(`${s}/`));
  // A directory that a Flux Kustomization deploys into its targetNamespace is read again for it; the
  // copy read as part of the tree (in no namespace, or in one targetNamespace overrides) is dropped:
  // it is not what gets deployed.
  const redone = [...plan.kustomizations, ...plan.dirs].filter((d) => d.always === true && inside(d.dir));
  if (redone.length > 0) {
    const builtHere = new Set(redone.map((d) => `kustomization ${displayName(cwd, d.dir)}`));
    const under = (file: string) =>
      redone.some((d) => {
        const rel = relative(d.dir, resolve(cwd, file));
        return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
      });
    loaded.resources = loaded.resources.filter((r) =>
      r.release === undefined ? !under(r.file) : !builtHere.has(r.release),
    );
  }
  renderCharts(plan.charts, options, cwd, loaded);
  buildKustomizations(
    plan.kustomizations.filter((k) => k.always === true || !inside(k.dir)),
    options,
    cwd,
    loaded,
  );
  const dirs = plan.dirs.filter((d) => d.always === true || !inside(d.dir));
  for (const { dir, namespace, origin } of dirs) {
    const found: RenderInputs = { charts: [], packaged: [], kustomizations: [] };
    // An unreadable directory reached through an object is a finding; the scan goes on.
    const problems: Finding[] = [];
    const more = loadFiles(listFiles([dir], { cwd }, found, problems), { cwd });
    loaded.findings.push(...problems);
    for (const res of more.resources) {
      if (namespace !== undefined && !CLUSTER_SCOPED.has(res.ref.kind)) res.ref = { ...res.ref, namespace };
      if (origin !== undefined) res.release = origin;
    }
    loaded.resources.push(...more.resources);
    loaded.findings.push(...more.findings);
    loaded.skipped += more.skipped;
    loaded.files += more.files;
    for (const [k, v] of more.texts) loaded.texts.set(k, v);
  }
}

/**
 * Each notice once: the same object can be loaded twice (a folder reached through two GitOps
 * objects, or scanned and reached) and several sources of one Application can say the same.
 */
function dedupeSince(findings: Finding[], start: number): void {
  const key = (f: Finding) => `${f.ruleId}\0${f.file}\0${String(f.line)}\0${f.message}`;
  const seen = new Set(findings.slice(0, start).map(key));
  const fresh = findings.splice(start).filter((f) => {
    const k = key(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  findings.push(...fresh);
}

function where(r: Resource): SourceLoc {
  return r.source.locate([]).loc;
}

function remote(r: Resource, url: string, loaded: Loaded): void {
  loaded.findings.push(
    inputFinding(notScanned, "remote", { kind: r.ref.kind, name: r.ref.name, url }, where(r), {
      resource: r.ref,
    }),
  );
}

/** A source kubeward cannot render (a plugin, jsonnet, an artifact built outside the tree). */
function unsupported(r: Resource, detail: string, loaded: Loaded): void {
  loaded.findings.push(
    inputFinding(notScanned, "unsupported", { kind: r.ref.kind, name: r.ref.name, detail }, where(r), {
      resource: r.ref,
    }),
  );
}

function fail(r: Resource, detail: string, loaded: Loaded): void {
  loaded.findings.push(
    inputFinding(renderError, "gitops", { kind: r.ref.kind, name: r.ref.name, detail }, where(r), {
      resource: r.ref,
    }),
  );
}

/**
 * The local directory or file a repository-relative source path names, or undefined (then the
 * source is reported as not scanned). The root is the Git repository holding the object, else the
 * scan root; never the working directory. The path must stay inside that root: `..` out of it, and
 * symlinks whose target leaves it, are refused; a leading `/` means the repository root (Argo CD).
 * `repoUrl`, when known, must be a remote of that repository when it has any.
 */
function localPath(r: Resource, path: string, cwd: string, repoUrl?: string): string | undefined {
  const scanRoot = resolve(cwd);
  let gitRoot: string | undefined;
  let dir = dirname(resolve(cwd, r.file));
  for (;;) {
    if (existsSync(join(dir, ".git"))) {
      gitRoot = dir;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (gitRoot !== undefined && repoUrl !== undefined && !isThisRepository(gitRoot, repoUrl)) return undefined;
  // A repository inside the scan root is the root; one above it (the scan root is a folder of the
  // repository) comes after the scan root.
  const roots =
    gitRoot === undefined ? [scanRoot] : within(scanRoot, gitRoot) ? [gitRoot] : [scanRoot, gitRoot];
  const rel = path.replace(/^\/+/, "").replace(/^\.\//, "");
  for (const root of roots) {
    const full = resolve(root, rel === "" ? "." : rel);
    if (!within(root, full) || !existsSync(full)) continue;
    try {
      if (within(realpathSync(root), realpathSync(full))) return full;
    } catch {
      // unreadable: not local
    }
  }
  return undefined;
}

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Whether `url` is one of the repository's remotes; true when it has none (nothing to compare). */
function isThisRepository(root: string, url: string): boolean {
  let config: string;
  try {
    config = readFileSync(join(root, ".git", "config"), "utf8");
  } catch {
    return true;
  }
  const remotes = [...config.matchAll(/^\s*url\s*=\s*(\S+)/gm)].map((m) => normalizeUrl(m[1] ?? ""));
  return remotes.length === 0 || remotes.includes(normalizeUrl(url));
}

/** `https://github.com/o/r.git`, `git@github.com:o/r`, `ssh://git@github.com/o/r` → `github.com/o/r`. */
function normalizeUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, "")
    .replace(/^[^@/]+@/, "")
    .replace(/^([^/:]+):(?!\d)/, "$1/")
    .replace(/\.git\/?$/, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

function find(objects: readonly Resource[], kind: string, name: string, namespace: string | undefined) {
  return objects.find(
    (o) =>
      o.ref.kind === kind &&
      o.ref.name === name &&
      (namespace === undefined || (o.ref.namespace ?? namespace) === namespace),
  );
}

function sourceUrl(objects: readonly Resource[], kind: string, name: string, ns: string | undefined): string {
  const src = find(objects, kind, name, ns);
  return str(getIn(src?.object ?? {}, ["spec", "url"])) ?? `${kind}/${name}`;
}

function helmRelease(
  r: Resource,
  objects: readonly Resource[],
  plan: Plan,
  loaded: Loaded,
  cwd: string,
): void {
  const spec = isRecord(r.object["spec"]) ? r.object["spec"] : {};
  const ns = r.ref.namespace;
  let chartPath: string | undefined;
  let sourceKind: string | undefined;
  let sourceName: string | undefined;
  let sourceNs: string | undefined;
  let chartFolder: string | undefined;
  const chartSpec = getIn(spec, ["chart", "spec"]);
  const chartRef = spec["chartRef"];
  if (isRecord(chartSpec)) {
    chartPath = str(chartSpec["chart"]);
    sourceKind = str(getIn(chartSpec, ["sourceRef", "kind"]));
    sourceName = str(getIn(chartSpec, ["sourceRef", "name"]));
    sourceNs = str(getIn(chartSpec, ["sourceRef", "namespace"])) ?? ns;
  } else if (isRecord(chartRef)) {
    const kind = str(chartRef["kind"]);
    const name = str(chartRef["name"]) ?? "";
    const refNs = str(chartRef["namespace"]) ?? ns;
    if (kind === "HelmChart") {
      const hc = find(objects, "HelmChart", name, refNs);
      if (hc === undefined) {
        fail(r, `HelmChart ${name} is not in the scanned tree`, loaded);
        return;
      }
      chartPath = str(getIn(hc.object, ["spec", "chart"]));
      sourceKind = str(getIn(hc.object, ["spec", "sourceRef", "kind"]));
      sourceName = str(getIn(hc.object, ["spec", "sourceRef", "name"]));
      sourceNs = refNs;
    } else if (kind === "ExternalArtifact") {
      const found = artifactDirs(r, objects, name, refNs, "", cwd);
      if ("why" in found) unsupported(r, found.why, loaded);
      else if (found.dirs.length !== 1 || !existsSync(join(found.dirs[0] ?? "", "Chart.yaml")))
        unsupported(r, `ExternalArtifact ${name} is not one local chart folder`, loaded);
      else chartFolder = found.dirs[0];
      if (chartFolder === undefined) return;
      chartPath = ".";
    } else {
      remote(r, sourceUrl(objects, kind ?? "OCIRepository", name, refNs), loaded);
      return;
    }
  }
  if (chartPath === undefined) {
    fail(r, "no chart (spec.chart.spec.chart or spec.chartRef)", loaded);
    return;
  }
  if (chartFolder === undefined && sourceKind !== "GitRepository" && sourceKind !== "Bucket") {
    remote(
      r,
      `${sourceUrl(objects, sourceKind ?? "HelmRepository", sourceName ?? "", sourceNs)} (chart ${chartPath})`,
      loaded,
    );
    return;
  }
  // A GitRepository of another repository is remote even when the same path exists here.
  const gitUrl =
    sourceKind === "GitRepository"
      ? str(getIn(find(objects, sourceKind, sourceName ?? "", sourceNs)?.object ?? {}, ["spec", "url"]))
      : undefined;
  const chart = chartFolder ?? localPath(r, chartPath, cwd, gitUrl);
  if (chart === undefined) {
    remote(
      r,
      `${sourceUrl(objects, sourceKind ?? "GitRepository", sourceName ?? "", sourceNs)} (path ${chartPath})`,
      loaded,
    );
    return;
  }

  // Values: valuesFrom in order, then spec.values (Flux's precedence).
  const inline: NonNullable<ChartInput["inlineValues"]> = [];
  const valuesFrom = Array.isArray(spec["valuesFrom"]) ? (spec["valuesFrom"] as unknown[]) : [];
  for (const v of valuesFrom) {
    if (!isRecord(v)) continue;
    const kind = str(v["kind"]);
    const name = str(v["name"]) ?? "";
    const key = str(v["valuesKey"]) ?? "values.yaml";
    const obj = kind === undefined ? undefined : find(objects, kind, name, ns);
    const text = obj === undefined ? undefined : dataOf(obj.object, key);
    if (text === undefined) {
      if (v["optional"] === true) continue;
      fail(r, `valuesFrom ${kind ?? "?"}/${name} key ${key} is not in the scanned tree`, loaded);
      return;
    }
    const target = str(v["targetPath"]);
    inline.push({
      name: `${obj?.file ?? "?"}#${key}`,
      text: target === undefined ? text : stringify(nest(target.split("."), text)),
      ...(obj === undefined ? {} : { at: lineAt(obj, ["data", key]) }),
    });
  }
  if (isRecord(spec["values"]))
    inline.push({
      name: `${r.file}#spec.values`,
      text: stringify(spec["values"]),
      at: lineAt(r, ["spec", "values"]),
      keyAt: keyAt(r, ["spec", "values"]),
    });
  const targetNs = str(spec["targetNamespace"]);
  plan.charts.push({
    chart,
    releaseName:
      str(spec["releaseName"]) ?? (targetNs !== undefined ? `${targetNs}-${r.ref.name}` : r.ref.name),
    namespace: targetNs ?? ns ?? "default",
    inlineValues: inline,
    reportAt: where(r),
    origin: originName(r),
  });
}

function lineAt(r: Resource, path: (string | number)[]): { file: string; line: number } {
  const { loc } = r.source.locate(path);
  return { file: loc.file, line: loc.line };
}

/** Where a key of values embedded in the object is (`spec.values.replicaCont`), when it is found exactly. */
function keyAt(r: Resource, base: (string | number)[]): (keys: readonly string[]) => SourceLoc | undefined {
  return (keys) => {
    const l = r.source.locate([...base, ...keys]);
    return l.exact ? l.loc : undefined;
  };
}

function nest(keys: string[], value: string): unknown {
  let out: unknown = value;
  for (const k of [...keys].reverse()) out = { [k]: out };
  return out;
}

function dataOf(obj: KObject, key: string): string | undefined {
  const plain = getIn(obj, ["data", key]) ?? getIn(obj, ["stringData", key]);
  if (obj["kind"] === "Secret" && getIn(obj, ["stringData", key]) === undefined) {
    const b64 = str(getIn(obj, ["data", key]));
    return b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8");
  }
  return str(plain);
}

function fluxKustomization(
  r: Resource,
  objects: readonly Resource[],
  plan: Plan,
  loaded: Loaded,
  cwd: string,
): void {
  const spec = isRecord(r.object["spec"]) ? r.object["spec"] : {};
  const path = str(spec["path"]) ?? "./";
  const kind = str(getIn(spec, ["sourceRef", "kind"])) ?? "GitRepository";
  const name = str(getIn(spec, ["sourceRef", "name"])) ?? "";
  const ns = str(getIn(spec, ["sourceRef", "namespace"])) ?? r.ref.namespace;
  const url =
    kind === "GitRepository"
      ? str(getIn(find(objects, kind, name, ns)?.object ?? {}, ["spec", "url"]))
      : undefined;
  if (kind === "ExternalArtifact") {
    const found = artifactDirs(r, objects, name, ns, path, cwd);
    if ("why" in found) unsupported(r, found.why, loaded);
    else for (const d of found.dirs) addDir(d, r, plan);
    return;
  }
  const dir = kind === "GitRepository" || kind === "Bucket" ? localPath(r, path, cwd, url) : undefined;
  if (dir === undefined || !statSync(dir).isDirectory()) {
    remote(r, `${sourceUrl(objects, kind, name, ns)} (path ${path})`, loaded);
    return;
  }
  // targetNamespace changes what is deployed: such a Kustomization is always read again, like a
  // chart, with its objects in that namespace and named after it.
  const namespace = str(spec["targetNamespace"]);
  if (namespace === undefined || existsSync(join(dir, "Chart.yaml"))) addDir(dir, r, plan);
  else {
    const input = { dir, reportAt: where(r), origin: originName(r), namespace, always: true };
    if (isKustomizeDir(dir)) plan.kustomizations.push(input);
    else plan.dirs.push(input);
  }
}

const clean = (p: string) =>
  p
    .replace(/^(\.?\/)+/, "")
    .replace(/\/+$/, "")
    .replace(/^\.$/, "");

/**
 * The local folders that `path` of an ExternalArtifact stands for. Only an ArtifactGenerator in the
 * tree says what the artifact holds: every `copy` whose `to` covers the path (or lies below it) must
 * copy a whole folder (`@alias/dir/**`, its contents land under `to`) of a GitRepository that is
 * this repository. Anything else (single files, globs, OCI or Bucket sources, a generator outside
 * the tree) is a reason why the artifact is not scanned.
 */
function artifactDirs(
  r: Resource,
  objects: readonly Resource[],
  name: string,
  ns: string | undefined,
  path: string,
  cwd: string,
): { dirs: string[] } | { why: string } {
  const artifactsOf = (o: Resource): unknown[] => {
    const a = getIn(o.object, ["spec", "artifacts"]);
    return Array.isArray(a) ? (a as unknown[]) : [];
  };
  const gen = objects.find(
    (o) =>
      o.ref.kind === "ArtifactGenerator" &&
      o.ref.apiVersion.startsWith("source.extensions.fluxcd.io/") &&
      (ns === undefined || (o.ref.namespace ?? ns) === ns) &&
      artifactsOf(o).some((a) => isRecord(a) && a["name"] === name),
  );
  if (gen === undefined)
    return { why: `ExternalArtifact ${name} is built by a controller outside the scanned tree` };
  const genName = `ArtifactGenerator ${gen.ref.name}`;
  const artifact = artifactsOf(gen).find((a) => isRecord(a) && a["name"] === name);
  const copies = isRecord(artifact) && Array.isArray(artifact["copy"]) ? (artifact["copy"] as unknown[]) : [];
  const sources = getIn(gen.object, ["spec", "sources"]);
  const want = clean(path);
  const dirs: string[] = [];
  for (const c of copies) {
    if (!isRecord(c)) continue;
    const from = str(c["from"]) ?? "";
    const to = /^@artifact(?:\/(.*))?$/.exec(str(c["to"]) ?? "");
    if (to === null) return { why: `${genName} copies to ${String(c["to"])}, not into @artifact/` };
    const sub = clean(to[1] ?? "");
    let rest: string;
    if (sub === "" || want === sub || want.startsWith(`${sub}/`)) rest = want.slice(sub.length);
    else if (want === "" || sub.startsWith(`${want}/`)) rest = "";
    else continue;
    const m = /^@([^/]+)\/(?:(.*)\/)?\*\*$/.exec(from);
    if (m?.[1] === undefined) return { why: `${genName} copies ${from}, not a whole folder` };
    const alias = m[1];
    const source = Array.isArray(sources)
      ? (sources as unknown[]).find((s) => isRecord(s) && s["alias"] === alias)
      : undefined;
    const kind = isRecord(source) ? str(source["kind"]) : undefined;
    if (!isRecord(source) || kind !== "GitRepository")
      return {
        why: `${genName} copies from @${alias}, ${kind ?? "an unknown source"}, not this Git repository`,
      };
    const srcName = str(source["name"]) ?? "";
    const url = str(getIn(find(objects, kind, srcName, gen.ref.namespace)?.object ?? {}, ["spec", "url"]));
    const rel = [clean(m[2] ?? ""), clean(rest)].filter((x) => x !== "").join("/");
    const dir = localPath(r, rel, cwd, url);
    if (dir === undefined || !statSync(dir).isDirectory())
      return {
        why: `${genName} copies ${from} of ${url ?? `GitRepository ${srcName}`}, not a folder of this repository`,
      };
    dirs.push(dir);
  }
  if (dirs.length === 0)
    return { why: `${genName} puts nothing at ${path === "" ? "/" : path} of ExternalArtifact ${name}` };
  return { dirs };
}

/** `HelmRelease flux-system/app`: names the object in findings on what it rendered. */
function originName(r: Resource): string {
  return `${r.ref.kind} ${r.ref.namespace !== undefined ? `${r.ref.namespace}/` : ""}${r.ref.name}`;
}

function addDir(dir: string, r: Resource, plan: Plan): void {
  if (existsSync(join(dir, "Chart.yaml"))) plan.charts.push({ chart: dir, reportAt: where(r) });
  else if (isKustomizeDir(dir)) plan.kustomizations.push({ dir, reportAt: where(r), origin: originName(r) });
  else plan.dirs.push({ dir, origin: originName(r) });
}

/** The `*.jsonnet` files of a directory source (relative), sorted; at most 64 folders are looked at. */
function jsonnetFiles(dir: string, recurse: boolean): string[] {
  const out: string[] = [];
  const queue = [""];
  let budget = 64;
  while (queue.length > 0 && budget-- > 0) {
    const rel = queue.shift() ?? "";
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isFile() && e.name.endsWith(".jsonnet")) out.push(p);
      else if (recurse && e.isDirectory() && !e.name.startsWith(".")) queue.push(p);
    }
  }
  return out.sort();
}

function argoApplication(r: Resource, plan: Plan, loaded: Loaded, cwd: string): void {
  const spec = isRecord(r.object["spec"]) ? r.object["spec"] : {};
  const sources = Array.isArray(spec["sources"]) ? (spec["sources"] as unknown[]) : [spec["source"]];
  const namespace = str(getIn(spec, ["destination", "namespace"]));
  // Multi-source: a source with `ref` names its repository for the others' `$ref/...` value files.
  const refs = new Map<string, Record<string, unknown>>();
  for (const source of sources)
    if (isRecord(source) && str(source["ref"]) !== undefined) refs.set(str(source["ref"]) ?? "", source);
  sources: for (const [i, source] of sources.entries()) {
    if (!isRecord(source)) continue;
    const sourcePath: (string | number)[] = Array.isArray(spec["sources"])
      ? ["spec", "sources", i]
      : ["spec", "source"];
    const repo = str(source["repoURL"]) ?? "?";
    const path = str(source["path"]);
    // Only there for its value files: nothing of its own is deployed.
    if (str(source["ref"]) !== undefined && path === undefined && str(source["chart"]) === undefined)
      continue;
    if (source["plugin"] !== undefined && source["plugin"] !== null) {
      const plugin = isRecord(source["plugin"]) ? str(source["plugin"]["name"]) : undefined;
      unsupported(
        r,
        `config management plugin${plugin !== undefined ? ` ${plugin}` : ""} (${repo}${path !== undefined ? `, path ${path}` : ""}); kubeward does not run plugins`,
        loaded,
      );
      continue;
    }
    if (str(source["chart"]) !== undefined || path === undefined) {
      remote(
        r,
        `${repo}${str(source["chart"]) !== undefined ? ` (chart ${String(source["chart"])})` : ""}`,
        loaded,
      );
      continue;
    }
    const dir = localPath(r, path, cwd, repo === "?" ? undefined : repo);
    if (dir === undefined || !statSync(dir).isDirectory()) {
      remote(r, `${repo} (path ${path})`, loaded);
      continue;
    }
    if (!existsSync(join(dir, "Chart.yaml"))) {
      // Argo CD evaluates *.jsonnet files of a directory source; kubeward reads only the YAML/JSON.
      if (!isKustomizeDir(dir)) {
        const recurse = getIn(source, ["directory", "recurse"]) === true;
        const jsonnet = jsonnetFiles(dir, recurse);
        if (jsonnet.length > 0 || isRecord(getIn(source, ["directory", "jsonnet"])))
          unsupported(
            r,
            `jsonnet in ${path}${jsonnet.length > 0 ? ` (${jsonnet.slice(0, 3).join(", ")}${jsonnet.length > 3 ? ", …" : ""})` : ""} is not evaluated; only its YAML and JSON files are scanned`,
            loaded,
          );
      }
      addDir(dir, r, plan);
      continue;
    }
    const helm = isRecord(source["helm"]) ? source["helm"] : {};
    const inline: NonNullable<ChartInput["inlineValues"]> = [];
    const files = Array.isArray(helm["valueFiles"]) ? (helm["valueFiles"] as unknown[]) : [];
    for (const f of files) {
      let full = typeof f === "string" ? resolve(dir, f) : undefined;
      const ref = typeof f === "string" ? /^\$([^/]+)\/(.*)$/.exec(f) : null;
      if (ref?.[1] !== undefined) {
        // `$values/env/prod.yaml`: a file of the source with `ref: values`.
        const refSource = refs.get(ref[1]);
        const refRepo = refSource === undefined ? undefined : str(refSource["repoURL"]);
        full = refSource === undefined ? undefined : localPath(r, ref[2] ?? "", cwd, refRepo);
        if (full === undefined && refSource !== undefined && helm["ignoreMissingValueFiles"] !== true) {
          remote(r, `${refRepo ?? "?"} (values file ${String(f)} for ${path})`, loaded);
          continue sources;
        }
      }
      if (full === undefined || !existsSync(full)) {
        if (helm["ignoreMissingValueFiles"] === true) continue;
        fail(r, `values file ${String(f)} not found in ${path}`, loaded);
        return;
      }
      inline.push({ name: displayName(cwd, full), text: readFileSync(full, "utf8") });
    }
    const at = (key: string) => lineAt(r, [...sourcePath, "helm", key]);
    if (typeof helm["values"] === "string")
      inline.push({ name: `${r.file}#helm.values`, text: helm["values"], at: at("values") });
    if (isRecord(helm["valuesObject"]))
      inline.push({
        name: `${r.file}#helm.valuesObject`,
        text: stringify(helm["valuesObject"]),
        at: at("valuesObject"),
        keyAt: keyAt(r, [...sourcePath, "helm", "valuesObject"]),
      });
    const params = Array.isArray(helm["parameters"]) ? (helm["parameters"] as unknown[]) : [];
    for (const p of params) {
      if (!isRecord(p) || typeof p["name"] !== "string") continue;
      inline.push({
        name: `${r.file}#helm.parameters`,
        text: stringify(
          nest(
            p["name"].split("."),
            typeof p["value"] === "string" ? p["value"] : JSON.stringify(p["value"] ?? ""),
          ),
        ),
        at: at("parameters"),
      });
    }
    plan.charts.push({
      chart: dir,
      releaseName: str(helm["releaseName"]) ?? r.ref.name,
      ...(namespace !== undefined ? { namespace } : {}),
      inlineValues: inline,
      reportAt: where(r),
      origin: originName(r),
    });
  }
}
