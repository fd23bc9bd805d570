// `kubeward fix`: argv → fix() → diff or JSON. All the work is in src/api.ts and src/fix.
import { fix, resolveConfig, type Config } from "../api.js";
import { UsageError } from "../core/errors.js";
import { ruleById } from "../rules/index.js";
import { configFileOption, parseArgs, usage } from "./args.js";
import { EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";
import { helmFlagProblem, type HelmOptions } from "../inputs/helm.js";

export const FIX_HELP = `Usage: kubeward fix [PATH...] [flags]

Fixes findings in Kubernetes manifests with minimal text edits: comments, key order, quoting and
formatting outside the changed lines stay as they were. Every fix is verified before it is offered
(the text parses, the object changed only at the fix's paths and still validates, the finding is
gone and no new one appeared); a fix that fails is reported as "not fixable automatically".
Without --write, prints a unified diff and changes nothing.

Flags:
      --write              write the fixed files (atomically; refuses a file changed since it was read)
      --unsafe             also apply unsafe fixes (hardening that can break an app, e.g. readOnlyRootFilesystem)
      --rule ID            only fix findings of this rule (repeatable)
      --keep C:FIELD       leave FIELD of container C alone (C may be *; repeatable), e.g. cilium:securityContext.capabilities
      --format FORMAT      diff|json (default diff)

Helm charts (rendered with real helm, offline, as scan does) are fixed through their values: each
fix on a rendered object becomes a values key, and the override is verified by rendering again and
scanning (the findings are gone, no new one, nothing else changed). What values cannot reach gets a
proposed template patch (literal YAML lines only).
      --values-out FILE    write the chart's values override to FILE (one chart; an existing FILE is extended)
      --patch-templates    apply the template patches too (verified by rendering; written with --write)
  -f, --values FILE        values file for the chart (repeatable; the override comes after them)
      --set K=V            helm --set (repeatable)
      --release-name NAME  release name (default release-name)
      --namespace NS       release namespace
      --kube-version V     Kubernetes version for the render

Kustomizations are fixed through a strategic-merge patch file in the overlay (verified by building
again); a base that a found overlay uses is left alone unless it is named itself.
      --patch-out FILE     write the overlay's patch to FILE (new, inside the one kustomization) and list it under patches:
      --config FILE        config file (default: .kubeward.yaml found upward); its fix.keep and fix.defaults apply
      --no-config          use no config file
      --ignore GLOB        skip paths matching GLOB (repeatable)
      --no-exemptions      ignore suppression annotations and config exemptions
  -h, --help               show this help

Exit codes: 0 nothing left to fix (or written), 1 fixes were proposed but not written, 2 usage or input error.

Examples:
  kubeward fix k8s/                                # show the safe fixes as a diff
  kubeward fix k8s/ --write                        # apply them
  kubeward fix k8s/ --rule run-as-non-root --unsafe --write
  kubeward fix k8s/ --keep 'cilium:securityContext.capabilities' --format json
`;

export function fixCommand(argv: readonly string[], io: Io): number {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        write: { type: "boolean" },
        unsafe: { type: "boolean" },
        rule: { type: "string", multiple: true },
        keep: { type: "string", multiple: true },
        format: { type: "string" },
        config: { type: "string" },
        "no-config": { type: "boolean" },
        ignore: { type: "string", multiple: true },
        "no-exemptions": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        "values-out": { type: "string" },
        "patch-templates": { type: "boolean" },
        "patch-out": { type: "string" },
        values: { type: "string", short: "f", multiple: true },
        set: { type: "string", multiple: true },
        "release-name": { type: "string" },
        namespace: { type: "string" },
        "kube-version": { type: "string" },
      },
    }),
  );
  if (values.help === true) {
    io.stdout(FIX_HELP);
    return EXIT_OK;
  }
  const format = values.format ?? "diff";
  if (format !== "diff" && format !== "json")
    throw new UsageError(`--format must be diff or json, not "${format}"`);
  for (const id of values.rule ?? []) {
    const rule = ruleById(id);
    if (rule === undefined) throw new UsageError(`unknown rule "${id}" (see: kubeward rules)`);
    if (rule.meta.fix === "none") throw new UsageError(`rule "${id}" has no automatic fix`);
  }
  const config: Config = resolveConfig(configFileOption(values, io.cwd)).config;
  const helm: HelmOptions = {
    values: values.values ?? [],
    set: values.set ?? [],
    ...(values["release-name"] !== undefined ? { releaseName: values["release-name"] } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values["kube-version"] !== undefined ? { kubeVersion: values["kube-version"] } : {}),
  };
  const helmProblem = helmFlagProblem(helm, io.cwd);
  if (helmProblem !== undefined) throw new UsageError(helmProblem);
  const result = fix({
    paths: positionals.length > 0 ? positionals : ["."],
    cwd: io.cwd,
    config,
    ignore: values.ignore ?? [],
    noExemptions: values["no-exemptions"] === true,
    stdin: io.readStdin,
    unsafe: values.unsafe === true,
    keep: values.keep ?? [],
    write: values.write === true,
    helm,
    ...(values["values-out"] !== undefined ? { valuesOut: values["values-out"] } : {}),
    ...(values["patch-templates"] === true ? { patchTemplates: true } : {}),
    ...(values["patch-out"] !== undefined ? { patchOut: values["patch-out"] } : {}),
    ...(values.rule !== undefined ? { onlyRules: values.rule } : {}),
  });
  if (format === "json") {
    io.stdout(
      JSON.stringify(
        {
          applied: result.applied,
          notFixed: result.unfixed,
          written: result.written,
          notHandled: result.notHandled,
          charts: result.charts,
          kustomizations: result.kustomizations,
          passes: result.passes,
          findingsBefore: result.findingsBefore,
          findingsAfter: result.findingsAfter,
          diff: result.diff,
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    io.stdout(result.diff);
    const notes = [
      ...result.unfixed
        .filter((u) => u.status !== "skipped")
        .map((u) => `${u.file}:${String(u.line)}:${String(u.column)} ${u.ruleId}: ${u.reason}`),
      ...result.notHandled.map((n) => `${n.path}: not fixed: ${n.reason}`),
    ];
    const skipped = result.unfixed.filter((u) => u.status === "skipped").length;
    const summary =
      `kubeward fix: ${String(result.applied.length)} fix(es) ${values.write === true ? "written" : "proposed"}` +
      ` in ${String(result.files.length)} file(s); ${String(notes.length)} finding(s) not fixable automatically` +
      (skipped > 0 ? `; ${String(skipped)} skipped (unsafe without --unsafe, kept, or not selected)` : "") +
      "\n";
    const wrote = result.written.map((w) => `wrote ${w}\n`).join("");
    io.stderr(notes.map((n) => n + "\n").join("") + wrote + summary);
  }
  // Proposed but not written: manifest edits and template patches without --write, values
  // fixes without --values-out.
  const unwritten =
    values.write === true ? 0 : result.files.length + result.charts.reduce((n, c) => n + c.patches.length, 0);
  const valuesPending =
    (values["values-out"] === undefined ? result.charts.reduce((n, c) => n + c.valuesFixes.length, 0) : 0) +
    (values["patch-out"] === undefined ? result.kustomizations.reduce((n, k) => n + k.fixes.length, 0) : 0);
  return unwritten + valuesPending > 0 ? EXIT_FINDINGS : EXIT_OK;
}
