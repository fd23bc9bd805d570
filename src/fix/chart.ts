// Fixing a Helm chart through its values (`kubeward fix CHART --values-out FILE`) and, with
// `--patch-templates`, through literal template lines. Every change is verified by rendering the
// chart again with real helm (a private copy of the chart, the same isolation as scan) and
// scanning it: the targeted findings are gone, no finding appeared, and the rendered objects changed
// only where the fixes (or the values keys they set) reach. A batch that fails is bisected; what
// still fails is dropped and reported.
import { cpSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { isMap, parseDocument, type Document } from "yaml";
import { runRules } from "../core/engine.js";
import type { Finding, Fix, Path, Resource, TextEdit } from "../core/types.js";
import type { Loaded } from "../inputs/files.js";
import type { HelmOptions } from "../inputs/helm.js";
import { unifiedDiff } from "./diff.js";
import {
  appliedOf,
  engineOptions,
  indexResources,
  refText,
  resourceOf,
  skipReason,
  unfixedOf,
  type AppliedFix,
  type FixOptions,
  type UnfixedFinding,
} from "./fixer.js";
import { applyEdits, mergeEdits } from "./merge.js";
import { applyOps, changedPaths, deepEqual, isUnder, pathText, valueAt } from "./ops.js";
import { hasAction, parseValuesPath, relativeOp, templateEdit } from "./template.js";

export interface ChartFixOptions extends FixOptions {
  /** Absolute path of the chart directory. */
  chart: string;
  /** Scan root (file names are relative to it). */
  cwd: string;
  /** The helm flags of the scan (user `-f` files stay in force; the override goes last). */
  helm: HelmOptions;
  /** Text of an existing override file to extend (its keys are kept). */
  existingOverride?: string;
  /** Apply (and verify) template patches for findings the values cannot reach. */
  patchTemplates?: boolean;
  /** Renders and loads one chart directory with the given helm flags (src/api.ts loadResources). */
  load: (chart: string, cwd: string, helm: HelmOptions) => Loaded;
}

export interface ValuesFix extends AppliedFix {
  /** The values key set (`resources.limits.cpu`) and its value (null: the key is deleted). */
  valuesPath: string;
  value: unknown;
}

export interface TemplatePatch {
  /** Template file (relative to the scan root). */
  file: string;
  before: string;
  after: string;
  fixes: AppliedFix[];
}

export interface ChartFixResult {
  chart: string;
  findingsBefore: number;
  findingsAfter: number;
  /** The override document to pass with `-f` ("" when nothing is set). */
  override: string;
  valuesFixes: ValuesFix[];
  /** Template patches applied and verified (with patchTemplates). */
  patches: TemplatePatch[];
  /** Template patches proposed, not verified (without patchTemplates), as a unified diff. */
  proposed: string;
  /** Findings a proposed patch would fix. */
  proposedFixes: AppliedFix[];
  unfixed: UnfixedFinding[];
  /** Renders run (the first scan included). */
  renders: number;
  /** Set when the chart does not render: nothing was fixed. */
  error?: string;
}

interface Target {
  f: Finding;
  r: Resource;
  key: string;
}

type Change =
  | { kind: "values"; keys: (string | number)[]; value: unknown; targets: Target[] }
  | { kind: "template"; file: string; edits: TextEdit[]; targets: Target[] };

interface State {
  /** Values keys set by the override, in order. */
  values: { keys: (string | number)[]; value: unknown }[];
  /** Template texts by file relative to the chart (only patched ones). */
  templates: Map<string, string>;
}

/** A rendered (or built) input, scanned: its objects and active findings; `error` when it failed. */
export interface Scanned {
  resources: Resource[];
  findings: { f: Finding; r: Resource | undefined }[];
  error?: string;
}
type Render = Scanned;

/** Scan what a render loaded: rule findings and input findings (render errors go to `error`). */
export function scanLoaded(loaded: Loaded, options: FixOptions): Scanned {
  const errors = loaded.findings.filter((f) => f.ruleId === "render-error" || f.ruleId === "parse-error");
  const result = runRules(loaded.resources, engineOptions(options, options.rules));
  const index = indexResources(loaded.resources);
  const findings = [...loaded.findings.filter((f) => f.ruleId !== "render-error"), ...result.findings]
    .filter((f) => f.suppressed === undefined)
    .map((f) => ({ f, r: resourceOf(f, index) }));
  const out: Scanned = { resources: loaded.resources, findings };
  if (errors.length > 0) out.error = errors.map((e) => e.message).join("; ");
  return out;
}

/**
 * The fixes of `targets` applied to their objects in memory and the whole input scanned again:
 * why that adds a finding or leaves a targeted one, or undefined.
 */
export function inMemoryCheck(
  current: Scanned,
  targets: readonly { f: Finding; r: Resource; key: string }[],
  options: FixOptions,
  findingKey: (f: Finding, r: Resource | undefined) => string,
  /** Only look for added findings (a finding another fix also needs to go may remain). */
  addedOnly = false,
): string | undefined {
  const replaced = new Map<Resource, Resource>();
  for (const t of targets) {
    const from = replaced.get(t.r) ?? t.r;
    const next = applyOps(from.object, (t.f.fix as Fix).ops);
    if ("error" in next) return `its operations do not apply: ${next.error}`;
    replaced.set(t.r, { ...t.r, object: next.value as Resource["object"] });
  }
  const resources = current.resources.map((r) => replaced.get(r) ?? r);
  const result = runRules(resources, engineOptions(options, options.rules));
  const back = new Map([...replaced].map(([a, b]) => [b, a]));
  const index = indexResources(resources);
  const count = (list: readonly { f: Finding; r: Resource | undefined }[]) => {
    const m = new Map<string, number>();
    for (const { f, r } of list) m.set(findingKey(f, r), (m.get(findingKey(f, r)) ?? 0) + 1);
    return m;
  };
  const after = result.findings
    .filter((f) => f.suppressed === undefined)
    .map((f) => {
      const r = resourceOf(f, index);
      return { f, r: r === undefined ? undefined : (back.get(r) ?? r) };
    });
  const b = count(
    current.findings.filter(
      ({ f }) => f.ruleId !== "render-error" && f.ruleId !== "parse-error" && !isInputFinding(f),
    ),
  );
  const a = count(after);
  for (const { f, r } of after) {
    const k = findingKey(f, r);
    if ((a.get(k) ?? 0) > (b.get(k) ?? 0))
      return `with it the scan gains a finding (${f.ruleId}: ${f.message})`;
  }
  if (addedOnly) return undefined;
  const need = new Map<string, number>();
  for (const t of targets) need.set(t.key, (need.get(t.key) ?? 0) + 1);
  for (const [k, n] of need)
    if ((a.get(k) ?? 0) > (b.get(k) ?? 0) - n) return "the finding remains after the change";
  return undefined;
}

/** Findings about the input itself (not-scanned notices): not produced by rules. */
function isInputFinding(f: Finding): boolean {
  return f.category === "input" && f.ruleId !== "invalid-object";
}

/**
 * Greedy bisection: `tryList` the whole list (it commits the list when it verifies and returns
 * undefined, else says why not); on failure each half, down to single items, which `onFail` reports.
 */
export function acceptVerified<C>(
  list: readonly C[],
  tryList: (l: readonly C[]) => string | undefined,
  onFail: (c: C, why: string) => void,
): void {
  if (list.length === 0) return;
  const why = tryList(list);
  if (why === undefined) return;
  if (list.length === 1) {
    onFail(list[0] as C, why);
    return;
  }
  const half = Math.ceil(list.length / 2);
  acceptVerified(list.slice(0, half), tryList, onFail);
  acceptVerified(list.slice(half), tryList, onFail);
}

const MAX_PASSES = 4;

export function fixChart(options: ChartFixOptions): ChartFixResult {
  const chartName = basename(options.chart);
  const display = relative(options.cwd, options.chart).split("\\").join("/") || ".";
  const tmp = mkdtempSync(join(tmpdir(), "kubeward-fix-"));
  const copy = join(tmp, chartName);
  const overrideFile = join(tmp, "kubeward-override.yaml");
  const originals = new Map<string, string>();
  let renders = 0;
  try {
    cpSync(options.chart, copy, {
      recursive: true,
      filter: (src) => {
        const st = lstatSync(src);
        return !st.isSymbolicLink() && basename(src) !== ".git";
      },
    });
    const userValues = (options.helm.values ?? []).map((v) => resolve(options.cwd, v));
    const base = options.existingOverride ?? "";
    /** The chart-relative name of a file of the render (of the copy) or of the scan root. */
    const rel = (file: string) => {
      for (const prefix of [`${chartName}/`, `${display}/`])
        if (file.startsWith(prefix)) return file.slice(prefix.length);
      return file;
    };
    const shown = (file: string) => (display === "." ? rel(file) : `${display}/${rel(file)}`);

    const render = (state: State): Render => {
      renders++;
      writeFileSync(overrideFile, overrideText(base, state.values));
      for (const [file, text] of originals)
        writeFileSync(join(copy, file), state.templates.get(file) ?? text);
      const loaded = options.load(copy, tmp, {
        ...options.helm,
        values: [...userValues, overrideFile],
      });
      const scanned = scanLoaded(loaded, options);
      placeObjects(scanned);
      return scanned;
    };

    // Objects whose name the chart draws at random (a test Pod's `randAlphaNum` suffix) have a new
    // name in every render: they are known by their place among the objects of their template,
    // kind and namespace (the groups are found by the second render of the unchanged chart).
    let randomGroups: ReadonlySet<string> = new Set();
    const places = new WeakMap<Resource, string>();
    const placeObjects = (rd: Render) => {
      const seen = new Map<string, number>();
      for (const r of rd.resources) {
        const g = groupOf(r);
        if (!randomGroups.has(g)) continue;
        const i = seen.get(g) ?? 0;
        seen.set(g, i + 1);
        places.set(r, `${g}\0#${String(i)}`);
      }
    };
    const idOf = (r: Resource) => places.get(r) ?? objectId(r);
    const objectKey = (r: Resource) =>
      places.get(r) ?? `${rel(r.file)}\0${r.ref.kind}\0${r.ref.namespace ?? ""}\0${r.ref.name}`;
    const findingKey = (f: Finding, r: Resource | undefined) =>
      `${f.ruleId}\0${r ? objectKey(r) : rel(fileOf(f))}\0${r !== undefined && places.has(r) ? "" : refText(f)}\0${f.container ?? ""}`;
    const fullKey = (f: Finding, r: Resource | undefined) => `${findingKey(f, r)}\0${f.message}`;
    const counts = (rd: Render) => {
      const m = new Map<string, number>();
      for (const { f, r } of rd.findings) m.set(findingKey(f, r), (m.get(findingKey(f, r)) ?? 0) + 1);
      return m;
    };

    let state: State = { values: [], templates: new Map() };
    const first = render(state);
    // A second render of the unchanged chart shows what changes by itself (randAlphaNum, now).
    let volatile = new Map<string, Path[]>();
    if (first.error === undefined) {
      const second = render(state);
      randomGroups = randomNameGroups(first, second);
      placeObjects(first);
      placeObjects(second);
      volatile = volatilePaths(first, second, idOf);
    }
    const result: ChartFixResult = {
      chart: display,
      findingsBefore: first.findings.length,
      findingsAfter: first.findings.length,
      override: "",
      valuesFixes: [],
      patches: [],
      proposed: "",
      proposedFixes: [],
      unfixed: [],
      renders: 0,
    };
    if (first.error !== undefined) {
      result.error = first.error;
      result.renders = renders;
      return result;
    }
    const unfixed = new Map<string, UnfixedFinding>();
    const failed = new Set<string>();
    const show = (f: Finding): Finding => (f.source === "cluster" ? f : { ...f, file: shown(f.file) });
    for (const { f, r } of first.findings) {
      const why = skipReason(f, options);
      if (why !== undefined) unfixed.set(fullKey(f, r), unfixedOf(show(f), why[1], why[0]));
    }

    /** Verify `changes` on top of `from` (whose render is `before`): undefined when good, else why not. */
    const tryChanges = (
      from: State,
      before: Render,
      changes: readonly Change[],
    ): { why: string } | { state: State; render: Render } => {
      const next = applyChanges(from, changes, originals);
      const after = render(next);
      if (after.error !== undefined) return { why: `the chart no longer renders (${after.error})` };
      const b = counts(before);
      const a = counts(after);
      for (const { f, r } of after.findings) {
        const k = findingKey(f, r);
        if ((a.get(k) ?? 0) > (b.get(k) ?? 0))
          return { why: `with it the scan gains a finding (${f.ruleId}: ${f.message})` };
      }
      const need = new Map<string, number>();
      for (const c of changes) for (const t of c.targets) need.set(t.key, (need.get(t.key) ?? 0) + 1);
      for (const [k, n] of need) {
        if ((a.get(k) ?? 0) > (b.get(k) ?? 0) - n) return { why: "the finding remains after the change" };
      }
      const outside = changedOutside(before, after, changes, volatile, idOf);
      if (outside !== undefined) return { why: outside };
      return { state: next, render: after };
    };

    let current = first;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const planned = planChanges(current, state, options, failed, unfixed, {
        fullKey,
        findingKey,
        rel,
        show,
        originals,
        copy,
      });
      // A change whose fixes, applied to the rendered objects in memory, already add a finding is
      // dropped before any render (the render would fail the same check).
      const plan = planned.filter((c) => {
        const why = inMemoryCheck(current, c.targets, options, findingKey, true);
        if (why === undefined) return true;
        for (const t of c.targets) {
          failed.add(fullKey(t.f, t.r));
          unfixed.set(fullKey(t.f, t.r), unfixedOf(show(t.f), `not fixable automatically: ${why}`, "failed"));
        }
        return false;
      });
      if (plan.length === 0) break;
      // Greedy bisection: the largest halves that verify, one render per try.
      const accepted: Change[] = [];
      acceptVerified(
        plan,
        (list) => {
          const tried = tryChanges(state, current, list);
          if ("why" in tried) return tried.why;
          state = tried.state;
          current = tried.render;
          accepted.push(...list);
          return undefined;
        },
        (c, why) => {
          for (const t of c.targets) {
            failed.add(fullKey(t.f, t.r));
            unfixed.set(
              fullKey(t.f, t.r),
              unfixedOf(show(t.f), `not fixable automatically: ${why}`, "failed"),
            );
          }
        },
      );
      for (const c of accepted) {
        for (const t of c.targets) {
          unfixed.delete(fullKey(t.f, t.r));
          const a = appliedOf(show(t.f), pass);
          if (c.kind === "values") {
            result.valuesFixes.push({ ...a, valuesPath: valuesPathText(c.keys), value: c.value });
          } else {
            const p = result.patches.find((x) => x.file === shown(c.file));
            if (p !== undefined) p.fixes.push(a);
            else
              result.patches.push({
                file: shown(c.file),
                before: originals.get(c.file) ?? "",
                after: "",
                fixes: [a],
              });
          }
        }
      }
      if (accepted.length === 0) break;
    }
    for (const p of result.patches) {
      const f = [...originals.keys()].find((k) => shown(k) === p.file);
      p.after = f === undefined ? p.before : (state.templates.get(f) ?? p.before);
    }
    result.patches = result.patches.filter((p) => p.after !== p.before);
    // What is left and values cannot reach: propose template patches (not applied, not verified).
    if (options.patchTemplates !== true) {
      const proposal = proposePatches(current, options, failed, { fullKey, rel, show, copy });
      result.proposed = proposal.diff;
      result.proposedFixes = proposal.fixes;
    }
    result.findingsAfter = current.findings.length;
    result.override = state.values.length === 0 && base === "" ? "" : overrideText(base, state.values);
    // Anything still found with a fix that was not handled is reported with why.
    for (const { f, r } of current.findings) {
      const k = fullKey(f, r);
      if (unfixed.has(k)) continue;
      unfixed.set(k, unfixedOf(show(f), reasonLeft(f, r), "unfixable"));
    }
    result.unfixed = [...unfixed.values()].filter((u) =>
      current.findings.some(({ f }) => f.ruleId === u.ruleId && refText(f) === u.resource),
    );
    result.renders = renders;
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  function reasonLeft(f: Finding, r: Resource | undefined): string {
    if (f.fix === undefined)
      return f.noFix !== undefined
        ? `not fixable automatically: ${f.noFix}`
        : "not fixable automatically: the rule has no automatic fix";
    const why = r === undefined ? undefined : valuesReach(f, r);
    if (typeof why === "string") return `not fixable through values: ${why}`;
    return "not fixable through values: left after the last pass";
  }
}

/** The override document: `base` (an existing override file) with `values` set in it. */
export function overrideText(
  base: string,
  values: readonly { keys: (string | number)[]; value: unknown }[],
): string {
  const doc: Document = parseDocument(base);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}, { flow: false });
  for (const v of values) doc.setIn(v.keys, doc.createNode(v.value, { flow: false }));
  if (base.trim() === "" && values.length === 0) return "";
  const text = doc.toString({ indent: 2, lineWidth: 0, indentSeq: true });
  return text === "{}\n" ? "" : text.replace(/^\{\}\n$/, "");
}

