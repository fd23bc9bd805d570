import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { hasFailures, resolveConfig, scan, type Config, type HelmOptions } from "../api.js";
import { UsageError } from "../core/errors.js";
import { SEVERITIES, type Severity } from "../core/types.js";
import { ruleById } from "../rules/index.js";
import { FORMATTERS, FORMAT_NAMES } from "../report/index.js";
import { pairOutputs, parseArgs, usage } from "./args.js";
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import { VERSION } from "./version.js";

export const SCAN_HELP = `Usage: kubeward scan [PATH...] [flags]

Scans Kubernetes manifests: files and directories (recursive; .yaml, .yml, .json), or - for stdin.
Without a PATH, scans the current directory.

Flags:
      --format FORMAT      stylish|json|sarif|junit|github (repeatable; default stylish)
  -o, --output FILE        write the preceding --format to FILE instead of stdout
      --fail-on SEVERITY   exit 1 when a finding is at or above it: info|low|medium|high|critical (default low)
      --config FILE        config file (default: .kubeward.yaml found upward from the current directory)
      --no-config          use no config file
      --ignore GLOB        skip paths matching GLOB, relative to the current directory (repeatable)
      --enable RULE        turn a rule on (repeatable)
      --disable RULE       turn a rule off (repeatable)
      --no-exemptions      ignore every suppression annotation and config exemption (audits)
      --assume-complete    report references to objects missing from the scan in every namespace
      --no-assume-complete never report references to objects missing from the scan
                           (default: only where the scan looks complete; see docs/cross-object.md)
      --max-file-size N    skip files larger than N bytes with a finding (default 33554432)
      --color / --no-color force or disable colours in stylish output

Helm charts (directories with Chart.yaml, or .tgz), kustomize directories and GitOps objects
(Flux HelmRelease/Kustomization, Argo CD Application with a local path) are rendered and scanned:
  -f, --values FILE        values file for every chart (repeatable; later ones win)
      --set K=V            set a value (repeatable); also --set-string K=V, --set-file K=FILE
      --release-name NAME  release name (default release-name)
      --namespace NS       release namespace (default default)
      --kube-version V     Kubernetes version for Capabilities and kubeVersion checks
      --api-versions API   extra Capabilities.APIVersions (repeatable)
      --skip-schema-validation  do not validate values against values.schema.json
      --timeout SECONDS    limit for each helm/kustomize run (default 120)
  -h, --help               show this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage or input error.
`;

export function scanCommand(argv: readonly string[], io: Io): number {
  const { values, positionals, tokens } = usage(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        format: { type: "string", multiple: true },
        output: { type: "string", short: "o", multiple: true },
        "fail-on": { type: "string" },
        config: { type: "string" },
        "no-config": { type: "boolean" },
        ignore: { type: "string", multiple: true },
        enable: { type: "string", multiple: true },
        disable: { type: "string", multiple: true },
        "no-exemptions": { type: "boolean" },
        "assume-complete": { type: "boolean" },
        "no-assume-complete": { type: "boolean" },
        "max-file-size": { type: "string" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        values: { type: "string", short: "f", multiple: true },
        set: { type: "string", multiple: true },
        "set-string": { type: "string", multiple: true },
        "set-file": { type: "string", multiple: true },
        "release-name": { type: "string" },
        namespace: { type: "string" },
        "kube-version": { type: "string" },
        "api-versions": { type: "string", multiple: true },
        "skip-schema-validation": { type: "boolean" },
        timeout: { type: "string" },
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
  for (const id of [...(values.enable ?? []), ...(values.disable ?? [])]) {
    if (ruleById(id) === undefined) throw new UsageError(`unknown rule "${id}" (see: kubeward rules)`);
  }

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

  const paths = positionals.length > 0 ? positionals : ["."];
  const resolved = resolveConfig({
    cwd: io.cwd,
    ...(values["no-config"] === true
      ? { configFile: false as const }
      : values.config !== undefined
        ? { configFile: resolve(io.cwd, values.config) }
        : {}),
  });
  // Flags win over the config file.
  const config: Config = { ...resolved.config, rules: { ...resolved.config.rules } };
  for (const id of values.enable ?? []) config.rules[id] = { ...config.rules[id], enabled: true };
  for (const id of values.disable ?? []) config.rules[id] = { ...config.rules[id], enabled: false };
  const result = scan({
    paths,
    cwd: io.cwd,
    config,
    ignore: values.ignore ?? [],
    noExemptions: values["no-exemptions"] === true,
    ...(assumeComplete !== undefined ? { assumeComplete } : {}),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    stdin: io.readStdin,
    helm,
  });
  return report({ ...result, configFile: resolved.file });

  function report(r: ReturnType<typeof scan>): number {
    const color =
      values["no-color"] === true
        ? false
        : values.color === true
          ? true
          : io.isTTY && io.env["NO_COLOR"] === undefined;
    for (const { format, file } of outputs) {
      const formatter = FORMATTERS[format];
      if (formatter === undefined) continue;
      const text = formatter(r, { color: file === undefined ? color : false, version: VERSION });
      if (file === undefined) io.stdout(text);
      else writeAtomic(resolve(io.cwd, file), text);
    }
    // Exit 2 when rendering failed and nothing at all could be scanned.
    if (r.summary.resources === 0 && r.findings.some((f) => f.ruleId === "render-error")) return EXIT_ERROR;
    const failOn: Severity = (failOnFlag as Severity | undefined) ?? r.config.failOn ?? "low";
    return hasFailures(r, failOn) ? EXIT_FINDINGS : EXIT_OK;
  }
}

export function writeAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written (e.g. a file stands where a directory should be).
    }
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
