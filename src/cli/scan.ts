import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  checkBaseline,
  hasFailures,
  resolveConfig,
  scan,
  scanCluster,
  withBaseline,
  type Baseline,
  type Config,
  type HelmOptions,
  type ScanResult,
} from "../api.js";
import { InputError, UsageError } from "../core/errors.js";
import { kubeMinor } from "../core/kube-version.js";
import { helmFlagProblem } from "../inputs/helm.js";
import { SEVERITIES, type KObject, type Severity } from "../core/types.js";
import { inScope, parseLabelSelector, type Scope } from "../diagnose/scope.js";
import type { ReadProblem } from "../diagnose/types.js";
import { liveOptionsOf, readSnapshots, type ClusterFlags } from "./cluster-input.js";
import { PSS_LEVELS, pssVersionMinor } from "../rules/lib/pss.js";
import { ruleById } from "../rules/index.js";
import { FORMAT_NAMES, streamerFor } from "../report/index.js";
import { escapeControl } from "../core/escape.js";
import { configFileOption, pairOutputs, parseArgs, usage } from "./args.js";
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import { VERSION } from "./version.js";
import { scanUnits } from "../units/pool.js";
import { parseShard } from "../units/shard.js";
import { UNIT_KINDS, type UnitKind } from "../units/units.js";
import { progressReporter, progressWanted } from "./progress.js";

export const SCAN_HELP = `Usage: kubeward scan [PATH...] [flags]
       kubeward scan --cluster [-n NS | -A] [-l SEL] [--context NAME] [flags]

Scans Kubernetes manifests: files and directories (recursive; .yaml, .yml, .json), or - for stdin.
Without a PATH, scans the current directory. With --cluster, scans the objects of a live cluster
instead (or with --snapshot, a saved copy of them).

Flags:
      --format FORMAT      stylish|json|sarif|junit|github|markdown|baseline (repeatable; default stylish)
  -o, --output FILE        write the preceding --format to FILE instead of stdout
      --fail-on SEVERITY   exit 1 when a finding is at or above it: info|low|medium|high|critical (default low)
      --fail-if-no-objects exit 2 when no Kubernetes object was found to scan
      --config FILE        config file (default: .kubeward.yaml found upward from the current directory)
      --no-config          use no config file
      --ignore GLOB        skip paths matching GLOB, relative to the current directory (repeatable)
      --enable RULE        turn a rule on (repeatable)
      --disable RULE       turn a rule off (repeatable)
      --no-exemptions      ignore every suppression annotation and config exemption (audits)
      --assume-complete    report references to objects missing from the scan in every namespace
      --no-assume-complete never report references to objects missing from the scan
                           (default: only where the scan looks complete; see docs/cross-object.md)
      --pss LEVEL          check every pod against the Pod Security Standards: baseline|restricted
      --pss-version V      the Pod Security admission version: latest or v1.N (default latest)
      --max-file-size N    skip files larger than N bytes with a finding (default 33554432)
      --color / --no-color force or disable colours in stylish output
      --baseline FILE      findings in FILE (from kubeward baseline create) do not count; the report says how many
      --exit-zero          exit 0 even with findings (2 still means a usage or input error)
  -q, --quiet              no progress on stderr (it is shown only on a terminal, never when CI is set)

Units and shards (large trees, many charts):
      --unit UNIT          file|dir|chart|all: scan each file / directory / chart or kustomization as its
                           own unit with its own cross-object scope (default all: one scope for everything)
      --jobs N             threads that scan units at once (default: the cores, at most one per 2 MiB)
      --shard I/N          scan only shard I of N of the units (needs --unit; merge reports with kubeward merge)
      --shard-base 0|1     whether I counts from 1 (default) or from 0 (a Kubernetes JOB_COMPLETION_INDEX)

Helm charts (directories with Chart.yaml, or .tgz), kustomize directories and GitOps objects
(Flux HelmRelease/Kustomization, Argo CD Application with a local path) are rendered and scanned:
  -f, --values FILE        values file for every chart (repeatable; later ones win)
      --set K=V            set a value (repeatable); also --set-string K=V, --set-file K=FILE
      --release-name NAME  release name (default release-name)
  -n, --namespace NS       release namespace (default default); with --cluster, the namespace read
      --kube-version V     Kubernetes version for Capabilities, kubeVersion checks and removed APIs
                           (default 1.35)
      --api-versions API   extra Capabilities.APIVersions (repeatable)
      --skip-schema-validation  do not validate values against values.schema.json
      --timeout SECONDS    limit for each helm/kustomize run (default 120)

Live clusters (the same rules on the cluster's objects, with status and managed fields stripped;
findings name the object kubectl-style, deployment/web -n shop, and the field, instead of file:line):
      --cluster            scan the live cluster of the kubeconfig (Secrets: metadata only, never values)
      --snapshot PATH      scan a 'kubectl get ... -o yaml|json' file, a directory of them, or a
                           'kubectl cluster-info dump' directory instead (repeatable)
      --kubeconfig FILE    kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)
      --context NAME       kubeconfig context to use (default: the current context)
  -A, --all-namespaces     every namespace (default with -n absent: the context's namespace)
  -l, --selector SEL       only objects with these labels (kubectl syntax: app=web,tier!=db)
  A live cluster's listed namespaces are complete: references to missing objects are reported
  (as --assume-complete), unless -l is given or a kind could not be read (reported, not fatal).
  -h, --help               show this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage error, or input
that could not be read, parsed or rendered (after reporting everything else, whatever --fail-on or
the rule selection says).

Examples:
  kubeward scan k8s/                               # manifests, charts, kustomizations under k8s/
  kubeward scan charts/web -f prod.yaml --set image.tag=1.2.3
  kubeward scan . --format sarif -o kubeward.sarif --format stylish
  kubeward scan . --format markdown > comment.md   # for a pull request comment
  kubeward scan rendered/ --unit file --jobs 4     # thousands of independent files, one process
  kubeward scan repo/ --unit dir --shard 2/8 --format json -o shard-2.json
  kubeward scan . --baseline .kubeward-baseline.json --fail-on medium
  kubeward scan --cluster -n shop --context prod   # live objects: deployment/web -n shop spec.template...
  kubeward scan --cluster -A --format sarif -o cluster.sarif
  kubeward scan --snapshot cluster-dump/ -l app=web
`;

