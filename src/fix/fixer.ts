// The fix driver: findings with fixes → verified text edits, in bounded passes. Pure (no I/O):
// the caller reads and writes files. Every applied fix was checked: the text still parses, the
// object equals the original with exactly the fix's operations applied (nothing else changed),
// it still validates, its finding is gone and no other finding appeared.
import { isMap, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from "yaml";
import type { Config } from "../core/config.js";
import { runRules } from "../core/engine.js";
import type { AnyRule } from "../core/rule.js";
import type { Finding, Fix, Path, Resource, TextEdit } from "../core/types.js";
import { validateResource } from "../core/validate.js";
import { isRecord } from "../core/workloads.js";
import { parseYaml } from "../inputs/yaml.js";
import { opEdit } from "./edits.js";
import { applyEdits, mergeEdits } from "./merge.js";
import { applyOps, changedPaths, deepEqual, isUnder, pathText } from "./ops.js";

export interface Keep {
  /** Container name, or `*` for every container. */
  container: string;
  /** A field the fix must leave alone, relative to the container (`securityContext.capabilities`) or the pod (`hostNetwork`). */
  field: string;
}

export interface FixOptions {
  rules: readonly AnyRule[];
  config: Config;
  /** Also apply fixes marked unsafe (they can change how the app runs). */
  unsafe?: boolean;
  /** Only these rule IDs. */
  only?: ReadonlySet<string>;
  keep?: readonly Keep[];
  today?: string;
  noExemptions?: boolean;
  /** Passes before the fixer gives up on overlapping fixes (default 10). */
  maxPasses?: number;
}

export interface AppliedFix {
  ruleId: string;
  kind: Fix["kind"];
  /** What the fix changes. */
  description: string;
  /** Why: the finding's message. */
  message: string;
  file: string;
  line: number;
  column: number;
  resource: string;
  container?: string;
  /** The object paths the fix declared. */
  paths: string[];
  pass: number;
}

export interface UnfixedFinding {
  ruleId: string;
  message: string;
  file: string;
  line: number;
  column: number;
  resource: string;
  /** Why it was not fixed ("not fixable automatically: ..."). */
  reason: string;
  /** "unfixable": no sound fix; "failed": a fix failed verification; "skipped": not asked for (unsafe, kept, other rule). */
  status: "unfixable" | "failed" | "skipped";
}

export interface FileResult {
  file: string;
  before: string;
  after: string;
  fixes: AppliedFix[];
}

export interface FixOutcome {
  /** Files whose text changed. */
  files: FileResult[];
  applied: AppliedFix[];
  unfixed: UnfixedFinding[];
  passes: number;
  findingsBefore: number;
  findingsAfter: number;
}

const refText = (f: Pick<Finding, "resource">) =>
  f.resource
    ? `${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ""}${f.resource.name}`
    : "";

/** Identity of a finding across edits (its line and path move; rule, object, container and message do not). */
function findingKey(f: Finding, r?: Resource): string {
  const where = r ? `${r.file}\0${String(r.docIndex)}\0${String(r.listIndex ?? "")}` : f.file;
  return `${f.ruleId}\0${where}\0${refText(f)}\0${f.container ?? ""}\0${f.message}`;
}

interface Scan {
  resources: Resource[];
  /** Active (unsuppressed) findings with the resource each is about. */
  findings: { f: Finding; r: Resource | undefined }[];
  /** The same findings by resource. */
  byResource: Map<Resource, Finding[]>;
}

/** Fix the given texts. Only files in `texts` are read or changed. */
export function fixTexts(texts: ReadonlyMap<string, string>, options: FixOptions): FixOutcome {
  const initialParsed = new Map([...texts].map(([file, text]) => [file, parseYaml(text, file)]));
  const initial = scanParsed(initialParsed, options);
  // A fix that passed its own checks can still bring a finding of a cross-object rule (a pod
  // that leaves the host network becomes subject to NetworkPolicies). The fixes on that object
  // are then excluded and the run starts again from the original text (at most 3 times).
  const excluded = new Map<string, UnfixedFinding>();
  let run = attempt(texts, initialParsed, initial, options, excluded);
  for (let i = 0; i < 3 && run.broken.size > 0; i++) {
    for (const [key, u] of run.broken) excluded.set(key, u);
    run = attempt(texts, initialParsed, initial, options, excluded);
  }
  const unfixed = run.unfixed;
  for (const [key, u] of excluded) unfixed.set(key, u);
  let scan = run.scan;
  if (run.broken.size > 0) {
    // Still not clean: put those files back as they were.
    const parsed = new Map(run.parsed);
    for (const [key, u] of run.broken) {
      unfixed.set(key, u);
      run.current.set(u.file, texts.get(u.file) ?? "");
      parsed.set(u.file, initialParsed.get(u.file) ?? parseYaml("", u.file));
      run.byFile.delete(u.file);
    }
    scan = scanParsed(parsed, options);
  }
  const files: FileResult[] = [];
  for (const [file, fixes] of run.byFile) {
    const b = texts.get(file) ?? "";
    const a = run.current.get(file) ?? "";
    if (a !== b) files.push({ file, before: b, after: a, fixes });
  }
  return {
    files,
    applied: files.flatMap((f) => f.fixes),
    unfixed: [...unfixed.values()],
    passes: run.passes,
    findingsBefore: initial.findings.length,
    findingsAfter: scan.findings.length,
  };
}

interface Attempt {
  current: Map<string, string>;
  parsed: Map<string, ReturnType<typeof parseYaml>>;
  byFile: Map<string, AppliedFix[]>;
  unfixed: Map<string, UnfixedFinding>;
  scan: Scan;
  passes: number;
  /** Fixes (by finding key) on objects that gained a finding, with the reason. */
  broken: Map<string, UnfixedFinding>;
}

function attempt(
  texts: ReadonlyMap<string, string>,
  initialParsed: ReadonlyMap<string, ReturnType<typeof parseYaml>>,
  initial: Scan,
  options: FixOptions,
  excluded: ReadonlyMap<string, UnfixedFinding>,
): Attempt {
  const current = new Map(texts);
  const parsed = new Map(initialParsed);
  let scan = initial;
  const byFile = new Map<string, AppliedFix[]>();
  const appliedOn = new Map<string, { key: string; f: Finding; r: Resource }[]>();
  const unfixed = new Map<string, UnfixedFinding>();
  const failed = new Set<string>(excluded.keys());
  const maxPasses = options.maxPasses ?? 10;
  let pass = 0;

  for (const { f, r } of initial.findings) {
    const reason = skipReason(f, options);
    if (reason !== undefined) unfixed.set(findingKey(f, r), unfixedOf(f, reason[1], reason[0]));
  }

  while (pass < maxPasses) {
    const candidates = scan.findings.filter(
      ({ f, r }) =>
        r !== undefined &&
        f.fix !== undefined &&
        skipReason(f, options) === undefined &&
        !failed.has(findingKey(f, r)),
    );
    if (candidates.length === 0) break;
    pass++;
    const perFile = groupBy(candidates, ({ r }) => (r as Resource).file);
    let changed = 0;
    for (const [file, list] of perFile) {
      const text = current.get(file);
      if (text === undefined) continue;
      const result = fixFile(text, file, list as Candidate[], scan, options);
      for (const { f, r, reason } of result.failed) {
        failed.add(findingKey(f, r));
        unfixed.set(findingKey(f, r), unfixedOf(f, `not fixable automatically: ${reason}`, "failed"));
      }
      if (result.applied.length === 0) continue;
      current.set(file, result.text);
      parsed.set(file, parseYaml(result.text, file));
      changed++;
      for (const { f, r } of result.applied) {
        const a = appliedOf(f, pass);
        byFile.set(file, [...(byFile.get(file) ?? []), a]);
        const objectKey = objectKeyOf(r);
        appliedOn.set(objectKey, [...(appliedOn.get(objectKey) ?? []), { key: findingKey(f, r), f, r }]);
        unfixed.delete(findingKey(f, r));
      }
    }
    if (changed === 0) break;
    scan = scanParsed(parsed, options);
  }

  // Whole-scan check (cross-object rules included) against the original findings.
  const before = countKeys(initial.findings);
  const after = countKeys(scan.findings);
  const broken = new Map<string, UnfixedFinding>();
  for (const { f, r } of scan.findings) {
    const k = objectRuleKey(f, r);
    if ((after.get(k) ?? 0) <= (before.get(k) ?? 0)) continue;
    const onObject = r === undefined ? [] : (appliedOn.get(objectKeyOf(r)) ?? []);
    const suspects = onObject.length > 0 ? onObject : [...appliedOn.values()].flat();
    const why = `not fixable automatically: with it the scan gains a finding (${f.ruleId}: ${f.message})`;
    const guilty = r === undefined ? [] : suspects.filter((a) => aloneAdds(a.f, a.r, k, initial, options));
    for (const a of guilty.length > 0 ? guilty : suspects) broken.set(a.key, unfixedOf(a.f, why, "failed"));
  }
  return { current, parsed, byFile, unfixed, scan, passes: pass, broken };
}

/** True when fix `f` alone, applied to the original object, brings the finding counted by `key`. */
function aloneAdds(f: Finding, r: Resource, key: string, initial: Scan, options: FixOptions): boolean {
  const original = initial.resources.find((x) => objectKeyOf(x) === objectKeyOf(r));
  if (original === undefined || f.fix === undefined) return false;
  const changed = applyOps(original.object, f.fix.ops);
  if ("error" in changed || !isRecord(changed.value)) return false;
  const replaced: Resource = { ...original, object: changed.value };
  const resources = initial.resources.map((x) => (x === original ? replaced : x));
  const result = runRules(resources, engineOptions(options, options.rules));
  const index = indexResources(resources);
  const findings = result.findings
    .filter((x) => x.suppressed === undefined)
    .map((x) => ({ f: x, r: resourceOf(x, index) }));
  return (countKeys(findings).get(key) ?? 0) > (countKeys(initial.findings).get(key) ?? 0);
}

function unfixedOf(f: Finding, reason: string, status: UnfixedFinding["status"]): UnfixedFinding {
  return {
    ruleId: f.ruleId,
    message: f.message,
    // The fixer scans files only: its findings always have a file position.
    file: f.file ?? "",
    line: f.line ?? 0,
    column: f.column ?? 0,
    resource: refText(f),
    reason,
    status,
  };
}

function appliedOf(f: Finding, pass: number): AppliedFix {
  const fix = f.fix as Fix;
  const a: AppliedFix = {
    ruleId: f.ruleId,
    kind: fix.kind,
    description: fix.description,
    message: f.message,
    // The fixer scans files only: its findings always have a file position.
    file: f.file ?? "",
    line: f.line ?? 0,
    column: f.column ?? 0,
    resource: refText(f),
    paths: fix.ops.map((o) => pathText(o.path)),
    pass,
  };
  if (f.container !== undefined) a.container = f.container;
  return a;
}

/** Why a finding is not a candidate: [status, reason], or undefined when it is one. */
function skipReason(f: Finding, options: FixOptions): [UnfixedFinding["status"], string] | undefined {
  if (options.only !== undefined && !options.only.has(f.ruleId)) return ["skipped", "not selected (--rule)"];
  if (f.fix === undefined) {
    if (f.noFix !== undefined) return ["unfixable", `not fixable automatically: ${f.noFix}`];
    return ["unfixable", "not fixable automatically: the rule has no automatic fix"];
  }
  if (f.fix.kind === "unsafe" && options.unsafe !== true) {
    return ["skipped", "the fix is unsafe (it can change how the app runs); pass --unsafe to apply it"];
  }
  const kept = keptBy(f, options.keep ?? []);
  if (kept !== undefined) return ["skipped", `kept: ${kept} (--keep / fix.keep)`];
  return undefined;
}

/** The keep entry (as text) that covers one of the fix's paths, if any. */
function keptBy(f: Finding, keep: readonly Keep[]): string | undefined {
  if (f.fix === undefined) return undefined;
  for (const k of keep) {
    if (k.container !== "*" && k.container !== f.container) continue;
    const field = k.field.split(".");
    for (const op of f.fix.ops) {
      const rel = relativeField(op.path);
      if (rel !== undefined && isUnder(rel, field)) return `${k.container}:${k.field}`;
    }
  }
  return undefined;
}

/** An op path relative to its container (after `containers[i]`) or pod spec. */
function relativeField(path: Path): Path | undefined {
  for (let i = path.length - 2; i >= 0; i--) {
    const k = path[i];
    if (
      (k === "containers" || k === "initContainers" || k === "ephemeralContainers") &&
      typeof path[i + 1] === "number"
    ) {
      return path.slice(i + 2);
    }
  }
  const spec = path.lastIndexOf("spec");
  return spec === -1 ? undefined : path.slice(spec + 1);
}

function scanParsed(parsed: ReadonlyMap<string, ReturnType<typeof parseYaml>>, options: FixOptions): Scan {
  const resources = [...parsed.values()].flatMap((p) => p.resources);
  const result = runRules(resources, engineOptions(options, options.rules));
  const index = indexResources(resources);
  const findings = result.findings
    .filter((f) => f.suppressed === undefined)
    .map((f) => ({ f, r: resourceOf(f, index) }));
  const byResource = new Map<Resource, Finding[]>();
  for (const { f, r } of findings) {
    if (r === undefined) continue;
    const list = byResource.get(r);
    if (list === undefined) byResource.set(r, [f]);
    else list.push(f);
  }
  return { resources, findings, byResource };
}

const identity = (file: string, kind: string, namespace: string | undefined, name: string) =>
  `${file}\0${kind}\0${namespace ?? ""}\0${name}`;

function indexResources(resources: readonly Resource[]): Map<string, Resource[]> {
  return groupBy(resources, (r) => identity(r.file, r.ref.kind, r.ref.namespace, r.ref.name));
}

function engineOptions(options: FixOptions, rules: readonly AnyRule[]) {
  return {
    rules,
    config: options.config,
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.noExemptions !== undefined ? { noExemptions: options.noExemptions } : {}),
  };
}