function valuesPathText(keys: readonly (string | number)[]): string {
  let s = "";
  for (const k of keys) s += typeof k === "number" ? `[${String(k)}]` : s === "" ? k : `.${k}`;
  return s;
}

/**
 * The values keys and values that do what `f`'s fix does on the rendered object, or why there are
 * none. A key inside a values list is refused (helm replaces a list whole; the rest of it is not known).
 */
function valuesReach(f: Finding, r: Resource): { keys: (string | number)[]; value: unknown }[] | string {
  const fix = f.fix as Fix;
  const out: { keys: (string | number)[]; value: unknown }[] = [];
  for (const op of fix.ops) {
    const origin = r.source.origin?.(op.path);
    const v = origin?.values;
    if (v === undefined) {
      if (origin?.template?.valuesUnknown !== undefined)
        return `the values key is not known (${origin.template.valuesUnknown})`;
      return `the template writes \`${pathText(op.path)}\` itself (no values key reaches it)`;
    }
    if (v.setBy !== undefined)
      return `\`${v.path}\` is set on the command line (${v.setBy}), which an override file cannot change`;
    const keys = parseValuesPath(v.path);
    const list = keys.findIndex((k) => typeof k === "number");
    const current = valueAt(r.object, op.path);
    if (op.op === "remove" && typeof keys[keys.length - 1] === "number" && list === keys.length - 1) {
      // Removing a list item: the whole list, without it.
      const parent = valueAt(r.object, op.path.slice(0, -1));
      if (!Array.isArray(parent)) return `\`${pathText(op.path)}\` is not a list item`;
      out.push({
        keys: keys.slice(0, -1),
        value: parent.filter((_, i) => i !== op.path[op.path.length - 1]),
      });
      continue;
    }
    if (list !== -1) return `the values key \`${v.path}\` is inside a list (helm replaces lists whole)`;
    switch (op.op) {
      case "set":
      case "add":
        out.push({ keys, value: op.value });
        break;
      case "remove":
        out.push({ keys, value: null });
        break;
      case "append": {
        if (current !== undefined && current !== null && !Array.isArray(current))
          return `\`${pathText(op.path)}\` is not a list`;
        const list = Array.isArray(current) ? [...(current as unknown[])] : [];
        if (!list.some((x) => deepEqual(x, op.value))) list.push(op.value);
        out.push({ keys, value: list });
        break;
      }
    }
  }
  return out;
}

