// The public library surface: the one place that wires inputs, config, registry and engine.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runRules, type EnginePhase } from "./core/engine.js";
import { applyBaseline, type Baseline } from "./core/baseline.js";
import { knownRulesOf, type Config } from "./core/config.js";
import { compareFindings, severityRank } from "./core/findings.js";
import type { AnyRule } from "./core/rule.js";
import type { Category, Finding, KObject, Severity } from "./core/types.js";
import type { ReadProblem } from "./diagnose/types.js";
import { clusterResources, unreadableFindings } from "./inputs/cluster-scan.js";
import { UsageError } from "./core/errors.js";
import { discoverConfig, loadConfig } from "./inputs/config-file.js";
import {
  DEFAULT_MAX_FILE_SIZE,
  displayName,
  listFiles,
  loadFiles,
  type Loaded,
  type RenderInputs,
} from "./inputs/files.js";
import { expandGitOps } from "./inputs/gitops.js";
import { isPackagedChart, renderCharts, type HelmOptions } from "./inputs/helm.js";
import { buildKustomizations } from "./inputs/kustomize.js";
import { ALL_RULES, RULES } from "./rules/index.js";
import { customRulesOf, TEMPLATE_SCHEMAS } from "./rules/templates/index.js";
import { unifiedDiff } from "./fix/diff.js";
import { fixChart, type ChartFixResult } from "./fix/chart.js";
import { fixTexts, type FixOutcome, type Keep } from "./fix/fixer.js";
import { basesOf, fixKustomization, type KustomizeFixResult } from "./fix/kustomize.js";
import { writeFixed } from "./fix/write.js";
import { scrubFindings, secretLines, secretValues, type SecretLines } from "./report/mask.js";

export type { Config } from "./core/config.js";
export type { AnyRule, Rule, RuleMeta, RuleContext, RuleVisitor } from "./core/rule.js";
export { defineRule } from "./core/rule.js";
export type * from "./core/types.js";
export { UsageError, InputError } from "./core/errors.js";
export { parseYaml } from "./inputs/yaml.js";
export type { Loaded } from "./inputs/files.js";
export type { HelmOptions } from "./inputs/helm.js";
export { runRules } from "./core/engine.js";
export type { Baseline, BaselineEntry } from "./core/baseline.js";
export { createBaseline, checkBaseline } from "./core/baseline.js";
export { RULES, ALL_RULES, ruleById } from "./rules/index.js";

/** The given rules (by default every rule) followed by the config's custom rules (template instances). */
export function rulesOf(config: Config, rules: readonly AnyRule[] = ALL_RULES): AnyRule[] {
  return [...rules, ...customRulesOf(config)];
}
export type { AppliedFix, UnfixedFinding, FixOutcome, Keep } from "./fix/fixer.js";
export type { ChartFixResult, ValuesFix, TemplatePatch } from "./fix/chart.js";
export type { KustomizeFixResult } from "./fix/kustomize.js";

export interface ScanOptions {
  /** Files, directories, or `-` for stdin. */
  paths: readonly string[];
  /** Scan root: finding file names are relative to it; config is discovered upward from it. */
  cwd?: string;
  /** A config file to use instead of discovery; `false` disables config files. */
  configFile?: string | false;
  /** A config object, used instead of any file. */
  config?: Config;
  /** Extra ignore globs (relative to cwd), added to the config's `ignorePaths`. */
  ignore?: readonly string[];
  noExemptions?: boolean;
  /**
   * Treat the scan as holding every object of its namespaces (true), or never report a reference to
   * an object missing from it (false); unset: the config's `assumeComplete`, else decided per namespace.
   */
  assumeComplete?: boolean;
  /** The Kubernetes release rules check against (removed APIs); defaults to `helm.kubeVersion`, then a recent stable release. */
  kubeVersion?: string;
  maxFileSize?: number;
  /** Reads stdin when a path is `-`. */
  stdin?: () => string;
  /** Rules to run instead of the built-in set. */
  rules?: readonly AnyRule[];
  /** "Today" for ignore-until dates (YYYY-MM-DD), for reproducible runs. */
  today?: string;
  /** Helm flags (values, --set, release name, ...) for every chart and GitOps release rendered. */
  helm?: HelmOptions;
  /** Called as the scan goes (for a progress display): files read, charts rendered, objects checked. */
  onProgress?: (p: ScanProgress) => void;
  /** Called as each step of checking the loaded resources ends (tools/bench-phases.ts times them). */
  onPhase?: (phase: ScanPhase) => void;
}