/** The flags of every command that writes reports (scan, merge). */
export const OUTPUT_OPTIONS = {
  format: { type: "string", multiple: true },
  output: { type: "string", short: "o", multiple: true },
  "fail-on": { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function scanCommand(argv: readonly string[], io: Io): number | Promise<number> {
  const { values, positionals, tokens } = usage(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        ...OUTPUT_OPTIONS,
        config: { type: "string" },
        "no-config": { type: "boolean" },
        ignore: { type: "string", multiple: true },
        enable: { type: "string", multiple: true },
        disable: { type: "string", multiple: true },
        "no-exemptions": { type: "boolean" },
        "fail-if-no-objects": { type: "boolean" },
        "assume-complete": { type: "boolean" },
        pss: { type: "string" },
        "pss-version": { type: "string" },
        "no-assume-complete": { type: "boolean" },
        "max-file-size": { type: "string" },
        values: { type: "string", short: "f", multiple: true },
        set: { type: "string", multiple: true },
        "set-string": { type: "string", multiple: true },
        "set-file": { type: "string", multiple: true },
        "release-name": { type: "string" },
        namespace: { type: "string", short: "n" },
        cluster: { type: "boolean" },
        snapshot: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        "all-namespaces": { type: "boolean", short: "A" },
        selector: { type: "string", short: "l" },
        "kube-version": { type: "string" },
        "api-versions": { type: "string", multiple: true },
        "skip-schema-validation": { type: "boolean" },
        timeout: { type: "string" },
        unit: { type: "string" },
        jobs: { type: "string" },
        shard: { type: "string" },
        "shard-base": { type: "string" },
        baseline: { type: "string" },
        "exit-zero": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
      },
    }),
  );
  if (values.help === true) {
    io.stdout(SCAN_HELP);
    return EXIT_OK;
  }

  // Pair each --output with the --format before it (or with the default stylish format).
  const outputs = pairOutputs(tokens, FORMAT_NAMES);

  const failOnFlag = values["fail-on"];
  if (failOnFlag !== undefined && !(SEVERITIES as readonly string[]).includes(failOnFlag)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")}, not "${failOnFlag}"`);
  }
  let maxFileSize: number | undefined;
  if (values["max-file-size"] !== undefined) {
    maxFileSize = Number(values["max-file-size"]);
    if (!Number.isInteger(maxFileSize) || maxFileSize <= 0)
      throw new UsageError("--max-file-size must be a positive integer");
  }

  const kubeVersion = values["kube-version"];
  if (kubeVersion !== undefined && kubeMinor(kubeVersion) === undefined)
    throw new UsageError(
      `--kube-version must be a Kubernetes 1.x version such as v1.35, not "${kubeVersion}"`,
    );
  const pss = values.pss;
  if (pss !== undefined && !(PSS_LEVELS as readonly string[]).includes(pss))
    throw new UsageError(`--pss must be one of ${PSS_LEVELS.join(", ")}, not "${pss}"`);
  const pssVersion = values["pss-version"];
  if (pssVersion !== undefined && pssVersionMinor(pssVersion) === undefined)
    throw new UsageError(`--pss-version must be latest or v1.N (such as v1.35), not "${pssVersion}"`);
  if (pssVersion !== undefined && pss === undefined) throw new UsageError("--pss-version needs --pss LEVEL");

  if (values["assume-complete"] === true && values["no-assume-complete"] === true)
    throw new UsageError("--assume-complete and --no-assume-complete exclude each other");
  const assumeComplete =
    values["assume-complete"] === true ? true : values["no-assume-complete"] === true ? false : undefined;

  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout.replace(/s$/, ""));
    if (!(seconds > 0)) throw new UsageError("--timeout must be a positive number of seconds");
    timeoutMs = seconds * 1000;
  }
  const helm: HelmOptions = {
    values: values.values ?? [],
    set: values.set ?? [],
    setString: values["set-string"] ?? [],
    setFile: values["set-file"] ?? [],
    apiVersions: values["api-versions"] ?? [],
    skipSchemaValidation: values["skip-schema-validation"] === true,
    env: io.env,
    ...(values["release-name"] !== undefined ? { releaseName: values["release-name"] } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values["kube-version"] !== undefined ? { kubeVersion: values["kube-version"] } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };

  const unit = values.unit ?? "all";
  if (!(UNIT_KINDS as readonly string[]).includes(unit))
    throw new UsageError(`--unit must be one of ${UNIT_KINDS.join(", ")}, not "${unit}"`);
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256)
      throw new UsageError("--jobs must be an integer from 1 to 256");
  }
  const shardBase = values["shard-base"] ?? "1";
  if (shardBase !== "0" && shardBase !== "1") throw new UsageError("--shard-base must be 0 or 1");
  const shard = values.shard === undefined ? undefined : parseShard(values.shard, shardBase === "0" ? 0 : 1);
  if (values.shard !== undefined) {
    if (shard === undefined)
      throw new UsageError(
        `--shard must be I/N with ${shardBase === "0" ? "0 ≤ I < N" : "1 ≤ I ≤ N"}, not "${values.shard}"`,
      );
    if (unit === "all")
      throw new UsageError("--shard needs --unit file, dir or chart (the units to share out)");
  }
  const baseline =
    values.baseline === undefined
      ? undefined
      : readBaseline(resolve(io.cwd, values.baseline), values.baseline);

  const clusterMode = values.cluster === true || values.snapshot !== undefined;
  if (!clusterMode) {
    for (const flag of ["kubeconfig", "context", "all-namespaces", "selector"] as const)
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --cluster or --snapshot`);
  } else {
    if (positionals.length > 0)
      throw new UsageError(
        `--cluster and --snapshot scan cluster objects, not paths: drop ${positionals.join(" ")}`,
      );
    for (const flag of [
      "values",
      "set",
      "set-string",
      "set-file",
      "release-name",
      "api-versions",
      "unit",
      "jobs",
      "shard",
      "ignore",
      "max-file-size",
    ] as const)
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag} does not apply to --cluster or --snapshot`);
  }

  // Bad helm flags are usage errors up front, whatever the tree holds and whatever --fail-on says.
  const helmProblem = helmFlagProblem(helm, io.cwd);
  if (helmProblem !== undefined) throw new UsageError(helmProblem);

  const paths = positionals.length > 0 ? positionals : ["."];
  const resolved = resolveConfig(configFileOption(values, io.cwd));
  // The config's custom rules (customRules:) can be switched by flag too.
  const custom = new Set((resolved.config.customRules ?? []).map((c) => c.id));
  for (const id of [...(values.enable ?? []), ...(values.disable ?? [])]) {
    if (ruleById(id) === undefined && !custom.has(id))
      throw new UsageError(`unknown rule "${id}" (see: kubeward rules)`);
  }
  // Flags win over the config file.
  const config: Config = { ...resolved.config, rules: { ...resolved.config.rules } };
  for (const id of values.enable ?? []) config.rules[id] = { ...config.rules[id], enabled: true };
  for (const id of values.disable ?? []) config.rules[id] = { ...config.rules[id], enabled: false };
  if (pss !== undefined) {
    const id = "pod-security-standards";
    const setting = config.rules[id];
    config.rules[id] = {
      ...setting,
      enabled: true,
      options: { ...setting?.options, level: pss, version: pssVersion ?? "latest" },
    };
  }
  const scanOptions = {
    paths,
    cwd: io.cwd,
    config,
    ignore: values.ignore ?? [],
    noExemptions: values["no-exemptions"] === true,
    ...(assumeComplete !== undefined ? { assumeComplete } : {}),
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    helm,
  };
  const progress = progressReporter({
    write: io.stderr,
    isTTY: io.errIsTTY === true,
    env: io.env,
    quiet: values.quiet === true,
  });
  if (unit !== "all") {
    return scanUnits(scanOptions, {
      unit: unit as UnitKind,
      ...(jobs !== undefined ? { jobs } : {}),
      ...(shard !== undefined ? { shard } : {}),
      // Only stylish shows code frames: the other reports need no source text back from the workers.
      texts: outputs.some((o) => o.format === "stylish") ? "findings" : "none",
      onProgress: progress.update,
    }).then(
      (r) => {
        progress.done();
        return report({ ...r, configFile: resolved.file });
      },
      (err: unknown) => {
        progress.done();
        throw err;
      },
    );
  }
  if (clusterMode) {
    return readCluster(values, io).then((read) =>
      report({
        ...scanCluster({
          cwd: io.cwd,
          config,
          noExemptions: values["no-exemptions"] === true,
          ...(kubeVersion !== undefined ? { kubeVersion } : {}),
          objects: read.objects,
          unreadable: read.unreadable,
          ...(read.context !== undefined ? { context: read.context } : {}),
          ...(read.namespace !== undefined ? { namespace: read.namespace } : {}),
          // A live cluster's listed namespaces hold every object (unless a kind was unreadable or
          // -l listed only some): references to missing objects are real. The flags win.
          ...(assumeComplete !== undefined
            ? { assumeComplete }
            : read.live
              ? { assumeComplete: read.unreadable.length === 0 && values.selector === undefined }
              : values.selector !== undefined
                ? { assumeComplete: false }
                : {}),
        }),
        configFile: resolved.file,
      }),
    );
  }
  let result: ScanResult;
  try {
    result = scan({
      ...scanOptions,
      stdin: io.readStdin,
      ...(progressWanted({ isTTY: io.errIsTTY === true, env: io.env, quiet: values.quiet === true })
        ? { onProgress: progress.scan }
        : {}),
    });
  } finally {
    progress.done();
  }
  return report({ ...result, configFile: resolved.file });

  function report(scanned: ScanResult): number {
    const r = baseline === undefined ? scanned : withBaseline(scanned, baseline);
    writeOutputs(r, outputs, values, io);
    // Input that was not checked at all outranks any verdict about the rest: exit 2, whatever
    // --fail-on or the rule selection says (the reports above still hold everything else).
    const inputErrors =
      r.summary.inputErrors ??
      r.findings.filter((f) => f.ruleId === "parse-error" || f.ruleId === "render-error").length;
    if (inputErrors > 0) {
      const names = r.inputErrorFiles ?? [
        ...new Set(
          r.findings
            .filter((f) => f.ruleId === "parse-error" || f.ruleId === "render-error")
            .map((f) => f.file ?? ""),
        ),
      ];
      const files = names.map((f) => escapeControl(f === "" ? "(input)" : f));
      const what = files.length === 1 ? "1 input" : `${files.length} inputs`;
      io.stderr(`kubeward: ${what} could not be read, parsed or rendered (${files.join(", ")}); exit 2\n`);
      return EXIT_ERROR;
    }
    if (values["fail-if-no-objects"] === true && r.summary.resources === 0) {
      io.stderr(
        "kubeward: no Kubernetes objects were found in the scanned paths (--fail-if-no-objects); exit 2\n",
      );
      return EXIT_ERROR;
    }
    const failOn: Severity = (failOnFlag as Severity | undefined) ?? r.config.failOn ?? "low";
    if (values["exit-zero"] === true) return EXIT_OK;
    return hasFailures(r, failOn) ? EXIT_FINDINGS : EXIT_OK;
  }
}

