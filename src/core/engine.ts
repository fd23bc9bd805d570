// The engine: one walk over the resources, dispatching to rule visitors through shared walkers,
// then turning reports into located, suppressible findings. Rules are isolated: an exception in
// one becomes an internal-error finding and the others go on.
import { expiredSuppression, internalError, invalidObject } from "./builtin.js";
import type { Config } from "./config.js";
import { formatPath } from "./baseline.js";
import { compareFindings, inputFinding, withLocation, type Located } from "./findings.js";
import { resolveOptions } from "./options.js";
import { formatMessage, type AnyRule, type ReportDescriptor, type RuleVisitor } from "./rule.js";
import {
  annotationSuppressions,
  exemptionFor,
  suppressionFor,
  type AnnotationSuppression,
} from "./suppress.js";
import type { FindingBase, Finding, Path, Resource, Severity } from "./types.js";
import { touchesField, unreadableField, withoutFields } from "./prune.js";
import { validateResource, type ShapeProblem } from "./validate.js";
import { containersOf, podSpecOf } from "./workloads.js";

export interface EngineOptions {
  rules: readonly AnyRule[];
  config: Config;
  /** Ignore every annotation and config exemption (audits). */
  noExemptions?: boolean;
  /** "Today" for ignore-until dates, as YYYY-MM-DD. */
  today?: string;
  /** Overrides the config's `assumeComplete` (see RuleContext.assumeComplete). */
  assumeComplete?: boolean;
  /** The Kubernetes release the scan targets (see RuleContext.kubeVersion). */
  kubeVersion?: string;
  /**
   * What rules see as `context.resources` (LimitRanges, ServiceAccounts, policies), when only some
   * of the scan's resources are checked (the fixer re-checks one edited object in its scan).
   */
  context?: readonly Resource[];
  /** Called every few hundred objects checked, with the number done and the total (progress). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Shape problems of resources already validated, filled as the engine validates (the fixer runs
   * the engine many times over mostly the same, unchanged resources).
   */
  shapeCache?: WeakMap<Resource, readonly ShapeProblem[]>;
  /**
   * Suppression annotations of resources already read, by "today" (they depend on the date only
   * through ignore-until): like shapeCache, for runs over mostly the same, unchanged resources.
   */
  suppressionCache?: Map<string, WeakMap<Resource, AnnotationSuppression[]>>;
  /**
   * The rules a suppression annotation may name (default: `rules`), when `rules` is only part of the
   * scan's rules (the fixer runs the single-object rules and the cross-object ones apart).
   */
  knownRules?: readonly AnyRule[];
  /** Called as each step of the run ends, with its name (tools/bench-phases.ts times them). */
  onPhase?: (phase: EnginePhase) => void;
}

/** The steps of a run, in order: validation, the rules' visitors, their cross-object pass, findings. */
export type EnginePhase = "validate" | "visitors" | "cross-object" | "findings";

export interface EngineResult {
  /** All findings, suppressed ones included (marked with `suppressed`), sorted by location. */
  findings: Finding[];
  /** Resources given to rules (those with invalid fields too, without those fields). */
  checked: number;
}

interface ActiveRule {
  rule: AnyRule;
  /** The rule's ID and aliases (what suppressions and exemptions name). */
  ids: readonly string[];
  severity: Severity;
  visitor: RuleVisitor;
  kinds: ReadonlySet<string> | undefined;
}

export function isRuleEnabled(rule: AnyRule, config: Config): boolean {
  return config.rules[rule.meta.id]?.enabled ?? rule.meta.enabledByDefault ?? true;
}