/** The engine's steps, then `result`: sorting, masking secret values and counting. */
export type ScanPhase = EnginePhase | "result";

/** Where a scan is: `read` after each file, `render` before and after the charts and kustomizations, `check` as the rules run. */
export interface ScanProgress {
  phase: "read" | "render" | "check";
  done: number;
  total: number;
}

export interface ScanSummary {
  files: number;
  resources: number;
  /** Resources that passed validation and were checked by rules. */
  checked: number;
  /** YAML documents that are not Kubernetes objects. */
  skipped: number;
  findings: number;
  suppressed: number;
  /** Findings left out because a `--baseline` file holds them (only with a baseline). */
  baselined?: number;
  /**
   * Inputs that could not be read, parsed or rendered (parse-error, render-error), counted whatever
   * the config or rule selection shows: the CLI exits 2 when there are any.
   */
  inputErrors?: number;
  bySeverity: Record<Severity, number>;
  byCategory: Partial<Record<Category, number>>;
  /** Set by `scan --cluster`: the objects came from a cluster (this context and namespace; all when absent), not files. */
  cluster?: { context?: string; namespace?: string };
}

export interface ScanResult {
  /** Reported findings (not suppressed), sorted by file and position. */
  findings: Finding[];
  /** Findings hidden by an annotation or config exemption. */
  suppressed: Finding[];
  summary: ScanSummary;
  /** Source texts by file name, for code frames. */
  texts: ReadonlyMap<string, string>;
  /** Files (or charts, kustomizations) that could not be read, parsed or rendered, in order. */
  inputErrorFiles?: readonly string[];
  /** Lines holding secret values (Secret data, flagged credentials), by file: frames mask them. */
  secretLines?: SecretLines;
  /** The secret values themselves: no message holds one, and frames replace them on any line. */
  secretValues?: ReadonlySet<string>;
  /** The rules that ran (metadata for SARIF and docs). */
  rules: readonly AnyRule[];
  /** The config file used, if any. */
  configFile: string | undefined;
  config: Config;
}

export function resolveConfig(options: Pick<ScanOptions, "cwd" | "configFile" | "config">): {
  config: Config;
  file: string | undefined;
} {
  const known = knownRulesOf(ALL_RULES);
  if (options.config !== undefined) return { config: options.config, file: undefined };
  if (options.configFile === false) return loadConfig(undefined, known);
  const file = options.configFile ?? discoverConfig(options.cwd ?? process.cwd());
  return loadConfig(file, known, TEMPLATE_SCHEMAS);
}

export type LoadResourcesOptions = Pick<
  ScanOptions,
  "paths" | "cwd" | "ignore" | "maxFileSize" | "stdin" | "helm" | "onProgress"
>;

/**
 * Read every input (files, directories, stdin, Helm charts, kustomizations, GitOps objects) into resources.
 * Used by `scan`, `netpol` and any command that needs the objects. Never throws on bad content:
 * problems become findings; only an unreadable path throws InputError.
 */
export function loadResources(options: LoadResourcesOptions): Loaded {
  const loadOptions = {
    cwd: options.cwd ?? process.cwd(),
    ignore: options.ignore ?? [],
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  };
  const progress = options.onProgress;
  // Charts and kustomizations in the paths are rendered (charts in parallel), never read as plain YAML.
  const found: RenderInputs = { charts: [], packaged: [], kustomizations: [] };
  const problems: Finding[] = [];
  const loaded = loadFiles(listFiles(options.paths, loadOptions, found, problems), {
    ...loadOptions,
    ...(progress
      ? {
          onFile: (done: number, total: number) => {
            progress({ phase: "read", done, total });
          },
        }
      : {}),
  });
  loaded.findings.push(...problems);
  const rendered = found.charts.length + found.packaged.length + found.kustomizations.length;
  if (rendered > 0) progress?.({ phase: "render", done: 0, total: rendered });
  // Rendered output counts against the file-size limit like any file.
  const helm: HelmOptions = {
    ...options.helm,
    ...(options.maxFileSize !== undefined ? { maxOutputBytes: options.maxFileSize } : {}),
  };
  const charts = [...found.charts, ...found.packaged.filter(isPackagedChart)].map((chart) => ({ chart }));
  renderCharts(charts, helm, loadOptions.cwd, loaded);
  buildKustomizations(
    found.kustomizations.map((dir) => ({ dir })),
    helm,
    loadOptions.cwd,
    loaded,
  );
  const scanned = options.paths.filter((p) => p !== "-").map((p) => resolve(loadOptions.cwd, p));
  expandGitOps(loaded, helm, loadOptions.cwd, scanned);
  if (rendered > 0) progress?.({ phase: "render", done: rendered, total: rendered });
  return loaded;
}