interface ClusterRead {
  objects: KObject[];
  unreadable: ReadProblem[];
  live: boolean;
  context?: string;
  namespace?: string;
}

/** The objects of `scan --cluster` (live) or `scan --snapshot`, in the scope of -n/-A/-l. */
async function readCluster(values: ClusterFlags & { snapshot?: string[] }, io: Io): Promise<ClusterRead> {
  if (values["all-namespaces"] === true && values.namespace !== undefined)
    throw new UsageError("-n/--namespace and -A/--all-namespaces exclude each other");
  if (values.selector !== undefined) parseLabelSelector(values.selector);
  const scope: Scope = values.selector !== undefined ? { selector: values.selector } : {};
  const snapshots = values.snapshot ?? [];
  if (snapshots.length > 0) {
    const objects = readSnapshots(snapshots, values, io);
    if (values.namespace !== undefined) scope.namespace = values.namespace;
    return {
      objects: inScope(objects, scope),
      unreadable: [],
      live: false,
      ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    };
  }
  const { readLiveCluster, SCAN_KINDS } = await import("../inputs/cluster-live.js");
  const live = await readLiveCluster({
    ...liveOptionsOf(values, io),
    kinds: SCAN_KINDS,
    customResources: false,
  });
  if (live.namespace !== undefined) scope.namespace = live.namespace;
  return {
    objects: inScope(live.objects, scope),
    unreadable: live.unreadable,
    live: true,
    context: live.context,
    ...(live.namespace !== undefined ? { namespace: live.namespace } : {}),
  };
}