interface Keys {
  fullKey: (f: Finding, r: Resource | undefined) => string;
  findingKey: (f: Finding, r: Resource | undefined) => string;
  rel: (file: string) => string;
  show: (f: Finding) => Finding;
  originals: Map<string, string>;
  copy: string;
}

/** The changes of one pass: values keys first; template edits for what values cannot reach (with patchTemplates). */
function planChanges(
  current: Render,
  state: State,
  options: ChartFixOptions,
  failed: Set<string>,
  unfixed: Map<string, UnfixedFinding>,
  k: Keys,
): Change[] {
  const changes: Change[] = [];
  const byKeys = new Map<string, Extract<Change, { kind: "values" }>>();
  const setKeys = state.values.map((v) => v.keys);
  const templateEdits = new Map<string, { edits: TextEdit[]; target: Target }[]>();
  for (const { f, r } of current.findings) {
    if (r === undefined || f.fix === undefined || skipReason(f, options) !== undefined) continue;
    const full = k.fullKey(f, r);
    if (failed.has(full)) continue;
    const target: Target = { f, r, key: k.findingKey(f, r) };
    const reach = valuesReach(f, r);
    if (typeof reach !== "string") {
      // One change per values key; a fix whose key is already planned with another value (or
      // overlaps a planned key) waits for the next pass.
      const own: Extract<Change, { kind: "values" }>[] = [];
      let ok = true;
      for (const v of reach) {
        const id = JSON.stringify(v.keys);
        const same = byKeys.get(id);
        if (same !== undefined) {
          if (!deepEqual(same.value, v.value)) ok = false;
          continue;
        }
        const overlaps = [...byKeys.values()].some((c) => isUnder(c.keys, v.keys) || isUnder(v.keys, c.keys));
        const setBefore = setKeys.some((s) => isUnder(s, v.keys) || isUnder(v.keys, s));
        if (overlaps || setBefore) ok = false;
      }
      if (!ok) continue;
      for (const v of reach) {
        const id = JSON.stringify(v.keys);
        const same = byKeys.get(id);
        if (same !== undefined) {
          if (!same.targets.includes(target)) same.targets.push(target);
          continue;
        }
        const c: Extract<Change, { kind: "values" }> = {
          kind: "values",
          keys: v.keys,
          value: v.value,
          targets: [target],
        };
        byKeys.set(id, c);
        own.push(c);
      }
      changes.push(...own);
      continue;
    }
    if (options.patchTemplates !== true) continue;
    const edits = templateEditsFor(f, r, state, k);
    if ("error" in edits) {
      unfixed.set(
        full,
        unfixedOf(
          k.show(f),
          `not fixable through values: ${reach}; no template patch: ${edits.error}`,
          "unfixable",
        ),
      );
      failed.add(full);
      continue;
    }
    const list = templateEdits.get(edits.file) ?? [];
    list.push({ edits: edits.edits, target });
    templateEdits.set(edits.file, list);
  }
  // Values changes that serve several findings are one change; a fix needing several keys makes
  // its keys separate changes, which is fine: the targets are checked whole by each try.
  for (const [file, list] of templateEdits) {
    const text = state.templates.get(file) ?? k.originals.get(file) ?? "";
    const tagged = list.flatMap((x, i) => x.edits.map((edit) => ({ edit, tag: i })));
    const { deferred } = mergeEdits(text, tagged);
    const late = new Set(deferred);
    list.forEach((x, i) => {
      if (!late.has(i)) changes.push({ kind: "template", file, edits: x.edits, targets: [x.target] });
    });
  }
  return changes;
}