export function runRules(resources: readonly Resource[], options: EngineOptions): EngineResult {
  const { config } = options;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const assumeComplete = options.assumeComplete ?? config.assumeComplete;
  const findings: Finding[] = [];
  const valid: Resource[] = [];

  // Fields rules must not read, per resource given to them without those fields: findings that
  // touch them are dropped, the rest of the object is still checked.
  const unreadable = new Map<Resource, Path[]>();
  for (const r of resources) {
    let problems = options.shapeCache?.get(r);
    if (problems === undefined) {
      problems = validateResource(r);
      options.shapeCache?.set(r, problems);
    }
    if (problems.length === 0) {
      valid.push(r);
      continue;
    }
    for (const p of problems) {
      findings.push(
        inputFinding(invalidObject, p.messageId, p.data, where(r, p.path), { resource: r.ref, path: p.path }),
      );
    }
    const fields = problems.map(unreadableField);
    const copy: Resource = { ...r, object: withoutFields(r.object, fields) };
    unreadable.set(
      copy,
      fields.map((f) => f.field),
    );
    valid.push(copy);
  }

  options.onPhase?.("validate");

  const reports: { active: ActiveRule; d: ReportDescriptor<string> }[] = [];
  const crash = (active: ActiveRule, resource: Resource | undefined, err: unknown) => {
    const detail = err instanceof Error ? err.message : String(err);
    const loc = resource !== undefined ? where(resource, []) : { file: "", line: 1, column: 1 };
    findings.push(
      inputFinding(
        internalError,
        "crashed",
        { rule: active.rule.meta.id, detail },
        loc,
        resource ? { resource: resource.ref } : {},
      ),
    );
  };

  const actives: ActiveRule[] = [];
  for (const rule of options.rules) {
    if (!isRuleEnabled(rule, config)) continue;
    const setting = config.rules[rule.meta.id];
    const active: ActiveRule = {
      rule,
      ids: [rule.meta.id, ...(rule.meta.aliases ?? [])],
      severity: setting?.severity ?? rule.meta.severity,
      visitor: {},
      kinds: rule.meta.kinds ? new Set(rule.meta.kinds) : undefined,
    };
    try {
      active.visitor = rule.create({
        options: resolveOptions(rule.options ?? {}, setting?.options),
        resources: options.context ?? valid,
        ...(assumeComplete !== undefined ? { assumeComplete } : {}),
        ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
        fixDefaults: config.fix?.defaults ?? {},
        report: (d) => reports.push({ active, d }),
      });
    } catch (err) {
      crash(active, undefined, err);
      continue;
    }
    actives.push(active);
  }

  const onResource = actives.filter((a) => a.visitor.resource);
  const onPod = actives.filter((a) => a.visitor.podSpec);
  const onContainer = actives.filter((a) => a.visitor.container);
  // The rules that take each kind, in rule order, found once per kind rather than asked per object.
  const byKind = new Map<string, { resource: ActiveRule[]; pod: ActiveRule[]; container: ActiveRule[] }>();
  const rulesFor = (kind: string) => {
    let rules = byKind.get(kind);
    if (rules === undefined) {
      const accepts = (a: ActiveRule) => a.kinds === undefined || a.kinds.has(kind);
      rules = {
        resource: onResource.filter(accepts),
        pod: onPod.filter(accepts),
        container: onContainer.filter(accepts),
      };
      byKind.set(kind, rules);
    }
    return rules;
  };

  let visited = 0;
  for (const r of valid) {
    if (options.onProgress !== undefined && ++visited % 256 === 0) options.onProgress(visited, valid.length);
    const rules = rulesFor(r.ref.kind);
    for (const a of rules.resource) {
      try {
        a.visitor.resource?.(r);
      } catch (err) {
        crash(a, r, err);
      }
    }
    if (rules.pod.length === 0 && rules.container.length === 0) continue;
    const pod = podSpecOf(r);
    if (pod === undefined) continue;
    for (const a of rules.pod) {
      try {
        a.visitor.podSpec?.(pod);
      } catch (err) {
        crash(a, r, err);
      }
    }
    if (rules.container.length === 0) continue;
    const containers = containersOf(pod);
    for (const a of rules.container) {
      for (const c of containers) {
        try {
          a.visitor.container?.(c);
        } catch (err) {
          crash(a, r, err);
        }
      }
    }
  }
  options.onPhase?.("visitors");
  for (const a of actives) {
    if (!a.visitor.end) continue;
    try {
      a.visitor.end(valid);
    } catch (err) {
      crash(a, undefined, err);
    }
  }

  options.onPhase?.("cross-object");

  // Suppression annotations are read once per resource that has a finding.
  const annotationCache = new Map<Resource, AnnotationSuppression[]>();
  let known = options.suppressionCache?.get(today);
  if (options.suppressionCache !== undefined && known === undefined)
    options.suppressionCache.set(today, (known = new WeakMap()));
  const annotationsOf = (r: Resource): AnnotationSuppression[] => {
    let list = annotationCache.get(r);
    if (list === undefined) {
      list = options.noExemptions === true ? [] : known?.get(r);
      if (list === undefined) {
        list = annotationSuppressions(r, today);
        known?.set(r, list);
      }
      annotationCache.set(r, list);
    }
    return list;
  };

  const kept = new DuplicateFilter();
  for (const { active, d } of reports) {
    if (unreadable.get(d.resource)?.some((field) => touchesField(d.path, field)) === true) continue;
    if (d.fix !== undefined && meta(active).fix === "none") {
      // Fixes are declared: a rule whose metadata says it has none may not offer one.
      crash(active, d.resource, new Error("it reported a fix although its metadata declares `fix: none`"));
    }
    const f = toFinding(active, d);
    if (!kept.add(d.resource, f)) continue;
    if (options.noExemptions !== true) {
      const s =
        suppressionFor(active.ids, annotationsOf(d.resource)) ??
        exemptionFor(active.ids, d.resource, d.container, config.exemptions);
      if (s !== undefined) f.suppressed = s;
    }
    findings.push(f);
  }

  if (options.noExemptions !== true) {
    for (const r of valid) annotationsOf(r);
    for (const f of suppressionNotices(annotationCache, options.knownRules ?? options.rules))
      findings.push(f);
  }
  findings.sort(compareFindings);
  options.onPhase?.("findings");
  return { findings, checked: valid.length };
}