export interface ClusterScanOptions extends Omit<ScanOptions, "paths" | "stdin" | "helm" | "maxFileSize"> {
  /** Objects as listed from a live cluster or read from a snapshot (status and managed fields are stripped). */
  objects: readonly KObject[];
  /** The kubeconfig context read (shown with each reference). */
  context?: string;
  /** The namespace read; undefined for all. Other Namespace objects are left out. */
  namespace?: string;
  /** Kinds that could not be read (a 403): reported as `not-scanned` findings. */
  unreadable?: readonly ReadProblem[];
}

/**
 * `scan --cluster`: the static rules on the objects of a cluster, with kubectl-style references
 * (`deployment/web -n shop` plus the field path) instead of file positions.
 */
export function scanCluster(options: ClusterScanOptions): ScanResult {
  const { config, file: configFile } = resolveConfig(options);
  const { resources } = clusterResources(options.objects, {
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  });
  const loaded: Loaded = {
    resources,
    findings: unreadableFindings(options.unreadable ?? [], options.context),
    skipped: 0,
    texts: new Map(),
    files: 0,
  };
  // A rule that compares objects would judge from the absence of objects it could not see (no
  // NetworkPolicy, no Secret): with a kind unreadable, those rules do not run (the notice says so).
  const unreadable = (options.unreadable ?? []).length > 0;
  const rules = (options.rules ?? RULES).filter((r) => r.meta.scope !== "cluster");
  const result = finish(
    loaded,
    { ...options, paths: [], ...(unreadable ? { rules } : {}) },
    config,
    configFile,
  );
  result.summary.cluster = {
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
  return result;
}

/** Input findings that mean part of the input was not checked at all. */
const INPUT_ERRORS: ReadonlySet<string> = new Set(["parse-error", "render-error"]);

export function scan(options: ScanOptions): ScanResult {
  const { config, file: configFile } = resolveConfig(options);
  const loaded = loadResources({ ...options, ignore: [...config.ignorePaths, ...(options.ignore ?? [])] });
  return finish(loaded, options, config, configFile);
}

/** The result of scanning already loaded resources (and input findings) with `config`. */
export function resultOf(
  loaded: Loaded,
  options: ScanOptions,
  config: Config,
  configFile: string | undefined,
): ScanResult {
  return finish(loaded, options, config, configFile);
}

function finish(
  loaded: Loaded,
  options: ScanOptions,
  config: Config,
  configFile: string | undefined,
): ScanResult {
  const rules = rulesOf(config, options.rules ?? RULES);
  const kubeVersion = options.kubeVersion ?? options.helm?.kubeVersion;
  options.onProgress?.({ phase: "check", done: 0, total: loaded.resources.length });
  const engine = runRules(loaded.resources, {
    rules,
    config,
    ...(options.noExemptions !== undefined ? { noExemptions: options.noExemptions } : {}),
    ...(options.assumeComplete !== undefined ? { assumeComplete: options.assumeComplete } : {}),
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.onPhase !== undefined ? { onPhase: options.onPhase } : {}),
    ...(options.onProgress !== undefined
      ? { onProgress: (done: number, total: number) => options.onProgress?.({ phase: "check", done, total }) }
      : {}),
  });
  // Findings about the input (parse-error, render-error, ...) obey the config's switches too.
  const inputFindings = loaded.findings.flatMap((f) => {
    const setting = config.rules[f.ruleId];
    if (setting?.enabled === false) return [];
    return setting?.severity === undefined ? [f] : [{ ...f, severity: setting.severity }];
  });
  // The engine's findings come sorted: only input findings need sorting in.
  const sorted =
    inputFindings.length === 0
      ? engine.findings
      : [...inputFindings, ...engine.findings].sort(compareFindings);
  // No message may quote a Secret's value or a value a secret-detecting rule flagged (issue 9 item 8).
  const secrets = secretValues(loaded.resources, sorted);
  const all = scrubFindings(sorted, secrets);
  const errored = loaded.findings.filter((f) => INPUT_ERRORS.has(f.ruleId));
  const inputErrors = errored.length;
  const findings = all.filter((f) => f.suppressed === undefined);
  const suppressed = all.filter((f) => f.suppressed !== undefined);
  const { bySeverity, byCategory } = countFindings(findings);
  const lines = secretLines(loaded.resources, all);
  options.onPhase?.("result");
  return {
    findings,
    suppressed,
    summary: {
      files: loaded.files,
      resources: loaded.resources.length,
      checked: engine.checked,
      skipped: loaded.skipped,
      findings: findings.length,
      suppressed: suppressed.length,
      inputErrors,
      bySeverity,
      byCategory,
    },
    texts: loaded.texts,
    secretLines: lines,
    // Input errors are about files (a live cluster's read problems are reported apart).
    inputErrorFiles: [...new Set(errored.map((f) => f.file ?? ""))].sort(),
    secretValues: secrets,
    rules: [...(options.rules ? [] : ALL_RULES.filter((r) => !RULES.includes(r))), ...rules],
    configFile,
    config,
  };
}