/** The resource a finding is about: same file and object identity, the one whose source holds its line. */
function resourceOf(f: Finding, index: ReadonlyMap<string, Resource[]>): Resource | undefined {
  if (f.resource === undefined || f.source === "cluster") return undefined;
  const same = index.get(identity(f.file, f.resource.kind, f.resource.namespace, f.resource.name)) ?? [];
  if (same.length <= 1) return same[0];
  return same.find((r) => {
    const { loc } = r.source.locate([]);
    return loc.line <= f.line && (loc.endLine ?? Infinity) >= f.line;
  });
}

/** Counts by rule, object and container (a finding whose message changed is not new). */
function countKeys(findings: Scan["findings"]): Map<string, number> {
  const m = new Map<string, number>();
  for (const { f, r } of findings) m.set(objectRuleKey(f, r), (m.get(objectRuleKey(f, r)) ?? 0) + 1);
  return m;
}

function objectRuleKey(f: Finding, r: Resource | undefined): string {
  return `${f.ruleId}\0${r ? objectKeyOf(r) : f.file}\0${refText(f)}\0${f.container ?? ""}`;
}

function objectKeyOf(r: Resource): string {
  return `${r.file}\0${String(r.docIndex)}\0${String(r.listIndex ?? "")}`;
}

function groupBy<T, K>(list: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = m.get(k);
    if (l === undefined) m.set(k, [t]);
    else l.push(t);
  }
  return m;
}