/** Template edits for a finding: each op at the template line of its deepest rendered ancestor. */
function templateEditsFor(
  f: Finding,
  r: Resource,
  state: State,
  k: Keys,
): { file: string; edits: TextEdit[] } | { error: string } {
  const fix = f.fix as Fix;
  let file: string | undefined;
  const edits: TextEdit[] = [];
  for (const op of fix.ops) {
    let n = op.path.length;
    while (n > 0 && valueAt(r.object, op.path.slice(0, n)) === undefined) n--;
    if (op.op !== "remove" && n === op.path.length) n--;
    // Set on an existing key: edit at its parent's block.
    if (n === op.path.length) n--;
    const anchor: Path = op.path.slice(0, n);
    const last = anchor[anchor.length - 1];
    if (last === undefined) return { error: "the field is at the object's top level" };
    const origin = r.source.origin?.(anchor);
    if (origin?.template === undefined) return { error: "the template line is not known" };
    const tfile = k.rel(origin.template.file);
    if (file !== undefined && file !== tfile) return { error: "the fix spans several templates" };
    file = tfile;
    let text = state.templates.get(tfile) ?? k.originals.get(tfile);
    if (text === undefined) {
      try {
        text = readFileSync(join(k.copy, tfile), "utf8");
      } catch {
        return { error: `${origin.template.file} cannot be read (a packaged subchart?)` };
      }
      k.originals.set(tfile, text);
    }
    const lines = text.split("\n");
    if (hasAction(lines[origin.template.line - 1] ?? "")) {
      return { error: `${origin.template.file}:${String(origin.template.line)} holds a template action` };
    }
    const e = templateEdit(
      text,
      origin.template.line,
      last,
      valueAt(r.object, anchor),
      relativeOp(op, anchor),
    );
    if ("error" in e) return { error: `${origin.template.file}: ${e.error}` };
    edits.push(e.edit);
  }
  if (file === undefined) return { error: "the fix has no operations" };
  return { file, edits };
}