function countFindings(findings: readonly Finding[]): Pick<ScanSummary, "bySeverity" | "byCategory"> {
  const bySeverity: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  const byCategory: Partial<Record<Category, number>> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
  }
  return { bySeverity, byCategory };
}

/** The result without the findings that `baseline` holds; the summary counts them as baselined. */
export function withBaseline(result: ScanResult, baseline: Baseline): ScanResult {
  const { kept, baselined } = applyBaseline(result.findings, baseline);
  return {
    ...result,
    findings: kept,
    summary: {
      ...result.summary,
      findings: kept.length,
      baselined: (result.summary.baselined ?? 0) + baselined.length,
      ...countFindings(kept),
    },
  };
}

/** True when some finding is at or above `failOn`. */
export function hasFailures(result: Pick<ScanResult, "findings">, failOn: Severity): boolean {
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}

export interface FixOptions extends ScanOptions {
  /** Also apply fixes marked unsafe (hardening that can break an app). */
  unsafe?: boolean;
  /** Only fix findings of these rule IDs. */
  onlyRules?: readonly string[];
  /** `CONTAINER:FIELD` entries to leave alone, added to the config's `fix.keep`. */
  keep?: readonly string[];
  /** Write the fixed files (atomically); otherwise nothing on disk changes. */
  write?: boolean;
  /**
   * Helm: write the chart's values override here (relative to cwd; exactly one chart). An existing
   * file is extended, its keys kept. Without it, charts are still fixed in memory (see `charts`).
   */
  valuesOut?: string;
  /** Helm: also fix what values cannot reach by patching literal template lines (verified; written with `write`). */
  patchTemplates?: boolean;
  /**
   * Kustomize: write the fixes as a strategic-merge patch file here (relative to cwd, inside the one
   * kustomization fixed) and list it under the kustomization's `patches:`. Without it the patch is
   * computed and shown (as `kubeward-fixes.yaml` in each kustomization) but nothing is written.
   */
  patchOut?: string;
}

export interface FixResult extends FixOutcome {
  /** Unified diff of every changed file, each preceded by `# fix` lines saying what changes and why. */
  diff: string;
  /** Files written (with `write`). */
  written: string[];
  /** Inputs this mode does not fix (packaged charts, kustomizations), with what to use instead. */
  notHandled: { path: string; reason: string }[];
  /** Helm charts fixed through their values (and templates). */
  charts: ChartFixResult[];
  /** Kustomizations fixed through a patch file. */
  kustomizations: KustomizeFixResult[];
}

/** Parse `CONTAINER:FIELD`. */
export function parseKeep(entry: string): Keep | undefined {
  const m = /^([^:]+):([A-Za-z][\w.]*)$/.exec(entry);
  return m?.[1] !== undefined && m[2] !== undefined ? { container: m[1], field: m[2] } : undefined;
}

/**
 * Fix the manifests under `paths`: verified, minimal text edits (see src/fix). Without `write`
 * nothing changes on disk; the result holds the diff.
 */
