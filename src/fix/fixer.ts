// The fix driver: findings with fixes → verified text edits, in bounded passes. Pure (no I/O):
// the caller reads and writes files. Every applied fix was checked: the text still parses, the
// object equals the original with exactly the fix's operations applied (nothing else changed),
// it still validates, its finding is gone and no other finding appeared.
import { isMap, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from "yaml";
import type { Config } from "../core/config.js";
import { runRules } from "../core/engine.js";
import { compareFindings } from "../core/findings.js";
import type { AnyRule } from "../core/rule.js";
import { expiredSuppression, internalError, invalidObject } from "../core/builtin.js";
import type { AnnotationSuppression } from "../core/suppress.js";
import type {
  Finding,
  Fix,
  KObject,
  Path,
  PathOp,
  Resource,
  SourceLocator,
  TextEdit,
} from "../core/types.js";
import { validateResource, type ShapeProblem } from "../core/validate.js";
import { isRecord } from "../core/workloads.js";
import { parseYaml, withPlainEnv } from "../inputs/yaml.js";
import { opEdit } from "./edits.js";
import { applyEdits, mergeEdits, nestInserts } from "./merge.js";
import { applyOps, changedPaths, deepEqual, isUnder, pathText, valueAt } from "./ops.js";
import { isTree, seesSame, watch, type Watch } from "./watch.js";

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
  /**
   * The cross-object rules' findings of a re-scan, with the resources and date they were run on,
   * when no rule crashed in that run (see finalScan).
   */
  cross?: { resources: readonly Resource[]; today: string; findings: Scan["findings"] };
}

/** Fix the given texts. Only files in `texts` are read or changed. */
export function fixTexts(
  texts: ReadonlyMap<string, string>,
  options: FixOptions,
  /** The texts' resources as the caller already parsed them (parseYaml), by file: not parsed again. */
  resources?: readonly Resource[],
): FixOutcome {
  // The fixer parses edited documents hundreds of times (parseDocument outside parseYaml's own
  // guard): with a plain process.env the `yaml` parser's per-token debug switch costs nothing.
  return withPlainEnv(() => fixTextsWith(texts, options, resources));
}

function fixTextsWith(
  texts: ReadonlyMap<string, string>,
  options: FixOptions,
  resources?: readonly Resource[],
): FixOutcome {
  const initialParsed = new Map<string, ReturnType<typeof parseYaml>>();
  if (resources !== undefined) {
    for (const file of texts.keys()) initialParsed.set(file, { resources: [], findings: [], skipped: 0 });
    for (const r of resources) initialParsed.get(r.file)?.resources.push(r);
  } else {
    for (const [file, text] of texts) initialParsed.set(file, parseYaml(text, file));
  }
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
    // Every file's edits are planned and checked first; then all edited objects are re-checked by
    // the single-object rules in one engine run (objects that fail it are verified fix by fix).
    const plans: FilePlan[] = [];
    for (const [file, list] of perFile) {
      const text = current.get(file);
      if (text !== undefined) plans.push(planFile(text, file, list as Candidate[]));
    }
    const changedFiles = new Set<string>();
    const passStart = new Map<string, { text: string; parsed: ReturnType<typeof parseYaml> }>();
    const thisPass: { key: string; f: Finding; r: Resource }[] = [];
    for (const result of settlePlans(plans, scan, options)) {
      const file = result.file;
      for (const { f, r, reason } of result.failed) {
        failed.add(findingKey(f, r));
        unfixed.set(findingKey(f, r), unfixedOf(f, `not fixable automatically: ${reason}`, "failed"));
      }
      if (result.applied.length === 0) continue;
      const was = parsed.get(file);
      if (was !== undefined) passStart.set(file, { text: current.get(file) ?? "", parsed: was });
      current.set(file, result.text);
      parsed.set(
        file,
        (was && reparseEdited(was, result.text, file, result.edited)) ?? parseYaml(result.text, file),
      );
      changedFiles.add(file);
      for (const { f, r } of result.applied) {
        thisPass.push({ key: findingKey(f, r), f, r });
        const a = appliedOf(f, pass);
        byFile.set(file, [...(byFile.get(file) ?? []), a]);
        const objectKey = objectKeyOf(r);
        appliedOn.set(objectKey, [...(appliedOn.get(objectKey) ?? []), { key: findingKey(f, r), f, r }]);
        unfixed.delete(findingKey(f, r));
      }
    }
    if (changedFiles.size === 0) break;
    scan = rescan(scan, parsed, changedFiles, options);
    // A cross-object finding that this pass brought: its fixes fail now, their files go back to
    // how the pass found them, and the next pass tries the others again (no restart of the run).
    const grown = crossGrowth(initial, scan, options);
    if (grown.length === 0) continue;
    const reverted = new Set<string>();
    for (const { f, r } of grown) {
      const k = objectRuleKey(f, r);
      const onObject = r === undefined ? [] : thisPass.filter((a) => objectKeyOf(a.r) === objectKeyOf(r));
      const suspects = onObject.length > 0 ? onObject : thisPass;
      const guilty = culprits(suspects, r, k, initial, options);
      const why = `not fixable automatically: with it the scan gains a finding (${f.ruleId}: ${f.message})`;
      for (const a of guilty.length > 0 ? guilty : suspects) {
        failed.add(a.key);
        unfixed.set(a.key, unfixedOf(a.f, why, "failed"));
        reverted.add(a.r.file);
      }
    }
    for (const file of reverted) {
      const start = passStart.get(file);
      if (start === undefined) continue;
      current.set(file, start.text);
      parsed.set(file, start.parsed);
      byFile.set(
        file,
        (byFile.get(file) ?? []).filter((a) => a.pass !== pass),
      );
      for (const a of thisPass) {
        if (a.r.file !== file) continue;
        const ok = objectKeyOf(a.r);
        appliedOn.set(
          ok,
          (appliedOn.get(ok) ?? []).filter((x) => x.key !== a.key),
        );
      }
    }
    scan = rescan(scan, parsed, reverted, options);
  }
  // The passes re-ran single-object rules on the edited files only: one full scan checks everything.
  if (pass > 0) scan = finalScan(scan, parsed, options);

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
    const guilty = culprits(suspects, r, k, initial, options);
    for (const a of guilty.length > 0 ? guilty : suspects) broken.set(a.key, unfixedOf(a.f, why, "failed"));
  }
  return { current, parsed, byFile, unfixed, scan, passes: pass, broken };
}