interface Candidate {
  f: Finding;
  r: Resource;
}

/** One pass over one file: edits of verified fixes, applied; failures with reasons. */
function fixFile(
  text: string,
  file: string,
  list: Candidate[],
  scan: Scan,
  options: FixOptions,
): { text: string; applied: Candidate[]; failed: (Candidate & { reason: string })[] } {
  const docs = parseAllDocuments(text);
  const docList = Array.isArray(docs) ? docs : [];
  const failed: (Candidate & { reason: string })[] = [];
  const applied: Candidate[] = [];
  const edits: TextEdit[] = [];
  const json = file.toLowerCase().endsWith(".json");
  for (const group of groupBy(list, ({ r }) => r).values()) {
    const r = (group[0] as Candidate).r;
    const doc = docList[r.docIndex];
    if (doc === undefined) continue;
    const slice = docSlice(text, doc);
    if (slice === undefined) continue;
    // Fixes whose paths nest in one another wait for the next pass.
    const chosen: Candidate[] = [];
    for (const c of group) {
      const paths = (c.f.fix as Fix).ops.map((o) => o.path);
      const clash = chosen.some((o) =>
        (o.f.fix as Fix).ops.some((x) =>
          paths.some((p) => isUnder(p, x.path) || isUnder(x.path, p) || siblingItems(p, x.path)),
        ),
      );
      if (!clash) chosen.push(c);
    }
    // Fast path: all chosen fixes of the object as one edit, verified once.
    if (chosen.length > 1) {
      const all: Fix = { kind: "unsafe", description: "", ops: chosen.flatMap((c) => (c.f.fix as Fix).ops) };
      const e = fixEdit(slice.text, r.listIndex, all, json);
      if (
        !("error" in e) &&
        e.edit !== undefined &&
        verify(slice.text, r, chosen, [e.edit], scan, options) === undefined
      ) {
        edits.push({
          range: [e.edit.range[0] + slice.base, e.edit.range[1] + slice.base],
          text: e.edit.text,
        });
        applied.push(...chosen);
        continue;
      }
    }
    const tagged: { edit: TextEdit; tag: Candidate }[] = [];
    for (const c of chosen) {
      const e = fixEdit(slice.text, r.listIndex, c.f.fix as Fix, json);
      if ("error" in e) failed.push({ ...c, reason: e.error });
      else if (e.edit !== undefined) tagged.push({ edit: e.edit, tag: c });
      else
        failed.push({
          ...c,
          reason: "the fix changes nothing in the source (the value may come from an alias or merge key)",
        });
    }
    let { accepted } = mergeEdits(slice.text, tagged);
    const verdict = verify(
      slice.text,
      r,
      accepted.map((a) => a.tag),
      accepted.map((a) => a.edit),
      scan,
      options,
    );
    if (verdict !== undefined && accepted.length > 1) {
      // Find the culprit: verify each fix alone; keep the first good one this pass.
      const good: typeof accepted = [];
      for (const a of accepted) {
        const v = verify(slice.text, r, [a.tag], [a.edit], scan, options);
        if (v === undefined) good.push(a);
        else failed.push({ ...a.tag, reason: v });
      }
      accepted = good.slice(0, 1);
    } else if (verdict !== undefined) {
      for (const a of accepted) failed.push({ ...a.tag, reason: verdict });
      accepted = [];
    }
    for (const a of accepted) {
      edits.push({ range: [a.edit.range[0] + slice.base, a.edit.range[1] + slice.base], text: a.edit.text });
      applied.push(a.tag);
    }
  }
  return { text: applyEdits(text, edits), applied, failed };
}