export function fix(options: FixOptions): FixResult {
  const { config } = resolveConfig(options);
  const cwd = options.cwd ?? process.cwd();
  const loadOptions = {
    cwd,
    ignore: [...config.ignorePaths, ...(options.ignore ?? [])],
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  };
  const found: RenderInputs = { charts: [], packaged: [], kustomizations: [] };
  const problems: Finding[] = [];
  const loaded = loadFiles(listFiles(options.paths, loadOptions, found, problems), loadOptions);
  const keep: Keep[] = [];
  for (const k of [...(config.fix?.keep ?? []), ...(options.keep ?? [])]) {
    const parsed = parseKeep(k);
    if (parsed === undefined) throw new UsageError(`--keep must be CONTAINER:FIELD, not "${k}"`);
    keep.push(parsed);
  }
  const fixOptions = {
    rules: rulesOf(config, options.rules ?? RULES),
    config,
    keep,
    ...(options.unsafe !== undefined ? { unsafe: options.unsafe } : {}),
    ...(options.onlyRules !== undefined ? { only: new Set(options.onlyRules) } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.noExemptions !== undefined ? { noExemptions: options.noExemptions } : {}),
  };
  const outcome = fixTexts(loaded.texts, fixOptions, loaded.resources);
  if (options.valuesOut !== undefined && found.charts.length !== 1) {
    throw new UsageError(
      `--values-out needs exactly one chart directory in the paths (found ${String(found.charts.length)})`,
    );
  }
  const valuesOut = options.valuesOut === undefined ? undefined : resolve(cwd, options.valuesOut);
  const existing =
    valuesOut !== undefined && existsSync(valuesOut) ? readFileSync(valuesOut, "utf8") : undefined;
  const helm: HelmOptions = {
    ...options.helm,
    // The override file is applied last; an earlier `-f` of the same file would apply its old keys twice.
    values: (options.helm?.values ?? []).filter((v) => resolve(cwd, v) !== valuesOut),
    ...(options.maxFileSize !== undefined ? { maxOutputBytes: options.maxFileSize } : {}),
  };
  const charts = found.charts.map((chart) =>
    fixChart({
      ...fixOptions,
      chart,
      cwd,
      helm,
      ...(existing !== undefined ? { existingOverride: existing } : {}),
      ...(options.patchTemplates !== undefined ? { patchTemplates: options.patchTemplates } : {}),
      load: (dir, root, h) => loadResources({ paths: [dir], cwd: root, helm: h }),
    }),
  );
  // Kustomizations: a patch file in the overlay; a base that another found overlay uses is left
  // alone unless it was named itself.
  const named = new Set(options.paths.map((p) => resolve(cwd, p)));
  const bases = basesOf(found.kustomizations);
  const overlays = found.kustomizations.filter((k) => !bases.has(k) || named.has(k));
  if (options.patchOut !== undefined && overlays.length !== 1) {
    throw new UsageError(
      `--patch-out needs exactly one kustomization (overlay) in the paths (found ${String(overlays.length)})`,
    );
  }
  const kustomizations = overlays.map((dir) => {
    const patchOut =
      options.patchOut === undefined ? join(dir, "kubeward-fixes.yaml") : resolve(cwd, options.patchOut);
    if (options.patchOut !== undefined && existsSync(patchOut)) {
      throw new UsageError(`--patch-out ${options.patchOut} exists; name a new file`);
    }
    return fixKustomization({
      ...fixOptions,
      dir,
      cwd,
      patchOut,
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      load: (d, root) => loadResources({ paths: [d], cwd: root }),
    });
  });
  const diff =
    outcome.files
      .map((f) => {
        const head = f.fixes
          .map(
            (a) =>
              `# fix ${a.ruleId} (${a.kind}) ${a.file}:${String(a.line)}:${String(a.column)} ${a.resource}: ${a.description} Why: ${a.message}\n`,
          )
          .join("");
        return head + unifiedDiff(f.file, f.before, f.after);
      })
      .join("") +
    charts.map(chartDiff).join("") +
    kustomizations.map(kustomizeDiff).join("");
  const written: string[] = [];
  if (options.write === true) {
    for (const f of outcome.files) {
      if (f.file === "<stdin>") continue;
      writeFixed(resolve(cwd, f.file), f.before, f.after);
      written.push(f.file);
    }
    for (const c of charts) {
      for (const p of c.patches) {
        writeFixed(resolve(cwd, p.file), p.before, p.after);
        written.push(p.file);
      }
    }
  }
  const chart = charts[0];
  if (
    valuesOut !== undefined &&
    options.valuesOut !== undefined &&
    chart !== undefined &&
    chart.error === undefined
  ) {
    if (existing !== undefined) writeFixed(valuesOut, existing, chart.override);
    else writeFileSync(valuesOut, chart.override, { flag: "wx" });
    written.push(displayName(cwd, valuesOut));
  }
  for (const k of kustomizations) {
    if (options.patchOut === undefined || k.patch === "" || k.error !== undefined) continue;
    writeFileSync(resolve(cwd, k.patchFile), k.patch, { flag: "wx" });
    written.push(k.patchFile);
    if (k.kustomization.after !== k.kustomization.before) {
      writeFixed(resolve(cwd, k.kustomization.file), k.kustomization.before, k.kustomization.after);
      written.push(k.kustomization.file);
    }
  }
  const notHandled = [
    ...found.packaged.map((path) => ({
      path: displayName(cwd, path),
      reason: "a packaged Helm chart: unpack it (helm pull --untar) to fix it through its values",
    })),
    ...charts.flatMap((c) =>
      c.error !== undefined ? [{ path: c.chart, reason: `the chart does not render: ${c.error}` }] : [],
    ),
    ...found.kustomizations
      .filter((k) => !overlays.includes(k))
      .map((path) => ({
        path: displayName(cwd, path),
        reason:
          "a base of another kustomization found: fixed through that overlay (name it alone to patch the base)",
      })),
    ...kustomizations.flatMap((k) =>
      k.error !== undefined ? [{ path: k.dir, reason: `the kustomization is not fixed: ${k.error}` }] : [],
    ),
  ];
  const applied = [
    ...outcome.applied,
    ...charts.flatMap((c) => [...c.valuesFixes, ...c.patches.flatMap((p) => p.fixes)]),
    ...kustomizations.flatMap((k) => k.fixes),
  ];
  const unfixed = [
    ...outcome.unfixed,
    ...charts.flatMap((c) => c.unfixed),
    ...kustomizations.flatMap((k) => k.unfixed),
  ];
  return {
    ...outcome,
    applied,
    unfixed,
    findingsBefore:
      outcome.findingsBefore +
      charts.reduce((n, c) => n + c.findingsBefore, 0) +
      kustomizations.reduce((n, k) => n + k.findingsBefore, 0),
    findingsAfter:
      outcome.findingsAfter +
      charts.reduce((n, c) => n + c.findingsAfter, 0) +
      kustomizations.reduce((n, k) => n + k.findingsAfter, 0),
    diff,
    written,
    notHandled,
    charts,
    kustomizations,
  };
}