const meta = (a: ActiveRule) => a.rule.meta;

/**
 * Drops a report made twice: the same rule, object, place, path and message. Items of one
 * `kind: List` document share its docIndex, so an object is known by its document, kind, namespace
 * and name, and by its release (one base built by two overlays, or one chart released twice, is two
 * objects). Kept findings are grouped by object and rule and compared field by field: no key string
 * per finding (239,000 findings made 239,000 long keys); a group that grows large gets a set of keys,
 * so a rule reporting thousands of places in one object stays linear.
 */
class DuplicateFilter {
  private readonly byResource = new Map<Resource, Map<string, Finding | KeptFindings>>();
  private readonly byIdentity = new Map<string, Map<string, Finding | KeptFindings>>();

  /** False when `f` (a finding on `r`) was already added. */
  add(r: Resource, f: Finding): boolean {
    let byRule = this.byResource.get(r);
    if (byRule === undefined) {
      const identity = `${r.docIndex}\0${r.ref.kind}\0${r.ref.namespace ?? ""}\0${r.ref.name}\0${r.release ?? ""}`;
      byRule = this.byIdentity.get(identity);
      if (byRule === undefined)
        this.byIdentity.set(identity, (byRule = new Map<string, Finding | KeptFindings>()));
      this.byResource.set(r, byRule);
    }
    const kept = byRule.get(f.ruleId);
    // Most rules report an object once: the finding itself stands for its group until a second comes.
    if (kept === undefined) {
      byRule.set(f.ruleId, f);
      return true;
    }
    if (!(kept instanceof KeptFindings)) {
      if (sameReport(kept, f)) return false;
      byRule.set(f.ruleId, new KeptFindings([kept, f]));
      return true;
    }
    if (kept.keys !== undefined) {
      const key = duplicateKey(f);
      if (kept.keys.has(key)) return false;
      kept.keys.add(key);
      return true;
    }
    for (const k of kept.list) if (sameReport(k, f)) return false;
    kept.list.push(f);
    if (kept.list.length >= MANY_FINDINGS) kept.keys = new Set(kept.list.map(duplicateKey));
    return true;
  }
}

class KeptFindings {
  keys: Set<string> | undefined = undefined;
  constructor(readonly list: Finding[]) {}
}

/** Findings of one rule on one object compared one by one up to this many, then by key. */
const MANY_FINDINGS = 16;

const placeOf = (f: Finding): string => (f.source === "cluster" ? f.cluster.ref : f.file);

function sameReport(a: Finding, b: Finding): boolean {
  if (a.message !== b.message || placeOf(a) !== placeOf(b) || a.path.length !== b.path.length) return false;
  for (let i = 0; i < a.path.length; i++) {
    const x = a.path[i];
    const y = b.path[i];
    if (x !== y && String(x) !== String(y)) return false;
  }
  return true;
}