/** A document's text with whatever precedes its content on the first line blanked, and its offset. */
function docSlice(text: string, doc: Document.Parsed): { text: string; base: number } | undefined {
  const start = doc.contents?.range[0];
  if (start === undefined) return undefined;
  const ls = text.lastIndexOf("\n", start - 1) + 1;
  return { text: " ".repeat(start - ls) + text.slice(start, doc.range[2]), base: ls };
}

function rootOf(doc: Document.Parsed, listIndex: number | undefined): Node | undefined {
  const root = doc.contents;
  if (root === null) return undefined;
  if (listIndex === undefined) return root;
  const items = isMap(root) ? root.get("items", true) : undefined;
  return isSeq(items) ? ((items.items[listIndex] as Node | undefined) ?? undefined) : undefined;
}

/** One fix as a single edit on the document text: its ops applied in order (re-parsing between them). */
function fixEdit(
  text: string,
  listIndex: number | undefined,
  fix: Fix,
  json: boolean,
): { edit: TextEdit | undefined } | { error: string } {
  let cur = text;
  for (const op of fix.ops) {
    const doc = parseDocument(cur);
    const root = rootOf(doc, listIndex);
    if (root === undefined || doc.errors.length > 0) return { error: "the document cannot be re-read" };
    const r = opEdit(cur, root, op, json);
    if ("error" in r) return r;
    if (r.edit !== undefined) cur = applyEdits(cur, [r.edit]);
    if (fix.ops.length === 1) return r;
  }
  if (cur === text) return { edit: undefined };
  // Several ops: one edit covering the changed lines.
  let s = 0;
  while (s < text.length && s < cur.length && text[s] === cur[s]) s++;
  let e = 0;
  while (e < text.length - s && e < cur.length - s && text[text.length - 1 - e] === cur[cur.length - 1 - e])
    e++;
  s = text.lastIndexOf("\n", s - 1) + 1;
  const nl = text.indexOf("\n", text.length - e);
  const endOld = e === 0 || nl === -1 ? text.length : Math.min(nl + 1, text.length);
  const tail = text.length - endOld;
  return { edit: { range: [s, endOld], text: cur.slice(s, cur.length - tail) } };
}