function proposePatches(
  current: Render,
  options: ChartFixOptions,
  failed: Set<string>,
  k: Pick<Keys, "fullKey" | "rel" | "show" | "copy">,
): { diff: string; fixes: AppliedFix[] } {
  const originals = new Map<string, string>();
  const state: State = { values: [], templates: new Map() };
  const byFile = new Map<string, { edits: TextEdit[]; fixes: AppliedFix[] }>();
  for (const { f, r } of current.findings) {
    if (r === undefined || f.fix === undefined || skipReason(f, options) !== undefined) continue;
    if (failed.has(k.fullKey(f, r)) || typeof valuesReach(f, r) !== "string") continue;
    const e = templateEditsFor(f, r, state, { ...k, findingKey: k.fullKey, originals });
    if ("error" in e) continue;
    const entry = byFile.get(e.file) ?? { edits: [], fixes: [] };
    const text = originals.get(e.file) ?? "";
    const merged = mergeEdits(
      text,
      [...entry.edits, ...e.edits].map((edit, i) => ({ edit, tag: i })),
    );
    if (merged.deferred.length > 0) continue;
    entry.edits.push(...e.edits);
    entry.fixes.push(appliedOf(k.show(f), 1));
    byFile.set(e.file, entry);
  }
  let diff = "";
  const fixes: AppliedFix[] = [];
  for (const [file, { edits, fixes: fx }] of byFile) {
    const before = originals.get(file) ?? "";
    const shownFile = fileOf(k.show({ file } as Finding));
    diff +=
      fx.map((a) => `# proposed template patch for ${a.ruleId} ${a.resource}: ${a.description}\n`).join("") +
      unifiedDiff(shownFile, before, applyEdits(before, edits));
    fixes.push(...fx);
  }
  return { diff, fixes };
}