/** Formats the result once per output: to stdout (colour on a terminal) or atomically to its file. */
export function writeOutputs(
  r: ScanResult,
  outputs: readonly { format: string; file: string | undefined }[],
  flags: { color?: boolean; "no-color"?: boolean },
  io: Io,
): void {
  const color =
    flags["no-color"] === true ? false : flags.color === true ? true : colorFromEnv(io.env, io.isTTY);
  for (const { format, file } of outputs) {
    const streamer = streamerFor(format);
    if (streamer === undefined) continue;
    const formatOptions = { color: file === undefined ? color : false, version: VERSION };
    // Reports are written piece by piece: a report of any size never has to fit in one string.
    if (file === undefined) streamer(r, formatOptions, io.stdout);
    else
      writeAtomic(resolve(io.cwd, file), (write) => {
        streamer(r, formatOptions, write);
      });
  }
}

/**
 * Colour when nothing on the command line says: NO_COLOR set to anything but "" turns it off
 * (no-color.org), FORCE_COLOR turns it on ("0" or "false" off, as Node reads it), else a terminal
 * gets colour and a pipe does not.
 */
export function colorFromEnv(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const noColor = env["NO_COLOR"];
  if (noColor !== undefined && noColor !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return isTTY;
}

function readBaseline(file: string, name: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read baseline ${name}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${name}: not JSON (${(err as Error).message})`);
  }
  const checked = checkBaseline(parsed);
  if (typeof checked === "string") throw new InputError(`${name}: ${checked}`);
  return checked;
}

/**
 * Write `file` through a temporary file and a rename, so a reader never sees half a report. A path
 * that is not a regular file (`-o /dev/null`, a FIFO, /dev/stdout) is written in place: renaming
 * over it would replace the device with a file.
 */
export function writeAtomic(
  file: string,
  content: string | ((write: (chunk: string) => void) => void),
): void {
  const produce =
    typeof content === "string"
      ? (write: (chunk: string) => void) => {
          write(content);
        }
      : content;
  let existing: ReturnType<typeof statSync>;
  try {
    existing = statSync(file, { throwIfNoEntry: false });
  } catch {
    existing = undefined; // the rename below reports why the path cannot be written
  }
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    let fd: number | undefined;
    try {
      fd = openSync(file, "w");
      const out = fd;
      produce((chunk) => writeSync(out, chunk));
    } catch (err) {
      throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return;
  }
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(tmp, "w");
    const out = fd;
    produce((chunk) => writeSync(out, chunk));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written (e.g. a file stands where a directory should be).
    }
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