/** Cross-object findings the scan has more of than the initial scan (by rule, object and container). */
function crossGrowth(initial: Scan, scan: Scan, options: FixOptions): Scan["findings"] {
  const cluster = new Set(options.rules.filter((r) => r.meta.scope === "cluster").map((r) => r.meta.id));
  const before = countKeys(initial.findings.filter(({ f }) => cluster.has(f.ruleId)));
  const now = scan.findings.filter(({ f }) => cluster.has(f.ruleId));
  const after = countKeys(now);
  return now.filter(
    ({ f, r }) => (after.get(objectRuleKey(f, r)) ?? 0) > (before.get(objectRuleKey(f, r)) ?? 0),
  );
}

const initialCounts = new WeakMap<Scan, Map<string, number>>();
/** Per initial scan: its resources indexed for resourceOf, and the answers of aloneAdds so far. */
const initialIndex = new WeakMap<Scan, Map<string, Resource[]>>();
const aloneAnswers = new WeakMap<Scan, Map<string, boolean>>();
const initialByObject = new WeakMap<Scan, Map<string, Resource>>();

/**
 * The suspects that alone bring the finding counted by `key` (on `r`); the callers drop all suspects
 * when none does, so a lone suspect is dropped either way and needs no search.
 */
function culprits<T extends { f: Finding; r: Resource }>(
  suspects: readonly T[],
  r: Resource | undefined,
  key: string,
  initial: Scan,
  options: FixOptions,
): T[] {
  if (r === undefined) return [];
  if (suspects.length === 1) return [...suspects];
  return suspects.filter((a) => aloneAdds(a.f, a.r, key, initial, options));
}

/** True when fix `f` alone, applied to the original object, brings the finding counted by `key`. */
function aloneAdds(f: Finding, r: Resource, key: string, initial: Scan, options: FixOptions): boolean {
  if (f.fix === undefined) return false;
  let answers = aloneAnswers.get(initial);
  if (answers === undefined) {
    answers = new Map();
    aloneAnswers.set(initial, answers);
  }
  const asked = `${objectKeyOf(r)}\0${JSON.stringify(f.fix.ops)}\0${key}`;
  const known = answers.get(asked);
  if (known !== undefined) return known;
  let byObject = initialByObject.get(initial);
  if (byObject === undefined) {
    byObject = new Map();
    for (const x of initial.resources) if (!byObject.has(objectKeyOf(x))) byObject.set(objectKeyOf(x), x);
    initialByObject.set(initial, byObject);
  }
  const original = byObject.get(objectKeyOf(r));
  if (original === undefined) return false;
  const changed = applyOps(original.object, f.fix.ops);
  if ("error" in changed || !isRecord(changed.value)) return false;
  const replaced: Resource = { ...original, object: changed.value };
  // Only the rule whose finding is counted (the key starts with its ID) needs to run.
  const ruleId = key.split("\0", 1)[0] ?? "";
  // The rule's run with the original object watched answers for every fix whose object reads the
  // same wherever that run looked (and validates the same): the run on it would be the same run.
  const watched = watchedRun(original, ruleId, initial, options);
  let counts: Map<string, number>;
  if (
    watched !== undefined &&
    sameProblems(shapeOf(replaced), watched.problems) &&
    seesSame(watched.watch, replaced.object)
  ) {
    counts = watched.counts;
    aloneWork.watched++;
  } else counts = countsWith(original, replaced, ruleId, initial, options).counts;
  let counted = initialCounts.get(initial);
  if (counted === undefined) {
    counted = countKeys(initial.findings);
    initialCounts.set(initial, counted);
  }
  const adds = (counts.get(key) ?? 0) > (counted.get(key) ?? 0);
  answers.set(asked, adds);
  return adds;
}

/** Work of the culprit search (for test/fix/fixer.test.ts): engine runs, and answers a watched run gave. */
const aloneWork = { runs: 0, watched: 0 };

/**
 * The counts (by rule, object and container) of rule `ruleId`'s findings on the initial resources
 * with `original` replaced by `replaced`.
 */
function countsWith(
  original: Resource,
  replaced: Resource,
  ruleId: string,
  initial: Scan,
  options: FixOptions,
): { counts: Map<string, number>; crashed: boolean } {
  aloneWork.runs++;
  const resources = initial.resources.map((x) => (x === original ? replaced : x));
  const rules = options.rules.filter((x) => x.meta.id === ruleId);
  const result = runRules(resources, engineOptions(options, rules.length > 0 ? rules : options.rules));
  // The initial scan's index finds the original for the replaced object (same file and document).
  let index = initialIndex.get(initial);
  if (index === undefined) {
    index = indexResources(initial.resources);
    initialIndex.set(initial, index);
  }
  const findings = result.findings
    .filter((x) => x.suppressed === undefined && x.ruleId === ruleId)
    .map((x) => ({ f: x, r: resourceOf(x, index) }));
  return {
    counts: countKeys(findings),
    crashed: result.findings.some((x) => x.ruleId === internalError.meta.id),
  };
}

interface WatchedRun {
  watch: Watch<KObject>;
  /** The original object's shape problems (the engine was given them, not asked to validate the stand-in). */
  problems: readonly ShapeProblem[];
  counts: Map<string, number>;
}

const watchedRuns = new WeakMap<Scan, Map<string, WatchedRun | undefined>>();

/**
 * Rule `ruleId`'s run on the initial resources with `original`'s object watched (see watch.ts), once
 * per object and rule; undefined when the object is no tree (an alias shares a node), the run went
 * beyond reading it, or a rule crashed in it (a crash may come from the stand-in itself).
 */