function applyChanges(
  from: State,
  changes: readonly Change[],
  originals: ReadonlyMap<string, string>,
): State {
  const values = [...from.values];
  const templates = new Map(from.templates);
  const edits = new Map<string, TextEdit[]>();
  for (const c of changes) {
    if (c.kind === "values") values.push({ keys: c.keys, value: c.value });
    else edits.set(c.file, [...(edits.get(c.file) ?? []), ...c.edits]);
  }
  for (const [file, list] of edits) {
    const text = templates.get(file) ?? originals.get(file) ?? "";
    templates.set(file, applyEdits(text, list));
  }
  return { values, templates };
}

/** A finding's file ("" for one without a file position, e.g. on a live-cluster object). */
export function fileOf(f: Finding): string {
  return f.file ?? "";
}

const objectId = (r: Resource) =>
  `${r.ref.kind}\0${r.ref.namespace ?? ""}\0${r.ref.name}\0${r.ref.apiVersion}`;

/**
 * Paths that differ between two renders of the same input, by object (random passwords, their
 * checksums, timestamps): not held against a fix.
 */
function volatilePaths(a: Render, b: Render, id: (r: Resource) => string): Map<string, Path[]> {
  const out = new Map<string, Path[]>();
  const byId = new Map(b.resources.map((r) => [id(r), r]));
  for (const r of a.resources) {
    const other = byId.get(id(r));
    if (other === undefined || deepEqual(r.object, other.object)) continue;
    out.set(id(r), changedPaths(r.object, other.object));
  }
  return out;
}