/** Undefined when the edits on `text` (one document) do exactly what the fixes declare and no harm; else why not. */
function verify(
  text: string,
  r: Resource,
  fixes: readonly Candidate[],
  edits: readonly TextEdit[],
  scan: Scan,
  options: FixOptions,
): string | undefined {
  const after = applyEdits(text, edits);
  const doc = parseDocument(after, { uniqueKeys: true });
  if (doc.errors.length > 0)
    return `the fixed text does not parse (${doc.errors[0]?.message.split("\n")[0] ?? ""})`;
  const root = rootOf(doc, r.listIndex);
  if (root === undefined) return "the fixed document lost its object";
  let obj: unknown;
  try {
    obj = root.toJS(doc, { maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    return `the fixed text cannot be read (${(err as Error).message})`;
  }
  if (!isRecord(obj)) return "the fixed document is not an object";
  const expected = applyOps(
    r.object,
    fixes.flatMap((c) => (c.f.fix as Fix).ops),
  );
  if ("error" in expected) return `its operations do not apply: ${expected.error}`;
  if (!deepEqual(obj, expected.value)) {
    const declared = fixes.flatMap((c) => (c.f.fix as Fix).ops.map((o) => o.path));
    const outside = changedPaths(r.object, obj).filter((p) => !declared.some((d) => isUnder(p, d)));
    return outside.length > 0
      ? `the edit changed ${outside.map(pathText).join(", ")}, outside the fix's paths`
      : "the edited text does not read back as the intended value";
  }
  const fixed: Resource = { ...r, object: obj };
  const problems = validateResource(fixed);
  if (problems.length > 0) {
    const p = problems[0];
    return `the fixed object no longer validates (${p ? pathText(p.path) : ""})`;
  }
  // Re-check the object with every single-object rule (cross-object ones run over the whole scan at the end).
  const objectRules = options.rules.filter((rule) => rule.meta.scope !== "cluster");
  const objectIds = new Set(objectRules.map((rule) => rule.meta.id));
  const result = runRules([fixed], {
    ...engineOptions(options, objectRules),
    context: scan.resources.map((x) => (x === r ? fixed : x)),
  });
  const before = new Map<string, number>();
  const beforeRule = new Map<string, number>();
  for (const f of scan.byResource.get(r) ?? []) {
    if (!objectIds.has(f.ruleId)) continue;
    before.set(shortKey(f), (before.get(shortKey(f)) ?? 0) + 1);
    beforeRule.set(ruleKey(f), (beforeRule.get(ruleKey(f)) ?? 0) + 1);
  }
  const now = new Map<string, number>();
  const nowRule = new Map<string, number>();
  const active = result.findings.filter((f) => f.suppressed === undefined);
  for (const f of active) {
    now.set(shortKey(f), (now.get(shortKey(f)) ?? 0) + 1);
    nowRule.set(ruleKey(f), (nowRule.get(ruleKey(f)) ?? 0) + 1);
  }
  // A finding of the same rule on the same container that changes its message (nothing dropped
  // -> some dropped) is the same problem, not a new one.
  for (const f of active) {
    const k = ruleKey(f);
    if ((nowRule.get(k) ?? 0) > (beforeRule.get(k) ?? 0))
      return `it would add a finding (${f.ruleId}: ${f.message})`;
  }
  for (const c of fixes) {
    const k = shortKey(c.f);
    const need = (before.get(k) ?? 0) - fixes.filter((o) => shortKey(o.f) === k).length;
    if ((now.get(k) ?? 0) > need) return `the finding remains after the edit`;
  }
  return undefined;
}

function ruleKey(f: Finding): string {
  return `${f.ruleId}\0${f.container ?? ""}`;
}

function shortKey(f: Finding): string {
  return `${f.ruleId}\0${f.container ?? ""}\0${f.message}`;
}

/** Two items of one list: removing one shifts the other's index, so they go in separate passes. */
function siblingItems(a: Path, b: Path): boolean {
  return (
    a.length === b.length &&
    typeof a[a.length - 1] === "number" &&
    typeof b[b.length - 1] === "number" &&
    isUnder(a.slice(0, -1), b.slice(0, -1)) &&
    isUnder(b.slice(0, -1), a.slice(0, -1))
  );
}

// For the Helm and Kustomize fixers (src/fix/chart.ts, src/fix/kustomize.ts).
export { refText, unfixedOf, appliedOf, skipReason, indexResources, resourceOf, engineOptions };