function watchedRun(
  original: Resource,
  ruleId: string,
  initial: Scan,
  options: FixOptions,
): WatchedRun | undefined {
  let runs = watchedRuns.get(initial);
  if (runs === undefined) {
    runs = new Map();
    watchedRuns.set(initial, runs);
  }
  const asked = `${objectKeyOf(original)}\0${ruleId}`;
  if (runs.has(asked)) return runs.get(asked);
  let run: WatchedRun | undefined;
  if (isTree(original.object)) {
    const w = watch(original.object);
    const stand: Resource = { ...original, object: w.value };
    const problems = shapeOf(original);
    shapeCache.set(stand, problems);
    const { counts, crashed } = countsWith(original, stand, ruleId, initial, options);
    // What the run saw, as it ended (a stand-in kept somewhere and read later adds nothing to it).
    const seen: Watch<KObject> = { ...w, observations: [...w.observations] };
    if (!crashed && !w.spoiled) run = { watch: seen, problems, counts };
  }
  runs.set(asked, run);
  return run;
}

/** A resource's shape problems, validated once (see shapeCache). */
function shapeOf(r: Resource): readonly ShapeProblem[] {
  let problems = shapeCache.get(r);
  if (problems === undefined) {
    problems = validateResource(r);
    shapeCache.set(r, problems);
  }
  return problems;
}