/** A kustomization's part of the diff output: the new patch file and the kustomization listing it. */
function kustomizeDiff(k: KustomizeFixResult): string {
  if (k.patch === "") return "";
  const head = k.fixes
    .map(
      (a) =>
        `# fix ${a.ruleId} (${a.kind}) ${a.file}:${String(a.line)}:${String(a.column)} ${a.resource}: ${a.description} Through the overlay's patch ${k.patchFile}. Why: ${a.message}\n`,
    )
    .join("");
  return (
    head +
    unifiedDiff(k.patchFile, "", k.patch) +
    (k.kustomization.after !== k.kustomization.before
      ? unifiedDiff(k.kustomization.file, k.kustomization.before, k.kustomization.after)
      : "")
  );
}

/** A chart's part of the diff output: the values override, applied template patches, proposals. */
function chartDiff(c: ChartFixResult): string {
  let out = "";
  if (c.valuesFixes.length > 0) {
    out += c.valuesFixes
      .map(
        (a) =>
          `# fix ${a.ruleId} (${a.kind}) ${a.file}:${String(a.line)}:${String(a.column)} ${a.resource}: ${a.description} Through values: ${a.valuesPath}. Why: ${a.message}\n`,
      )
      .join("");
    out += `# values override for ${c.chart} (pass it with -f after your values files):\n`;
    out += c.override
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => `+${l}\n`)
      .join("");
  }
  for (const p of c.patches) {
    out += p.fixes
      .map(
        (a) =>
          `# fix ${a.ruleId} (${a.kind}) ${a.file}:${String(a.line)}:${String(a.column)} ${a.resource}: ${a.description} Template patch (verified). Why: ${a.message}\n`,
      )
      .join("");
    out += unifiedDiff(p.file, p.before, p.after);
  }
  if (c.proposed !== "") {
    out += `# template patches proposed for ${c.chart} (not verified; apply them with --patch-templates):\n${c.proposed}`;
  }
  return out;
}