/** What `sameReport` compares, as one string. */
const duplicateKey = (f: Finding): string => `${placeOf(f)}\0${f.path.join("\0")}\0${f.message}`;

/**
 * Where a path of a resource is: its file position, or for an object read from a live cluster its
 * kubectl reference and the field path (`deployment/web -n shop` + `spec.template.spec`).
 */
function where(r: Resource, path: Path): Located {
  if (r.cluster === undefined) return r.source.locate(path).loc;
  const { ref, context } = r.cluster;
  return { cluster: { ref, fieldPath: formatPath(path), ...(context !== undefined ? { context } : {}) } };
}

function toFinding(active: ActiveRule, d: ReportDescriptor<string>): Finding {
  const meta = active.rule.meta;
  const template = meta.messages[d.messageId] ?? d.messageId;
  const f: FindingBase = {
    ruleId: meta.id,
    severity: active.severity,
    category: meta.category,
    message: formatMessage(template, d.data),
    messageId: d.messageId,
    remediation: meta.remediation,
    resource: d.resource.ref,
    path: d.path,
  };
  const cluster = d.resource.cluster !== undefined;
  const located = cluster ? undefined : d.resource.source.locate(d.path);
  if (located?.exact === false) f.exact = false;
  if (d.container !== undefined) f.container = d.container;
  if (meta.fix !== "none") {
    if (d.fix !== undefined) f.fix = { kind: meta.fix, description: d.fix.description, ops: d.fix.ops };
    else if (d.noFix !== undefined) f.noFix = d.noFix;
  }
  const origin = d.resource.source.origin?.(d.path, d.part);
  if (origin?.template !== undefined) f.template = origin.template;
  // The missing setting's own key (`securityContext.readOnlyRootFilesystem`) before the block that
  // wrote its parent (`securityContext`).
  const values = (origin?.template !== undefined ? fieldValues(d) : undefined) ?? origin?.values;
  if (values !== undefined) f.values = values;
  // Which Helm release or GitOps object rendered the resource (inputs set it; issue 8 item 4).
  if (d.resource.release !== undefined) f.release = d.resource.release;
  return withLocation(f, located?.loc ?? where(d.resource, d.path));
}

/**
 * A rule that reports a missing setting at its deepest existing parent (the container, when it has
 * no `securityContext`) names the setting (`field`, or its fix's field): the values key that sets
 * that field is the one that controls the finding (`containerSecurityContext.readOnlyRootFilesystem`).
 * A `field` outside the finding's path is the setting that causes it (a binding's `roleRef.name`
 * for a finding at one of its subjects); a fix's field counts only below the path.
 */
function fieldValues(d: ReportDescriptor<string>): Finding["values"] {
  const { source } = d.resource;
  if (source.origin === undefined) return undefined;
  const below = (field: Path) => field.length > d.path.length && d.path.every((k, i) => field[i] === k);
  const fields = (d.fix?.ops ?? []).filter((op) => op.op !== "remove" && below(op.path)).map((op) => op.path);
  if (d.field !== undefined) fields.unshift(d.field);
  for (const field of fields) {
    const values = source.origin(field)?.values;
    if (values !== undefined) return values;
  }
  return undefined;
}

/** Expired, malformed or misspelt suppressions on resources that had findings. */
function suppressionNotices(
  cache: Map<Resource, AnnotationSuppression[]>,
  rules: readonly AnyRule[],
): Finding[] {
  const known = new Set<string>();
  for (const r of rules) {
    known.add(r.meta.id);
    for (const a of r.meta.aliases ?? []) known.add(a);
  }
  const out: Finding[] = [];
  for (const [resource, list] of cache) {
    for (const s of list) {
      const at = (messageId: string, data: Record<string, string>, path: Path) =>
        out.push(
          inputFinding(expiredSuppression, messageId, data, where(resource, path), {
            resource: resource.ref,
            path,
          }),
        );
      const untilPath = [...s.path.slice(0, -1), "kubeward.io/ignore-until"];
      if (s.badDate) at("badDate", { value: s.until ?? "" }, untilPath);
      else if (s.expired) at("expired", { rules: [...s.rules].join(", "), until: s.until ?? "" }, untilPath);
      for (const id of s.rules) {
        if (id !== "*" && id !== "all" && !known.has(id)) at("unknownRule", { rule: id }, s.path);
      }
    }
  }
  return out;
}