function sameProblems(a: readonly ShapeProblem[], b: readonly ShapeProblem[]): boolean {
  return a.length === b.length && a.every((p, i) => deepEqual(p, b[i]));
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

/** The findings of a scan grouped by the resource they are on (findings without one are left out). */
function byResourceOf(
  findings: readonly { f: Finding; r: Resource | undefined }[],
): Map<Resource, Finding[]> {
  const byResource = new Map<Resource, Finding[]>();
  for (const { f, r } of findings) {
    if (r === undefined) continue;
    const list = byResource.get(r);
    if (list === undefined) byResource.set(r, [f]);
    else list.push(f);
  }
  return byResource;
}

function scanParsed(parsed: ReadonlyMap<string, ReturnType<typeof parseYaml>>, options: FixOptions): Scan {
  const resources = [...parsed.values()].flatMap((p) => p.resources);
  const result = runRules(resources, engineOptions(options, options.rules));
  const findings = activeOf(result.findings, indexResources(resources));
  return { resources, findings, byResource: byResourceOf(findings) };
}

/** The findings that are not suppressed, each with the resource it is on. */
function activeOf(findings: readonly Finding[], index: ReadonlyMap<string, Resource[]>): Scan["findings"] {
  return findings.filter((f) => f.suppressed === undefined).map((f) => ({ f, r: resourceOf(f, index) }));
}

/**
 * The scan after `changed` files were edited: single-object rules run again on those files' objects
 * only (the others keep their findings), cross-object rules on everything.
 */
function rescan(
  prev: Scan,
  parsed: ReadonlyMap<string, ReturnType<typeof parseYaml>>,
  changed: ReadonlySet<string>,
  options: FixOptions,
): Scan {
  const resources = [...parsed.values()].flatMap((p) => p.resources);
  const { objectRules } = objectRulesOf(options.rules);
  const clusterRules = options.rules.filter((rule) => rule.meta.scope === "cluster");
  const clusterIds = new Set(clusterRules.map((rule) => rule.meta.id));
  const edited = resources.filter((r) => changed.has(r.file));
  const own = runRules(edited, {
    ...engineOptions(options, objectRules),
    context: resources,
    knownRules: options.rules,
  }).findings;
  // The date the engine would take, taken here: the final scan may reuse this run on the same date.
  const today = todayOf(options);
  const crossRun =
    clusterRules.length === 0
      ? []
      : runRules(resources, { ...engineOptions(options, clusterRules), today }).findings;
  const cross = crossRun.filter((f) => clusterIds.has(f.ruleId));
  const index = indexResources(resources);
  const kept = prev.findings.filter(
    ({ f, r }) => !clusterIds.has(f.ruleId) && !changed.has(r?.file ?? f.file ?? ""),
  );
  const crossFound = activeOf(cross, index);
  const findings = [...kept, ...activeOf(own, index), ...crossFound].sort((a, b) =>
    compareFindings(a.f, b.f),
  );
  const scan: Scan = { resources, findings, byResource: byResourceOf(findings) };
  if (!crossRun.some((f) => f.ruleId === internalError.meta.id))
    scan.cross = { resources, today, findings: crossFound };
  return scan;
}

/** The date the engine takes for "today" (ignore-until). */
function todayOf(options: FixOptions): string {
  return options.today ?? new Date().toISOString().slice(0, 10);
}

/**
 * The full scan after the last pass. When the last re-scan ran the cross-object rules on these very
 * resources (the same objects in the same order) on the same date, and none of them crashed, their
 * findings are what a full scan's would be (rules run apart: each rule's findings depend only on the
 * resources, the date and the config; the engine's own findings, invalid objects and suppression
 * notices, come from the single-object run, which knows every rule ID): only the single-object
 * rules run again. A stable sort puts the findings in the full scan's order: findings that compare
 * equal are of one rule, so of one run, in that run's order.
 */
function finalScan(
  last: Scan,
  parsed: ReadonlyMap<string, ReturnType<typeof parseYaml>>,
  options: FixOptions,
): Scan {
  const resources = [...parsed.values()].flatMap((p) => p.resources);
  const cross = last.cross;
  const today = todayOf(options);
  if (
    cross === undefined ||
    cross.today !== today ||
    cross.resources.length !== resources.length ||
    cross.resources.some((r, i) => r !== resources[i])
  )
    return scanParsed(parsed, options);
  finalWork.reused++;
  const { objectRules } = objectRulesOf(options.rules);
  const result = runRules(resources, {
    ...engineOptions(options, objectRules),
    today,
    knownRules: options.rules,
  });
  const own = activeOf(result.findings, indexResources(resources));
  const findings = [...own, ...cross.findings].sort((a, b) => compareFindings(a.f, b.f));
  return { resources, findings, byResource: byResourceOf(findings) };
}

/** How often the final scan reused the last re-scan's cross-object findings (for test/fix/fixer.test.ts). */
const finalWork = { reused: 0 };

const identity = (file: string, kind: string, namespace: string | undefined, name: string) =>
  `${file}\0${kind}\0${namespace ?? ""}\0${name}`;

function indexResources(resources: readonly Resource[]): Map<string, Resource[]> {
  return groupBy(resources, (r) => identity(r.file, r.ref.kind, r.ref.namespace, r.ref.name));
}

/**
 * Shape problems by resource: the fixer runs the engine many times over mostly the same resources
 * (never changed in place: an edit makes a new Resource), so each is validated once.
 */
const shapeCache = new WeakMap<Resource, readonly ShapeProblem[]>();

/** Suppression annotations by resource, per "today" (see EngineOptions.suppressionCache). */
const suppressionCache = new Map<string, WeakMap<Resource, AnnotationSuppression[]>>();

function engineOptions(options: FixOptions, rules: readonly AnyRule[]) {
  return {
    rules,
    config: options.config,
    shapeCache,
    suppressionCache,
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

/** One object's edits for one pass, checked for shape (parse, exact change, validation). */
interface ObjectPlan {
  r: Resource;
  /** Document text slice and its offset in the file. */
  slice: { text: string; base: number };
  fixes: Candidate[];
  /** Edits on the slice. */
  edits: TextEdit[];
  /** The object after the edits. */
  fixed: Resource;
  /** The edited slice as parseYaml reads it (the object's resource in the next pass), if read so. */
  read?: Resource;
  /** The individual fixes' edits, for the fix-by-fix fallback when the batch fails its rule check. */
  single: { edit: TextEdit; tag: Candidate }[];
  /** The file is JSON (edits write JSON syntax). */
  json: boolean;
}

interface FilePlan {
  file: string;
  text: string;
  objects: ObjectPlan[];
  failed: (Candidate & { reason: string })[];
}

interface FileFixed {
  file: string;
  text: string;
  applied: Candidate[];
  failed: (Candidate & { reason: string })[];
  /** The edited objects' document slices before and after (for re-parsing those documents only). */
  edited: EditedSlice[];
}

/** One edited object: its document slice (from the object's first line) before and after the edits. */
interface EditedSlice {
  r: Resource;
  /** Offset of the slice in the file before the pass's edits. */
  base: number;
  before: string;
  after: string;
  /** `after` as parseYaml reads it, when the verification read it so. */
  read?: Resource;
}

/** One pass over one file: each object's non-overlapping fixes as edits, checked for shape. */
function planFile(text: string, file: string, list: Candidate[]): FilePlan {
  const plan: FilePlan = { file, text, objects: [], failed: [] };
  const json = file.toLowerCase().endsWith(".json");
  const starts = lineStarts(text);
  // The file's documents are parsed again only for an item of a `kind: List` (whose locator
  // knows the item, not the document).
  let docList: Document.Parsed[] | undefined;
  for (const group of groupBy(list, ({ r }) => r).values()) {
    const r = (group[0] as Candidate).r;
    let slice: { text: string; base: number } | undefined;
    if (r.listIndex === undefined) slice = objectSlice(text, starts, r);
    else {
      docList ??= parseAllDocuments(text) as Document.Parsed[];
      const doc = docList[r.docIndex];
      slice = doc === undefined ? undefined : docSlice(text, doc);
    }
    if (slice === undefined) continue;
    // Fixes whose paths nest in one another wait for the next pass; so do two items of one list,
    // unless both fixes only remove their item (the edits then leave the other items where they
    // are) and they do not remove every item (the list would read back as null, not []).
    const chosen: Candidate[] = [];
    const removing = new Map<string, number>();
    for (const c of group) {
      const paths = (c.f.fix as Fix).ops.map((o) => o.path);
      const item = removedItem(c.f.fix as Fix);
      const clash = chosen.some((o) =>
        (o.f.fix as Fix).ops.some((x) =>
          paths.some(
            (p) =>
              isUnder(p, x.path) ||
              isUnder(x.path, p) ||
              (siblingItems(p, x.path) && (item === undefined || removedItem(o.f.fix as Fix) === undefined)),
          ),
        ),
      );
      if (clash) continue;
      if (item !== undefined) {
        const list = valueAt(r.object, item.slice(0, -1));
        const key = JSON.stringify(item.slice(0, -1));
        const n = (removing.get(key) ?? 0) + 1;
        if (!Array.isArray(list) || (n > 1 && n >= list.length)) continue;
        removing.set(key, n);
      }
      chosen.push(c);
    }
    // The slice is parsed once: single-operation fixes (most) edit from that parse.
    const parsedSlice = parseDocument(slice.text);
    const tagged: { edit: TextEdit; tag: Candidate }[] = [];
    for (const c of chosen) {
      const e = fixEdit(slice.text, r.listIndex, c.f.fix as Fix, json, parsedSlice);
      if ("error" in e) plan.failed.push({ ...c, reason: e.error });
      else if (e.edit !== undefined) tagged.push({ edit: e.edit, tag: c });
      else
        plan.failed.push({
          ...c,
          reason: "the fix changes nothing in the source (the value may come from an alias or merge key)",
        });
    }
    const { accepted, deferred } = mergeEdits(slice.text, tagged);
    let fixes = accepted.map((a) => a.tag);
    let edits = accepted.map((a) => a.edit);
    if (deferred.length > 0 && tagged.length > 1) {
      // Edits at one spot (two keys added to a missing map): all fixes as one edit, if it checks.
      const e = combinedEdit(
        slice.text,
        r.listIndex,
        json,
        { accepted, deferred },
        new Map(tagged.map((t) => [t.tag, t.edit])),
      );
      if (!("error" in e) && e.edit !== undefined) {
        const fixed = shapeCheck(
          slice.text,
          r,
          tagged.map((t) => t.tag),
          [e.edit],
        );
        if ("fixed" in fixed) {
          plan.objects.push({
            r,
            slice,
            fixes: tagged.map((t) => t.tag),
            edits: [e.edit],
            ...fixed,
            single: tagged,
            json,
          });
          continue;
        }
      }
    }
    if (fixes.length === 0) continue;
    let shaped = shapeCheck(slice.text, r, fixes, edits);
    if (!("fixed" in shaped) && fixes.length > 1) {
      // Find the culprits: check each fix alone; the good ones go together if they still check.
      const good = accepted.filter((a) => {
        const one = shapeCheck(slice.text, r, [a.tag], [a.edit]);
        if (!("fixed" in one)) plan.failed.push({ ...a.tag, reason: one.reason });
        return "fixed" in one;
      });
      fixes = good.map((a) => a.tag);
      edits = good.map((a) => a.edit);
      shaped = fixes.length === 0 ? shaped : shapeCheck(slice.text, r, fixes, edits);
      if (!("fixed" in shaped) && good[0] !== undefined) {
        fixes = [good[0].tag];
        edits = [good[0].edit];
        shaped = shapeCheck(slice.text, r, fixes, edits);
      }
    } else if (!("fixed" in shaped)) {
      for (const c of fixes) plan.failed.push({ ...c, reason: shaped.reason });
      continue;
    }
    if (!("fixed" in shaped)) continue;
    plan.objects.push({ r, slice, fixes, edits, ...shaped, single: accepted, json });
  }
  return plan;
}

/**
 * The single-object rule check of every planned object in one engine run; an object that fails it
 * is verified fix by fix, in rounds (the i-th fix of every such object in one engine run), and its
 * good fixes together in one more run. Returns each file's new text.
 */
function settlePlans(plans: readonly FilePlan[], scan: Scan, options: FixOptions): FileFixed[] {
  const objects = plans.flatMap((p) => p.objects);
  const verdicts = checkObjects(objects, scan, options);
  const chosen = new Map<ObjectPlan, { fixes: Candidate[]; edits: TextEdit[]; read?: Resource }>();
  const failing: ObjectPlan[] = [];
  objects.forEach((o, i) => {
    if (verdicts[i] === undefined) chosen.set(o, { fixes: o.fixes, edits: o.edits, ...readOf(o) });
    else failing.push(o);
  });
  // Fix by fix, each verified on its own; the good ones go together if that verifies too (else the
  // first good one alone this pass, the others wait for the next). A fix alone is rule-checked on
  // the object its operations give, without parsing its text: the text is parsed and read back
  // (shapeCheck) where a verdict rests on it: a fix the rule check refuses (a shape failure is its
  // reason then, as it is first), the good fixes together, and the one chosen when that fails.
  // (The batch of all of them already read back as its operations say in planFile.)
  const singles = failing.map((o) => o.single.filter((a) => o.fixes.includes(a.tag)));
  type Single = { o: ObjectPlan; a: { edit: TextEdit; tag: Candidate }; i: number };
  type Checked = Single & { r: Resource; fixed: Resource; read?: Resource; fixes: Candidate[] };
  const good = new Map<ObjectPlan, Single[]>();
  const failedAt = new Map<ObjectPlan, { i: number; c: Candidate & { reason: string } }[]>();
  const fail = (x: Single, reason: string) => {
    failedAt.set(x.o, [...(failedAt.get(x.o) ?? []), { i: x.i, c: { ...x.a.tag, reason } }]);
  };
  const keepGood = (x: Single) => good.set(x.o, [...(good.get(x.o) ?? []), x]);
  /** The single's object read from its edited text (verified), or undefined after reporting why not. */
  const readBack = (x: Single): Checked | undefined => {
    const shaped = shapeCheck(x.o.slice.text, x.o.r, [x.a.tag], [x.a.edit]);
    if ("fixed" in shaped) return { ...x, r: x.o.r, ...shaped, fixes: [x.a.tag] };
    fail(x, shaped.reason);
    return undefined;
  };
  const refused: Single[] = [];
  const rounds = Math.max(0, ...singles.map((l) => l.length));
  for (let i = 0; i < rounds; i++) {
    const items: Checked[] = [];
    failing.forEach((o, j) => {
      const a = singles[j]?.[i];
      if (a === undefined) return;
      const x = { o, a, i };
      const expected = applyOps(o.r.object, onOriginal((a.tag.f.fix as Fix).ops));
      if ("error" in expected || !isRecord(expected.value)) {
        const read = readBack(x);
        if (read !== undefined) items.push(read);
      } else items.push({ ...x, r: o.r, fixed: { ...o.r, object: expected.value }, fixes: [a.tag] });
    });
    checkObjects(items, scan, options).forEach((v, k) => {
      const x = items[k];
      if (x === undefined) return;
      if (v === undefined) keepGood(x);
      else refused.push(x);
    });
  }
  const recheck: Checked[] = [];
  for (const x of refused) {
    const read = readBack(x);
    if (read !== undefined) recheck.push(read);
  }
  checkObjects(recheck, scan, options).forEach((v, k) => {
    const x = recheck[k];
    if (x === undefined) return;
    if (v === undefined) keepGood(x);
    else fail(x, v);
  });
  for (const list of good.values()) list.sort((a, b) => a.i - b.i);
  const together: {
    o: ObjectPlan;
    r: Resource;
    fixed: Resource;
    read?: Resource;
    fixes: Candidate[];
    edits: TextEdit[];
  }[] = [];
  for (const o of failing) {
    const g = (good.get(o) ?? []).map((x) => x.a);
    const t = g.length > 1 ? togetherEdits(o, g) : undefined;
    if (t === undefined) continue;
    const shaped = shapeCheck(o.slice.text, o.r, t.fixes, t.edits);
    if ("fixed" in shaped) together.push({ o, r: o.r, ...shaped, ...t });
  }
  checkObjects(together, scan, options).forEach((v, k) => {
    const t = together[k];
    if (t !== undefined && v === undefined) chosen.set(t.o, { fixes: t.fixes, edits: t.edits, ...readOf(t) });
  });
  // Else the first good fix whose text reads back and verifies.
  let waiting = failing.filter((o) => !chosen.has(o)).map((o) => [...(good.get(o) ?? [])]);
  while (waiting.length > 0) {
    const items: Checked[] = [];
    for (const list of waiting) {
      const x = list.shift();
      const read = x === undefined ? undefined : readBack(x);
      if (read !== undefined) items.push(read);
    }
    checkObjects(items, scan, options).forEach((v, k) => {
      const x = items[k];
      if (x === undefined) return;
      if (v === undefined) chosen.set(x.o, { fixes: [x.a.tag], edits: [x.a.edit], ...readOf(x) });
      else fail(x, v);
    });
    waiting = waiting.filter((list) => list.length > 0 && !chosen.has((list[0] as Single).o));
  }
  const failed = new Map<ObjectPlan, (Candidate & { reason: string })[]>();
  for (const [o, list] of failedAt)
    failed.set(
      o,
      [...list].sort((a, b) => a.i - b.i).map((x) => x.c),
    );
  return plans.map((plan) => {
    const out: FileFixed = {
      file: plan.file,
      text: plan.text,
      applied: [],
      failed: [...plan.failed],
      edited: [],
    };
    const edits: TextEdit[] = [];
    for (const o of plan.objects) {
      out.failed.push(...(failed.get(o) ?? []));
      const c = chosen.get(o);
      if (c === undefined) continue;
      out.edited.push({
        r: o.r,
        base: o.slice.base,
        before: o.slice.text,
        after: applyEdits(o.slice.text, c.edits),
        ...readOf(c),
      });
      for (const e of c.edits) {
        edits.push({ range: [e.range[0] + o.slice.base, e.range[1] + o.slice.base], text: e.text });
      }
      out.applied.push(...c.fixes);
    }
    out.text = applyEdits(plan.text, edits);
    return out;
  });
}

/** `{ read }` when `x` has it (for spreading into an object with an optional `read`). */
function readOf(x: { read?: Resource }): { read?: Resource } {
  return x.read === undefined ? {} : { read: x.read };
}

/**
 * The single-object rules on each item's fixed object, all in one engine run (each object at most
 * once; the context holds every item's fixed object): undefined for an item whose fixes' findings
 * are gone and nothing was added, else why not.
 */
function checkObjects(
  items: readonly { r: Resource; fixed: Resource; fixes: readonly Candidate[] }[],
  scan: Scan,
  options: FixOptions,
): (string | undefined)[] {
  if (items.length === 0) return [];
  const { objectRules, objectIds } = objectRulesOf(options.rules);
  const replaced = new Map(items.map((o) => [o.r, o.fixed]));
  const context = scan.resources.map((x) => replaced.get(x) ?? x);
  const result = runRules(
    items.map((o) => o.fixed),
    // Every rule ID is known: a suppression that names a cross-object rule is no unknown rule.
    { ...engineOptions(options, objectRules), context, knownRules: options.rules },
  );
  const byFixed = new Map<Resource, Finding[]>();
  const index = indexResources(items.map((o) => o.fixed));
  for (const f of result.findings) {
    if (f.suppressed !== undefined) continue;
    const r = resourceOf(f, index);
    if (r === undefined) continue;
    const list = byFixed.get(r);
    if (list === undefined) byFixed.set(r, [f]);
    else list.push(f);
  }
  return items.map((o) => ruleCheck(o.r, o.fixes, byFixed.get(o.fixed) ?? [], scan, objectIds));
}

/**
 * What the engine itself reports in every run (invalid objects, crashes, notices about suppressions):
 * a check of a fixed object compares them too, with the original object's.
 */
const ENGINE_IDS = new Set([invalidObject, internalError, expiredSuppression].map((r) => r.meta.id));

/** The single-object rules of a rule list and their IDs (once per list: checkObjects runs often). */
const objectRuleSets = new WeakMap<readonly AnyRule[], { objectRules: AnyRule[]; objectIds: Set<string> }>();
function objectRulesOf(rules: readonly AnyRule[]): { objectRules: AnyRule[]; objectIds: Set<string> } {
  let known = objectRuleSets.get(rules);
  if (known === undefined) {
    const objectRules = rules.filter((rule) => rule.meta.scope !== "cluster");
    known = { objectRules, objectIds: new Set(objectRules.map((rule) => rule.meta.id)) };
    objectRuleSets.set(rules, known);
  }
  return known;
}

/** The fixes that each verified alone, as one batch of edits on the object (checked by the caller). */
function togetherEdits(
  o: ObjectPlan,
  good: readonly { edit: TextEdit; tag: Candidate }[],
): { fixes: Candidate[]; edits: TextEdit[] } | undefined {
  const fixes = good.map((a) => a.tag);
  const { accepted, deferred } = mergeEdits(o.slice.text, good);
  if (deferred.length === 0) return { fixes, edits: accepted.map((a) => a.edit) };
  // Edits at one spot: all of them as one edit (as planFile combines them).
  const e = combinedEdit(
    o.slice.text,
    o.r.listIndex,
    o.json,
    { accepted, deferred },
    new Map(good.map((a) => [a.tag, a.edit])),
  );
  if ("error" in e || e.edit === undefined) return undefined;
  return { fixes, edits: [e.edit] };
}

/**
 * The file's resources after a pass edited some of its objects, with only the edited documents
 * parsed again (from their slices): what parseYaml of the whole new text gives (the test in
 * test/fix/fixer.test.ts compares them). The documents after an edited one keep their objects and
 * have their lines moved. Undefined (parse the whole file) for an item of a `kind: List`, a file
 * with directives (`%TAG` changes how its document reads), or a slice that does not read back as
 * exactly one object without parse findings.
 */
function reparseEdited(
  prev: ReturnType<typeof parseYaml>,
  text: string,
  file: string,
  edited: readonly EditedSlice[],
): ReturnType<typeof parseYaml> | undefined {
  if (edited.some((e) => e.r.listIndex !== undefined) || /^%/m.test(text)) return undefined;
  const byResource = new Map(edited.map((e) => [e.r, e]));
  const resources: Resource[] = [];
  // Lines and characters the edits of the documents so far added (or removed).
  let moved = 0;
  let shift = 0;
  let found = 0;
  const inOrder = [...prev.resources].sort((a, b) => a.docIndex - b.docIndex);
  for (const r of inOrder) {
    const e = byResource.get(r);
    if (e === undefined) {
      resources.push(moved === 0 ? r : movedBy(r, moved));
      continue;
    }
    found++;
    // The new text holds the edited slice where the old one was (its blanked first-line prefix aside).
    const blank = e.after.length - e.after.trimStart().length;
    const at = e.base + shift + blank;
    if (text.slice(at, at + e.after.length - blank) !== e.after.slice(blank)) return undefined;
    shift += e.after.length - e.before.length;
    const again =
      e.read === undefined ? parseYaml(e.after, file) : { resources: [e.read], findings: [], skipped: 0 };
    const one = again.resources[0];
    if (again.findings.length > 0 || again.skipped > 0 || again.resources.length !== 1 || one === undefined)
      return undefined;
    // The slice starts at the line of the object's first key: its line 1 is that line of the file.
    const first = r.source.locate([]).loc.line + moved;
    resources.push({ ...r, ...one, docIndex: r.docIndex, source: shiftedSource(one.source, first - 1) });
    moved += lineCount(e.after) - lineCount(e.before);
  }
  if (found !== edited.length) return undefined;
  return { resources, findings: prev.findings, skipped: prev.skipped };
}

/** The resource `lines` lines further down its file (same object: its shape check carries over). */
function movedBy(r: Resource, lines: number): Resource {
  const moved: Resource = { ...r, source: shiftedSource(r.source, lines) };
  const known = shapeCache.get(r);
  if (known !== undefined) shapeCache.set(moved, known);
  return moved;
}

function shiftedSource(source: SourceLocator, lines: number): SourceLocator {
  if (lines === 0) return source;
  const shifted: SourceLocator = {
    locate: (path) => {
      const { loc, exact } = source.locate(path);
      const at = { ...loc, line: loc.line + lines };
      if (loc.endLine !== undefined) at.endLine = loc.endLine + lines;
      return { loc: at, exact };
    },
  };
  if (source.origin !== undefined) {
    const origin = source.origin.bind(source);
    shifted.origin = (path, part) => origin(path, part);
  }
  return shifted;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Offsets where the lines of `text` start. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The text of the document that holds `r` (not an item of a List) from its object's first line
 * (whatever precedes the object on that line blanked) to the next document marker, and its
 * offset: found from the object's source location, without parsing the file again.
 */
function objectSlice(
  text: string,
  starts: readonly number[],
  r: Resource,
): { text: string; base: number } | undefined {
  const { loc } = r.source.locate([]);
  const base = starts[loc.line - 1];
  if (base === undefined) return undefined;
  const start = base + loc.column - 1;
  let end = text.length;
  // After the object only comments and blank lines remain before the next `---` or `...` line.
  for (let l = (loc.endLine ?? loc.line) - 1; l < starts.length; l++) {
    const at = starts[l] as number;
    if (at > start && /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/.test(text.slice(at, at + 4))) {
      end = at;
      break;
    }
  }
  return { text: " ".repeat(start - base) + text.slice(start, end), base };
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
  parsed?: Document.Parsed,
): { edit: TextEdit | undefined } | { error: string } {
  let cur = text;
  for (const [i, op] of fix.ops.entries()) {
    const doc = i === 0 && parsed !== undefined ? parsed : parseDocument(cur);
    const root = rootOf(doc, listIndex);
    if (root === undefined || doc.errors.length > 0) return { error: "the document cannot be re-read" };
    const r = opEdit(cur, root, op, json);
    if ("error" in r) return r;
    if (r.edit !== undefined) cur = applyEdits(cur, [r.edit]);
    if (fix.ops.length === 1) return r;
  }
  return spanEdit(text, cur);
}

/** One edit that turns `text` into `cur`: the changed lines. */
function spanEdit(text: string, cur: string): { edit: TextEdit | undefined } {
  if (cur === text) return { edit: undefined };
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

/**
 * Several fixes of one object as one edit: in rounds, each round's non-overlapping edits applied
 * together (one parse per round; edits that touch wait for the next round). The first round is
 * given: the fixes' edits on `text` as mergeEdits split them (made from the parse the caller has).
 */
function combinedEdit(
  text: string,
  listIndex: number | undefined,
  json: boolean,
  first: { accepted: readonly { edit: TextEdit }[]; deferred: readonly Candidate[] },
  /** The deferred fixes' edits on `text`. */
  edits: ReadonlyMap<Candidate, TextEdit>,
): { edit: TextEdit | undefined } | { error: string } {
  if (first.accepted.length === 0) return { error: "the fixes' edits overlap" };
  const accepted = first.accepted.map((a) => a.edit);
  // Single-operation fixes that add keys below a mapping an accepted edit adds: nested into that
  // edit's lines where the next round would put them (no parse of the text in between).
  const later = first.deferred.map((c) => edits.get(c));
  const nested =
    !json &&
    first.deferred.every((c) => {
      const ops = (c.f.fix as Fix).ops;
      return ops.length === 1 && ops[0]?.op !== "remove";
    })
      ? nestInserts(
          text,
          accepted,
          later.filter((e) => e !== undefined),
        )
      : undefined;
  if (nested !== undefined && later.every((e) => e !== undefined))
    return spanEdit(text, applyEdits(text, nested));
  let cur = applyEdits(text, accepted);
  let pending = [...first.deferred];
  for (let round = 1; pending.length > 0 && round < 10; round++) {
    const doc = parseDocument(cur);
    const tagged: { edit: TextEdit; tag: Candidate }[] = [];
    for (const c of pending) {
      const e = fixEdit(cur, listIndex, c.f.fix as Fix, json, doc);
      if ("error" in e) return e;
      if (e.edit !== undefined) tagged.push({ edit: e.edit, tag: c });
    }
    if (tagged.length === 0) break;
    const { accepted, deferred } = mergeEdits(cur, tagged);
    if (accepted.length === 0) return { error: "the fixes' edits overlap" };
    cur = applyEdits(
      cur,
      accepted.map((a) => a.edit),
    );
    pending = deferred;
  }
  if (pending.length > 0) return { error: "the fixes' edits overlap" };
  return spanEdit(text, cur);
}

/** An object after its edits, and how parseYaml reads the edited slice (when it was read so). */
interface Shaped {
  fixed: Resource;
  read?: Resource;
}

/**
 * The edited object, when the edits on `text` parse, change the object exactly as the fixes'
 * operations say (nothing outside their paths) and it still validates; else why not.
 */
function shapeCheck(
  text: string,
  r: Resource,
  fixes: readonly Candidate[],
  edits: readonly TextEdit[],
): Shaped | { reason: string } {
  const after = applyEdits(text, edits);
  const expected = applyOps(r.object, onOriginal(fixes.flatMap((c) => (c.f.fix as Fix).ops)));
  if ("error" in expected) return { reason: `its operations do not apply: ${expected.error}` };
  if (r.listIndex === undefined) {
    // Read as the scan reads it (r.object was read so); this reading is the object's resource in the
    // next pass. Anything it reports (a repeated key, a parse error) or a different object: the
    // plain reading below gives the verdict and its reason.
    const read = parseYaml(after, r.file);
    const one = read.resources[0];
    if (
      read.findings.length === 0 &&
      read.skipped === 0 &&
      read.resources.length === 1 &&
      one !== undefined &&
      deepEqual(one.object, expected.value)
    ) {
      const fixed: Resource = { ...r, object: one.object };
      const problems = validateResource(fixed);
      if (problems.length === 0) {
        shapeCache.set(fixed, problems);
        return { fixed, read: one };
      }
    }
  }
  const doc = parseDocument(after, { uniqueKeys: true });
  if (doc.errors.length > 0)
    return { reason: `the fixed text does not parse (${doc.errors[0]?.message.split("\n")[0] ?? ""})` };
  const root = rootOf(doc, r.listIndex);
  if (root === undefined) return { reason: "the fixed document lost its object" };
  let obj: unknown;
  try {
    obj = root.toJS(doc, { maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    return { reason: `the fixed text cannot be read (${(err as Error).message})` };
  }
  if (!isRecord(obj)) return { reason: "the fixed document is not an object" };
  if (!deepEqual(obj, expected.value)) {
    const declared = fixes.flatMap((c) => (c.f.fix as Fix).ops.map((o) => o.path));
    const outside = changedPaths(r.object, obj).filter((p) => !declared.some((d) => isUnder(p, d)));
    return {
      reason:
        outside.length > 0
          ? `the edit changed ${outside.map(pathText).join(", ")}, outside the fix's paths`
          : "the edited text does not read back as the intended value",
    };
  }
  const fixed: Resource = { ...r, object: obj };
  const problems = validateResource(fixed);
  if (problems.length > 0) {
    const p = problems[0];
    return { reason: `the fixed object no longer validates (${p ? pathText(p.path) : ""})` };
  }
  // The engine runs that check this object need not validate it again.
  shapeCache.set(fixed, problems);
  return { fixed };
}

/**
 * Undefined when `active` (the single-object rules' findings on the fixed object) holds none of the
 * fixes' findings and nothing the original object did not have; else why not.
 */
function ruleCheck(
  r: Resource,
  fixes: readonly Candidate[],
  active: readonly Finding[],
  scan: Scan,
  objectIds: ReadonlySet<string>,
): string | undefined {
  const { before, beforeRule } = countsBefore(r, scan, objectIds);
  const now = new Map<string, number>();
  const nowRule = new Map<string, number>();
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
  const fixed = new Map<string, number>();
  for (const c of fixes) fixed.set(shortKey(c.f), (fixed.get(shortKey(c.f)) ?? 0) + 1);
  for (const c of fixes) {
    const k = shortKey(c.f);
    const need = (before.get(k) ?? 0) - (fixed.get(k) ?? 0);
    if ((now.get(k) ?? 0) > need) return `the finding remains after the edit`;
  }
  return undefined;
}

/** The single-object rules' findings on `r` in the scan, counted (once per scan and object: each fix of a failing object is checked alone). */
const beforeCounts = new WeakMap<
  Scan,
  WeakMap<Resource, { before: Map<string, number>; beforeRule: Map<string, number> }>
>();
function countsBefore(
  r: Resource,
  scan: Scan,
  objectIds: ReadonlySet<string>,
): { before: Map<string, number>; beforeRule: Map<string, number> } {
  let byResource = beforeCounts.get(scan);
  if (byResource === undefined) beforeCounts.set(scan, (byResource = new WeakMap()));
  let counts = byResource.get(r);
  if (counts === undefined) {
    counts = { before: new Map(), beforeRule: new Map() };
    for (const f of scan.byResource.get(r) ?? []) {
      if (!objectIds.has(f.ruleId) && !ENGINE_IDS.has(f.ruleId)) continue;
      counts.before.set(shortKey(f), (counts.before.get(shortKey(f)) ?? 0) + 1);
      counts.beforeRule.set(ruleKey(f), (counts.beforeRule.get(ruleKey(f)) ?? 0) + 1);
    }
    byResource.set(r, counts);
  }
  return counts;
}

function ruleKey(f: Finding): string {
  return `${f.ruleId}\0${f.container ?? ""}`;
}

function shortKey(f: Finding): string {
  return `${f.ruleId}\0${f.container ?? ""}\0${f.message}`;
}

/** The list item a fix removes, when that is all it does. */
function removedItem(fix: Fix): Path | undefined {
  const [op, more] = fix.ops;
  return more === undefined && op?.op === "remove" && typeof op.path[op.path.length - 1] === "number"
    ? op.path
    : undefined;
}

/**
 * The ops of one pass in an order that applies each to the path it names in the original object,
 * as the text edits (all made on the original text) do: removals of list items last, the highest
 * index first, so that no removal shifts an item another op names.
 */
function onOriginal(ops: readonly PathOp[]): PathOp[] {
  const index = (o: PathOp) =>
    o.op === "remove" && typeof o.path[o.path.length - 1] === "number"
      ? (o.path[o.path.length - 1] as number)
      : -1;
  return [...ops].sort((a, b) => Number(index(a) >= 0) - Number(index(b) >= 0) || index(b) - index(a));
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

/** The slice of `text` a pass edits for `r` (for test/fix/fixer.test.ts). */
function sliceOf(text: string, r: Resource): { text: string; base: number } | undefined {
  return objectSlice(text, lineStarts(text), r);
}

// For test/fix/fixer.test.ts: the re-parse of edited documents is compared with a whole parse.
export { reparseEdited, sliceOf, aloneWork, finalWork };
// For the Helm and Kustomize fixers (src/fix/chart.ts, src/fix/kustomize.ts).
export { refText, unfixedOf, appliedOf, skipReason, indexResources, resourceOf, engineOptions };