/** Template, kind, namespace and API version of an object: where a random name is looked for. */
const groupOf = (r: Resource) => `${r.file}\0${r.ref.kind}\0${r.ref.namespace ?? ""}\0${r.ref.apiVersion}`;

/**
 * The groups (groupOf) whose objects are named differently by two renders of the same input
 * (as many objects in each): their names are drawn at random.
 */
function randomNameGroups(a: Render, b: Render): Set<string> {
  const names = (rd: Render) => {
    const m = new Map<string, string[]>();
    for (const r of rd.resources) m.set(groupOf(r), [...(m.get(groupOf(r)) ?? []), r.ref.name]);
    return m;
  };
  const na = names(a);
  const nb = names(b);
  const out = new Set<string>();
  for (const [g, list] of na) {
    const other = nb.get(g);
    if (other !== undefined && other.length === list.length && list.some((n, i) => n !== other[i]))
      out.add(g);
  }
  return out;
}

/**
 * Why the render after `changes` changed something the fixes did not ask for, or undefined: the
 * same objects, and each changed path is under a fix's path on that object, or (values) is written
 * from a values key the override set, or (templates) is under a fix's path on an object of the same template.
 */
function changedOutside(
  before: Render,
  after: Render,
  changes: readonly Change[],
  volatile: ReadonlyMap<string, Path[]> = new Map(),
  id: (r: Resource) => string = objectId,
): string | undefined {
  const list = (rs: readonly Resource[]) => {
    const m = new Map<string, Resource[]>();
    for (const r of rs) m.set(id(r), [...(m.get(id(r)) ?? []), r]);
    return m;
  };
  const b = list(before.resources);
  const a = list(after.resources);
  if (b.size !== a.size || [...b].some(([k, v]) => a.get(k)?.length !== v.length)) {
    return "the rendered chart gained or lost an object";
  }
  const valueKeys = changes.flatMap((c) => (c.kind === "values" ? [c.keys] : []));
  const templateFiles = new Set(changes.flatMap((c) => (c.kind === "template" ? [c.file] : [])));
  for (const [key, olds] of b) {
    const news = a.get(key) ?? [];
    for (const [i, old] of olds.entries()) {
      const now = news[i];
      if (now === undefined || deepEqual(old.object, now.object)) continue;
      const ops = (ts: readonly Target[]) => ts.flatMap((t) => (t.f.fix as Fix).ops);
      const mine = ops(changes.flatMap((c) => c.targets.filter((t) => id(t.r) === key)));
      const sameTemplate = ops(
        changes.flatMap((c) => (c.kind === "template" ? c.targets : [])).filter((t) => t.r.file === old.file),
      ).map((o) => o.path);
      // What the fixes on this object ask for; anything else that changed must come from a values
      // key the override set (a key several objects share) or from the same template line.
      const expected = applyOps(old.object, mine);
      const from = "error" in expected ? old.object : expected.value;
      for (const p of changedPaths(from, now.object)) {
        if (volatile.get(key)?.some((v) => isUnder(p, v) || isUnder(v, p)) === true) continue;
        if (templateFiles.size > 0 && sameTemplate.some((d) => isUnder(p, d) || isUnder(d, p))) continue;
        const v = now.source.origin?.(p)?.values ?? old.source.origin?.(p)?.values;
        if (v !== undefined && valueKeys.some((k) => isUnder(parseValuesPath(v.path), k))) continue;
        return `the change also alters ${old.ref.kind}/${old.ref.name} at ${pathText(p)}`;
      }
    }
  }
  return undefined;
}
