// Helm charts as input: render with the real `helm template` (offline, with a timeout, several
// charts at once), split the output by `# Source:` comments, parse each piece once, and give every
// resource a locator that points at the template line and values key (see helm-map.ts).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { isMap, isNode, isScalar, isSeq, LineCounter, parse as parseYamlValue, parseDocument } from "yaml";
import { notScanned, renderError } from "../core/builtin.js";
import { inputFinding } from "../core/findings.js";
import type { Finding, Path, Resource, SourceLoc, SourceLocator, ValuePart } from "../core/types.js";
import { DEFAULT_MAX_FILE_SIZE, displayName, type Loaded } from "./files.js";
import {
  align,
  indexDefines,
  indexTemplateFile,
  mapOrigin,
  otherAlignments,
  valuesSource,
  type ChartScope,
  type CommandLineSet,
  type Define,
  type Origin,
  type RenderedDoc,
  type TemplateText,
  type ValuesSource,
} from "./helm-map.js";
import { pickKubeVersion } from "./helm-kube-version.js";
import { unusedValueFindings, type ChartFacts, type ChartFile, type UserValues } from "./helm-unused.js";
import { runJobs, sizeText, type Job, type JobResult } from "./run.js";
import { readTgz } from "./tar.js";
import { cacheRoot, findHelm, NO_HELM, NO_NETWORK_ENV, type ToolEnv } from "./tools.js";
import { parseYaml } from "./yaml.js";
import { CLUSTER_SCOPED } from "../rules/security/default-namespace.js";

export const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/** Helm-named flags, applied to every chart found in the scanned paths. */
export interface HelmOptions {
  /** Values files (`-f`), relative to the scan root; later ones win. */
  values?: readonly string[];
  set?: readonly string[];
  setString?: readonly string[];
  setFile?: readonly string[];
  releaseName?: string;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: readonly string[];
  skipSchemaValidation?: boolean;
  /** Per helm/kustomize run. */
  timeoutMs?: number;
  /** Rendered output larger than this (the file-size limit) is refused and the tool killed. */
  maxOutputBytes?: number;
  /** Environment used to find the tools (PATH, cache dir); defaults to process.env. */
  env?: ToolEnv;
}

/** One chart to render: from the scanned tree, or from a GitOps object. */
export interface ChartInput {
  /** Absolute path of the chart directory or `.tgz`. */
  chart: string;
  releaseName?: string;
  namespace?: string;
  /**
   * Extra values documents (GitOps `values`, `valuesFrom`), lowest precedence first, before `-f`
   * files. `at` is where to point for a value set there, when the text is embedded in another file.
   */
  inlineValues?: {
    name: string;
    text: string;
    at?: { file: string; line: number };
    /** The exact place of a key of these values, when they are part of a scanned object. */
    keyAt?: (keys: readonly string[]) => SourceLoc | undefined;
  }[];
  /** Where a render error is reported instead of the chart (e.g. the HelmRelease). */
  reportAt?: SourceLoc;
  /** The GitOps object that asks for this release (`HelmRelease flux-system/app`), for findings. */
  origin?: string;
}

export function isChartDir(dir: string): boolean {
  return existsSync(join(dir, "Chart.yaml"));
}

export function isPackagedChart(file: string): boolean {
  if (!/\.tgz$|\.tar\.gz$/.test(file)) return false;
  try {
    if (statSync(file).size > 64 * 1024 * 1024) return false; // not a chart; not worth unpacking
    const files = readTgz(readFileSync(file));
    return [...files.keys()].some((k) => /^[^/]+\/Chart\.yaml$/.test(k));
  } catch {
    return false;
  }
}

export function helmEnv(env: ToolEnv): Record<string, string> {
  const home = join(cacheRoot(env), "helm-home");
  mkdirSync(home, { recursive: true });
  const out: Record<string, string> = {
    PATH: env["PATH"] ?? "",
    HOME: env["HOME"] ?? home,
    HELM_CACHE_HOME: join(home, "cache"),
    HELM_CONFIG_HOME: join(home, "config"),
    HELM_DATA_HOME: join(home, "data"),
    HELM_REPOSITORY_CONFIG: join(home, "config", "repositories.yaml"),
    HELM_REGISTRY_CONFIG: join(home, "config", "registry.json"),
    KUBECONFIG: join(home, "no-kubeconfig"),
    ...NO_NETWORK_ENV,
  };
  return out;
}

/**
 * Checks the helm flags before anything is rendered, so a bad one is one usage error naming the
 * flag (exit 2) rather than one render error per chart, or nothing when the tree holds no chart.
 * Returns the first problem, or undefined.
 */
export function helmFlagProblem(options: HelmOptions, cwd: string): string | undefined {
  for (const f of options.values ?? []) {
    const p = resolve(cwd, f);
    let st;
    try {
      st = statSync(p);
    } catch {
      return `-f/--values ${JSON.stringify(f)}: no such file`;
    }
    if (!st.isFile()) return `-f/--values ${JSON.stringify(f)}: not a regular file`;
  }
  if (options.kubeVersion !== undefined && !KUBE_VERSION_RE.test(options.kubeVersion))
    return `--kube-version ${JSON.stringify(options.kubeVersion)}: not a Kubernetes version (for example v1.30.0)`;
  for (const [flag, list] of setFlags(options)) {
    for (const s of list) {
      const bad = setProblem(s);
      if (bad !== undefined) return `${flag} ${JSON.stringify(s)}: ${bad}`;
      if (flag === "--set-file") {
        for (const a of splitAssignments(s)) {
          const file = a.slice(a.indexOf("=") + 1);
          if (!existsSync(resolve(cwd, file)))
            return `${flag} ${JSON.stringify(s)}: no such file ${JSON.stringify(file)}`;
        }
      }
    }
  }
  for (const a of options.apiVersions ?? [])
    if (!/^[\w.-]+(\/[\w.-]+)*(\/[A-Za-z]\w*)?$/.test(a))
      return `--api-versions ${JSON.stringify(a)}: not an API version (for example apps/v1 or monitoring.coreos.com/v1/ServiceMonitor)`;
  return undefined;
}

/** The command-line assignments by flag, in helm's order. */
function setFlags(options: HelmOptions): [flag: string, list: readonly string[]][] {
  return [
    ["--set", options.set ?? []],
    ["--set-string", options.setString ?? []],
    ["--set-file", options.setFile ?? []],
  ];
}

const KUBE_VERSION_RE = /^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** `a=1,b.c=2,list={x,y}` → its assignments (commas inside `{}` or escaped do not split). */
function splitAssignments(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? "";
    if (c === "\\" && i + 1 < s.length) {
      cur += c + (s[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") depth = Math.max(0, depth - 1);
    if (c === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** The largest list index helm's strvals parser accepts in `--set a[i]=v`. */
const MAX_SET_INDEX = 65536;

/** What helm's strvals parser would reject in one --set argument: a key without `=`, an empty key, a bad index. */
function setProblem(s: string): string | undefined {
  for (const a of splitAssignments(s)) {
    const eq = a.search(/(?<!\\)=/);
    if (eq === -1) return `${JSON.stringify(a)} has no "=" (use key=value)`;
    const key = a.slice(0, eq);
    if (key === "" || /(^|\.)(\.|$)/.test(key.replace(/\\\./g, "")))
      return `${JSON.stringify(a)} has an empty key`;
    for (const m of key.matchAll(/\[([^\]]*)\]([^.[]*)/g)) {
      const index = m[1] ?? "";
      if (!/^\d+$/.test(index))
        return `${JSON.stringify(a)}: list index ${JSON.stringify(index)} is not a number`;
      if (Number(index) > MAX_SET_INDEX)
        return `${JSON.stringify(a)}: list index ${index} is above helm's maximum of ${String(MAX_SET_INDEX)}`;
      if (m[2] !== undefined && m[2] !== "")
        return `${JSON.stringify(a)}: ${JSON.stringify(m[2])} after list index [${index}] (only ".", "[" or "=" may follow)`;
    }
  }
  return undefined;
}

/** How one chart is rendered on a retry: without schema validation, or with a chosen kube version. */
interface RenderTweaks {
  skipSchema: boolean;
  kubeVersion?: string;
}

function helmArgs(
  input: ChartInput,
  options: HelmOptions,
  cwd: string,
  inlineFiles: string[],
  tweaks: RenderTweaks,
): string[] {
  const args = [
    "template",
    input.releaseName ?? options.releaseName ?? "release-name",
    input.chart,
    "--namespace",
    input.namespace ?? options.namespace ?? "default",
  ];
  for (const f of inlineFiles) args.push("--values", f);
  for (const f of options.values ?? []) args.push("--values", resolve(cwd, f));
  for (const s of options.set ?? []) args.push("--set", s);
  for (const s of options.setString ?? []) args.push("--set-string", s);
  for (const s of options.setFile ?? []) args.push("--set-file", s);
  const kubeVersion = options.kubeVersion ?? tweaks.kubeVersion;
  if (kubeVersion !== undefined) args.push("--kube-version", kubeVersion);
  for (const a of options.apiVersions ?? []) args.push("--api-versions", a);
  if (tweaks.skipSchema) args.push("--skip-schema-validation");
  return args;
}

const KUBE_VERSION_ERROR =
  /chart requires kubeVersion: ([^\n]+?) which is incompatible with Kubernetes (v[\d.]+)/;

const SCHEMA_NEEDS_NETWORK =
  /meet the specifications of the schema[\s\S]*(?:https?:\/\/|proxyconnect|dial tcp)/;

/** Render the charts (in parallel) and add their resources and findings to `loaded`. */
export function renderCharts(
  inputs: readonly ChartInput[],
  options: HelmOptions,
  cwd: string,
  loaded: Loaded,
): void {
  if (inputs.length === 0) return;
  const env = options.env ?? process.env;
  const helm = findHelm(env);
  if (helm === undefined) {
    for (const input of inputs) loaded.findings.push(renderFinding(input, cwd, NO_HELM));
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), "kubeward-helm-"));
  try {
    const jobEnv = helmEnv(env);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    const inline = inputs.map((input, i) =>
      (input.inlineValues ?? []).map((v, j) => {
        const f = join(tmp, `values-${i}-${j}.yaml`);
        writeFileSync(f, v.text);
        return f;
      }),
    );
    const job = (i: number, tweaks: RenderTweaks): Job => ({
      command: helm.command,
      args: [...helm.prefix, ...helmArgs(inputs[i] as ChartInput, options, cwd, inline[i] ?? [], tweaks)],
      env: jobEnv,
      cwd,
      timeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_FILE_SIZE,
    });
    const tweaks: RenderTweaks[] = inputs.map(() => ({ skipSchema: options.skipSchemaValidation === true }));
    // Parse each chart's output as soon as helm finishes it, while the others still render; kept
    // per chart and merged in input order below, so the result does not depend on timing.
    const parts: (Loaded | undefined)[] = inputs.map(() => undefined);
    const parse = (i: number, r: JobResult) => {
      if (r.status !== 0) return;
      const part: Loaded = { resources: [], findings: [], skipped: 0, texts: new Map(), files: 0 };
      addRendered(inputs[i] as ChartInput, r.stdout, options, cwd, part);
      parts[i] = part;
    };
    const results: JobResult[] = runJobs(
      inputs.map((_, i) => job(i, tweaks[i] as RenderTweaks)),
      undefined,
      parse,
    );
    // Render again what failed for a reason kubeward can work around: a schema with remote $refs
    // (it needs the network) without schema validation; a chart whose kubeVersion excludes helm's
    // default Kubernetes version (and no --kube-version was given) with the newest one it allows.
    // Each workaround is tried once and announced with a notice.
    for (let round = 0; round < 2; round++) {
      const retry: number[] = [];
      results.forEach((r, i) => {
        if (r.status === 0) return;
        const t = tweaks[i] as RenderTweaks;
        const input = inputs[i] as ChartInput;
        if (!t.skipSchema && SCHEMA_NEEDS_NETWORK.test(r.stderr)) {
          t.skipSchema = true;
          retry.push(i);
          loaded.findings.push(
            inputFinding(
              notScanned,
              "notice",
              {
                detail: `${chartName(input, cwd)}: values.schema.json refers to remote schemas (kubeward never uses the network), so the chart was rendered with --skip-schema-validation`,
              },
              chartLoc(input, cwd),
              {
                remediation:
                  "Vendor the remote schemas into the chart and refer to them by relative path, so the values are validated offline; or accept that they were not.",
              },
            ),
          );
          return;
        }
        const kube = KUBE_VERSION_ERROR.exec(r.stderr);
        if (kube === null || options.kubeVersion !== undefined || t.kubeVersion !== undefined) return;
        const picked = pickKubeVersion(kube[1] ?? "", kube[2] ?? "");
        if (picked === undefined) return;
        t.kubeVersion = picked;
        retry.push(i);
        loaded.findings.push(
          inputFinding(
            notScanned,
            "notice",
            {
              detail: `${chartName(input, cwd)}: kubeVersion ${JSON.stringify(kube[1])} excludes helm's default Kubernetes ${kube[2] ?? ""}, so the chart was rendered with --kube-version ${picked}, the newest Kubernetes minor it allows (pass --kube-version to choose another)`,
            },
            chartFieldLoc(input, cwd, ["kubeVersion"]),
            {
              remediation:
                "Pass --kube-version with the Kubernetes version the chart is deployed to, so it renders as it will there.",
            },
          ),
        );
      });
      if (retry.length === 0) break;
      const again = runJobs(
        retry.map((i) => job(i, tweaks[i] as RenderTweaks)),
        undefined,
        (k, r) => {
          parse(retry[k] as number, r);
        },
      );
      retry.forEach((i, k) => {
        const r = again[k];
        if (r !== undefined) results[i] = r;
      });
    }
    results.forEach((r, i) => {
      const part = parts[i];
      if (r.status !== 0 || part === undefined) {
        loaded.findings.push(
          failureFinding(
            inputs[i] as ChartInput,
            r,
            cwd,
            timeoutMs,
            options.maxOutputBytes ?? DEFAULT_MAX_FILE_SIZE,
            inline[i] ?? [],
          ),
        );
        return;
      }
      const input = inputs[i] as ChartInput;
      const namespace = input.namespace ?? options.namespace;
      const release = input.origin ?? `release ${input.releaseName ?? options.releaseName ?? "release-name"}`;
      for (const res of part.resources) {
        if (namespace === undefined) res.defaultedNamespace = "default";
        // helm install puts namespaced objects without a namespace into the release's namespace.
        else if (res.ref.namespace === undefined && !CLUSTER_SCOPED.has(res.ref.kind))
          res.ref = { ...res.ref, namespace };
        if (input.origin !== undefined || namespace !== undefined) res.release = release;
        loaded.resources.push(res);
      }
      loaded.findings.push(...part.findings);
      loaded.skipped += part.skipped;
      loaded.files += part.files;
      for (const [k, v] of part.texts) loaded.texts.set(k, v);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function chartName(input: ChartInput, cwd: string): string {
  return displayName(cwd, input.chart);
}
function chartLoc(input: ChartInput, cwd: string): SourceLoc {
  if (input.reportAt !== undefined) return input.reportAt;
  const file = statSync(input.chart).isDirectory() ? join(input.chart, "Chart.yaml") : input.chart;
  return { file: displayName(cwd, file), line: 1, column: 1 };
}
/** The chart's own Chart.yaml, when the chart is a directory. */
function chartYaml(input: ChartInput): string | undefined {
  try {
    return statSync(input.chart).isDirectory() ? join(input.chart, "Chart.yaml") : undefined;
  } catch {
    return undefined;
  }
}

/** A key of Chart.yaml (`kubeVersion:`), else where the chart is reported. */
function chartFieldLoc(input: ChartInput, cwd: string, path: readonly (string | number)[]): SourceLoc {
  const file = chartYaml(input);
  const at = file === undefined ? undefined : yamlLoc(file, path);
  return at === undefined || file === undefined
    ? chartLoc(input, cwd)
    : { file: displayName(cwd, file), ...at };
}

/** The entry of a missing dependency under `dependencies:` (Chart.yaml, or requirements.yaml of v1 charts). */
function dependencyLoc(input: ChartInput, cwd: string, name: string): SourceLoc {
  const dir = chartYaml(input) === undefined ? undefined : input.chart;
  for (const f of dir === undefined ? [] : ["Chart.yaml", "requirements.yaml"]) {
    const file = join(dir ?? "", f);
    let deps: unknown;
    try {
      deps = (parseYamlValue(readFileSync(file, "utf8")) as { dependencies?: unknown } | null)?.dependencies;
    } catch {
      continue;
    }
    if (!Array.isArray(deps)) continue;
    const i = (deps as unknown[]).findIndex((d) => {
      const { name: n, alias } = (d ?? {}) as { name?: unknown; alias?: unknown };
      return alias === name || n === name;
    });
    const at = i === -1 ? undefined : yamlLoc(file, ["dependencies", i]);
    if (at !== undefined) return { file: displayName(cwd, file), ...at };
  }
  return chartLoc(input, cwd);
}

/** Line and column of a key (or list item) in a small YAML file; undefined when it is not there. */
function yamlLoc(
  file: string,
  path: readonly (string | number)[],
): { line: number; column: number } | undefined {
  try {
    const text = readFileSync(file, "utf8");
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair === undefined) return undefined;
        offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
        offset = isNode(node) ? node.range?.[0] : undefined;
      } else return undefined;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  } catch {
    return undefined;
  }
}

function renderFinding(input: ChartInput, cwd: string, detail: string): Finding {
  return inputFinding(renderError, "helm", { detail }, chartLoc(input, cwd));
}

function failureFinding(
  input: ChartInput,
  r: JobResult,
  cwd: string,
  timeoutMs: number,
  maxBytes: number,
  inlineFiles: readonly string[],
): Finding {
  if (r.tooLarge === true)
    return renderFinding(
      input,
      cwd,
      `the rendered output is over the ${sizeText(maxBytes)} file-size limit (raise it with --max-file-size)`,
    );
  if (r.timedOut)
    return renderFinding(
      input,
      cwd,
      `helm did not finish within ${timeoutMs / 1000}s (raise it with --timeout)`,
    );
  const stderr = r.stderr
    .replace(/^Error: /m, "")
    .replace(/\n?Use --debug flag to render out invalid YAML\s*$/, "")
    .trim();
  const dep = /missing in charts\/ directory: ([^\n]+)/.exec(stderr);
  if (dep?.[1] !== undefined) {
    const name = dep[1].trim();
    // helm joins several missing ones with ", ": point at the first one's entry.
    const first = name.split(/,\s*/)[0] ?? name;
    return inputFinding(
      renderError,
      "missingDependency",
      { name, chart: chartName(input, cwd) },
      dependencyLoc(input, cwd, first),
    );
  }
  const kube = KUBE_VERSION_ERROR.exec(stderr);
  if (kube?.[1] !== undefined) {
    const picked = pickKubeVersion(kube[1], kube[2] ?? "");
    const hint =
      picked !== undefined ? ` --kube-version ${picked}` : " --kube-version with a version that satisfies it";
    return inputFinding(
      renderError,
      "helm",
      { detail: `${stderr}; pass${hint}` },
      chartFieldLoc(input, cwd, ["kubeVersion"]),
    );
  }
  // Point at the template or values file helm names, when it does.
  let at = chartLoc(input, cwd);
  const loc = /(?:template: |error at \(|parse error at \()([^\s:()]+):(\d+)(?::(\d+))?/.exec(stderr);
  if (loc?.[1] !== undefined && input.reportAt === undefined && statSync(input.chart).isDirectory()) {
    const file = join(input.chart, loc[1].split("/").slice(1).join("/"));
    if (existsSync(file))
      at = { file: displayName(cwd, file), line: Number(loc[2]), column: Number(loc[3] ?? 1) };
  }
  // `failed to parse f.yaml: ... yaml: line 3: ...`: the values file's own line.
  const values = /failed to parse (\S+?):(?:[^\n]*?\byaml: line (\d+):)?/.exec(stderr);
  if (values?.[1] !== undefined) {
    const line = values[2] !== undefined ? Number(values[2]) : 1;
    const inline = inlineFiles.indexOf(values[1]);
    const embedded = inline === -1 ? undefined : input.inlineValues?.[inline];
    // Embedded values are a block scalar (`values: |`): the text starts on the line after the key.
    if (embedded?.at !== undefined) at = { file: embedded.at.file, line: embedded.at.line + line, column: 1 };
    else if (embedded !== undefined && existsSync(resolve(cwd, embedded.name)))
      at = { file: embedded.name, line, column: 1 }; // an Argo CD valueFiles entry
    else if (inline === -1 && existsSync(values[1]))
      at = { file: displayName(cwd, values[1]), line, column: 1 };
  }
  // GitOps values were handed to helm as temporary files: name them as the user knows them.
  let text = stderr;
  inlineFiles.forEach((f, j) => {
    text = text.split(f).join(input.inlineValues?.[j]?.name ?? f);
  });
  const detail =
    text === "" ? `helm exited with ${String(r.status)}` : text.split(`${resolve(cwd)}/`).join("");
  return inputFinding(renderError, "helm", { detail }, at);
}

/** A chart's files by helm's source path (`chart/templates/x.yaml`), for the mapper. */
interface ChartTree {
  texts: Map<string, TemplateText>;
  /** values.yaml by chart source prefix (`top`, `top/charts/sub`). */
  values: Map<string, ValuesSource>;
  defines: Map<string, Define>;
  /** The chart's other text files by chart source prefix (Chart.yaml, values.schema.json, files a `tpl` may render). */
  others: Map<string, ChartFile[]>;
  /** Some of those files were too many or too large to read. */
  othersIncomplete?: boolean;
}

const WANTED = /^(?:templates\/.*\.(?:ya?ml|tpl|txt|json)|values\.yaml|Chart\.yaml)$/;
/** Other files worth reading for the values a chart reads (small text files outside templates/, crds/ and charts/). */
const OTHER =
  /^(?!charts\/|crds\/|\.)(?:[^/]+\/)*[^/]+(?<!\.md)\.(?:ya?ml|json|tpl|txt|conf|cfg|ini|toml|properties|gotmpl|tmpl|j2|sh|lua|xml)$/;
const OTHER_MAX_BYTES = 256 * 1024;
/** values.schema.json files of real charts reach a few hundred KiB. */
const maxOtherBytes = (rel: string) =>
  rel.endsWith("values.schema.json") ? 4 * 1024 * 1024 : OTHER_MAX_BYTES;
const OTHER_MAX_FILES = 2000;
const OTHER_MAX_TOTAL = 16 * 1024 * 1024;

function loadTree(chart: string, cwd: string): ChartTree {
  const tree: ChartTree = { texts: new Map(), values: new Map(), defines: new Map(), others: new Map() };
  let otherCount = 0;
  let otherBytes = 0;
  const add = (source: string, rel: string, name: string, text: string) => {
    if (!WANTED.test(rel) || rel === "Chart.yaml") {
      otherBytes += text.length;
      if (
        otherCount++ < OTHER_MAX_FILES &&
        text.length <= maxOtherBytes(rel) &&
        otherBytes <= OTHER_MAX_TOTAL
      ) {
        const list = tree.others.get(source) ?? [];
        list.push({ rel, text });
        tree.others.set(source, list);
      } else tree.othersIncomplete = true;
      return;
    }
    if (rel === "values.yaml") {
      const v = valuesSource(name, text);
      if (v !== undefined) tree.values.set(source, v);
    } else if (rel.startsWith("templates/")) {
      const t: TemplateText = { name, lines: text.split("\n") };
      tree.texts.set(`${source}/${rel}`, t);
      indexDefines(t, tree.defines);
      indexTemplateFile(`${source}/${rel}`, t, tree.defines);
    }
  };
  // Files of a packaged chart, keyed `<strip><chart>/...`; `as` gives the names helm uses for it
  // (its aliases in the parent); nested packaged charts stay unmapped.
  const fromFilesUnder = (
    files: Map<string, Buffer>,
    display: string,
    strip: string,
    as: (name: string) => string[] = (n) => [n],
  ) => {
    for (const [k, v] of files) {
      const rest = k.slice(strip.length); // `<name>/templates/x.yaml`
      const slash = rest.indexOf("/");
      if (slash === -1) continue;
      const rel = rest.slice(slash + 1);
      if (!WANTED.test(rel) && !OTHER.test(rel)) continue;
      for (const name of as(rest.slice(0, slash)))
        add(`${strip}${name}`, rel, `${display}/${rest}`, v.toString("utf8"));
    }
  };
  if (statSync(chart).isDirectory()) {
    const walkChart = (dir: string, source: string) => {
      const aliases = dependencyAliases(dir);
      const as = (name: string) => aliases.get(name) ?? [name];
      const walk = (d: string, rel: string) => {
        let entries;
        try {
          entries = readdirSync(d, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const r = rel === "" ? e.name : `${rel}/${e.name}`;
          const full = join(d, e.name);
          if (e.isDirectory()) {
            if (r === "templates" || r.startsWith("templates/")) walk(full, r);
            else if (r === "charts") walk(full, r);
            else if (!r.startsWith("charts/") && r !== "crds" && !e.name.startsWith(".")) {
              if (otherCount < OTHER_MAX_FILES) walk(full, r);
              else tree.othersIncomplete = true;
            } else if (/^charts\/[^/]+$/.test(r) && existsSync(join(full, "Chart.yaml"))) {
              const name = chartNameOf(readFileSync(join(full, "Chart.yaml"))) ?? e.name;
              for (const a of as(name)) walkChart(full, `${source}/charts/${a}`);
            }
          } else if (/^charts\/[^/]+\.tgz$/.test(r)) {
            try {
              const files = readTgz(readFileSync(full));
              const prefixed = new Map<string, Buffer>();
              for (const [k, v] of files) prefixed.set(`${source}/charts/${k}`, v);
              fromFilesUnder(prefixed, displayName(cwd, full), `${source}/charts/`, as);
            } catch {
              // keep going without this subchart's mapping
            }
          } else if (WANTED.test(r)) {
            add(source, r, displayName(cwd, full), readFileSync(full, "utf8"));
          } else if (OTHER.test(r) && otherCount < OTHER_MAX_FILES && e.isFile()) {
            // Only the values-key analysis wants these: an unreadable one must not cost the mapping.
            try {
              if (statSync(full).size <= maxOtherBytes(r))
                add(source, r, displayName(cwd, full), readFileSync(full, "utf8"));
              else tree.othersIncomplete = true;
            } catch {
              tree.othersIncomplete = true;
            }
          } else if (OTHER.test(r)) tree.othersIncomplete = true;
        }
      };
      walk(dir, "");
    };
    walkChart(chart, chartNameOf(readFileSync(join(chart, "Chart.yaml"))) ?? basename(chart));
  } else {
    fromFilesUnder(readTgz(readFileSync(chart)), displayName(cwd, chart), "");
  }
  return tree;
}

/** A chart's templates, values and other files, for the values-key analysis (helm-unused.ts). */
export function chartFacts(chart: string, cwd: string): ChartFacts {
  const tree = loadTree(chart, cwd);
  return factsOf(tree);
}

function factsOf(tree: ChartTree): ChartFacts {
  return {
    templates: tree.texts,
    values: tree.values,
    others: tree.others,
    ...(tree.othersIncomplete === true ? { incomplete: true } : {}),
  };
}

/** Dependency name → the aliases it is used under (Chart.yaml, or requirements.yaml for apiVersion v1). */
function dependencyAliases(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of ["Chart.yaml", "requirements.yaml"]) {
    let deps: unknown;
    try {
      deps = (parseYamlValue(readFileSync(join(dir, f), "utf8")) as { dependencies?: unknown } | null)
        ?.dependencies;
    } catch {
      continue;
    }
    if (!Array.isArray(deps)) continue;
    for (const d of deps as unknown[]) {
      const { name, alias } = (d ?? {}) as { name?: unknown; alias?: unknown };
      if (typeof name !== "string" || typeof alias !== "string") continue;
      out.set(name, [...(out.get(name) ?? []), alias]);
    }
  }
  return out;
}

function chartNameOf(buf: Buffer | undefined): string | undefined {
  if (buf === undefined) return undefined;
  try {
    const v = parseYamlValue(buf.toString("utf8")) as { name?: unknown } | null;
    return typeof v?.name === "string" ? v.name : undefined;
  } catch {
    return undefined;
  }
}

/** The keys each command-line assignment sets (`a.b[0]=x,c=y` → `a.b.0`, `c`), for the values mapping. */
export function commandLineSets(options: HelmOptions): CommandLineSet[] {
  const out: CommandLineSet[] = [];
  for (const [flag, list] of setFlags(options)) {
    for (const s of list) {
      for (const a of splitAssignments(s)) {
        const eq = a.search(/(?<!\\)=/);
        if (eq <= 0) continue;
        const keys = a
          .slice(0, eq)
          .split(/(?<!\\)\./)
          .flatMap((k) => k.replace(/\\\./g, ".").split(/\[(\d+)\]/))
          .filter((k) => k !== "");
        out.push({ text: `${flag} ${a}`, keys });
      }
    }
  }
  return out;
}

function scopeFor(
  source: string,
  tree: ChartTree,
  userValues: ValuesSource[],
  sets: CommandLineSet[],
): ChartScope {
  const parts = source.split("/charts/");
  const chain: string[] = [];
  for (let i = 0; i < parts.length; i++) chain.push(parts.slice(0, i + 1).join("/charts/"));
  const keyPrefix = parts.slice(1);
  const values: ChartScope["values"] = userValues.map((source) => ({ source, prefix: keyPrefix }));
  chain.forEach((c, i) => {
    const v = tree.values.get(c);
    if (v !== undefined) values.push({ source: v, prefix: parts.slice(i + 1) });
  });
  return { keyPrefix, values, sets };
}

function addRendered(
  input: ChartInput,
  stdout: string,
  options: HelmOptions,
  cwd: string,
  loaded: Loaded,
): void {
  let tree: ChartTree;
  try {
    tree = loadTree(input.chart, cwd);
  } catch {
    tree = { texts: new Map(), values: new Map(), defines: new Map(), others: new Map() };
  }
  const sets = commandLineSets(options);
  const userValues: ValuesSource[] = [];
  const userDocs: UserValues[] = [];
  for (const f of [...(options.values ?? [])].reverse()) {
    try {
      const full = resolve(cwd, f);
      const v = valuesSource(displayName(cwd, full), readFileSync(full, "utf8"));
      if (v !== undefined) userValues.push(v);
      if (v !== undefined) userDocs.push({ source: v });
    } catch {
      // helm already read it; without it only the values mapping is poorer
    }
  }
  for (const v of [...(input.inlineValues ?? [])].reverse()) {
    const s = valuesSource(v.name, v.text);
    if (s === undefined) continue;
    const source = v.at === undefined ? s : { ...s, at: v.at };
    userValues.push(source);
    userDocs.push(v.keyAt === undefined ? { source } : { source, keyAt: v.keyAt });
  }
  loaded.findings.push(
    ...unusedValueFindings(factsOf(tree), userDocs, sets, chartName(input, cwd), chartLoc(input, cwd)),
  );
  // Code frames may show any template (named templates live in _helpers.tpl and the like).
  for (const t of tree.texts.values())
    if (!loaded.texts.has(t.name)) loaded.texts.set(t.name, t.lines.join("\n"));
  const chartDisplay = chartName(input, cwd);
  const docCounts = new Map<string, number>();
  for (const chunk of splitBySource(stdout)) {
    const template = tree.texts.get(chunk.source);
    const file = template?.name ?? `${chartDisplay}:${chunk.source}`;
    const chartSource = chunk.source.replace(/\/templates\/.*$|\/crds\/.*$/, "");
    if (template !== undefined) loaded.texts.set(file, template.lines.join("\n"));
    else loaded.texts.set(file, chunk.text);
    const parsed = parseYaml(chunk.text, file);
    const out = chunk.text.split("\n");
    const doc: RenderedDoc = {
      template,
      out,
      scope: scopeFor(chartSource, tree, userValues, sets),
      ctx: { defines: tree.defines, basePath: `${chartSource}/templates` },
    };
    let alignment: Int32Array | undefined;
    const getAlignment = () => (alignment ??= align(template?.lines ?? [], out, true));
    let others: Int32Array[] | undefined;
    const getOthers = () => (others ??= otherAlignments(template?.lines ?? [], out, getAlignment()));
    for (const r of parsed.resources) {
      const n = docCounts.get(file) ?? 0;
      docCounts.set(file, n + 1);
      loaded.resources.push(wrap(r, doc, getAlignment, getOthers, n));
    }
    for (const f of parsed.findings) loaded.findings.push(f);
    loaded.skipped += parsed.skipped;
  }
  loaded.files++;
}

function wrap(
  r: Resource,
  doc: RenderedDoc,
  getAlignment: () => Int32Array,
  getOthers: () => Int32Array[],
  docIndex: number,
): Resource {
  const inner = r.source;
  const lineOf = (p: Path) => {
    const l = inner.locate(p);
    return { line: l.loc.line, exact: l.exact };
  };
  const cache = new Map<string, ReturnType<typeof mapOrigin>>();
  const origin = (path: Path, part?: ValuePart) => {
    const key = `${JSON.stringify(path)}${part ?? ""}`;
    if (!cache.has(key)) cache.set(key, unambiguousOrigin(doc, getAlignment, getOthers, path, lineOf, part));
    return cache.get(key);
  };
  const source: SourceLocator = {
    locate(path) {
      const l = inner.locate(path);
      const o = doc.template === undefined ? undefined : origin(path);
      if (o === undefined) return l;
      return {
        loc: { file: o.template.file, line: o.template.line, column: o.template.column },
        exact: l.exact,
      };
    },
    origin(path, part) {
      return origin(path, part);
    },
  };
  return { ...r, file: doc.template?.name ?? r.file, docIndex, source };
}

/**
 * mapOrigin's answer, without its values key when another document of the template that writes
 * the same lines (see otherAlignments) would have given another one (or none): which of them
 * wrote the object is not known, so neither key is.
 */
function unambiguousOrigin(
  doc: RenderedDoc,
  getAlignment: () => Int32Array,
  getOthers: () => Int32Array[],
  path: Path,
  lineOf: (p: Path) => { line: number; exact: boolean },
  part: ValuePart | undefined,
): Origin | undefined {
  const o = mapOrigin(doc, getAlignment(), path, lineOf, 0, part);
  if (o === undefined || (o.values === undefined && o.template.valuesUnknown !== undefined)) return o;
  for (const alignment of getOthers()) {
    const other = mapOrigin(doc, alignment, path, lineOf, 0, part);
    if (other?.values?.path === o.values?.path) continue;
    const lines = [o.template.line, other?.template.line].filter((l) => l !== undefined).join(" and ");
    return {
      template: {
        ...o.template,
        valuesUnknown: `lines ${lines} of the template write the same lines in different documents (a second \`range\` loop): which of them wrote this object, and so its values key, is not known`,
      },
    };
  }
  return o;
}

/** Split `helm template` output into the pieces each `# Source:` comment introduces. */
export function splitBySource(stdout: string): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  const lines = stdout.split("\n");
  let current: { source: string; lines: string[] } | undefined;
  for (const line of lines) {
    const m = /^# Source: (.+?)\s*$/.exec(line);
    if (m?.[1] !== undefined) {
      if (current !== undefined) out.push({ source: current.source, text: trimSeparator(current.lines) });
      current = { source: m[1], lines: [line] };
    } else if (current !== undefined) {
      current.lines.push(line);
    }
  }
  if (current !== undefined) out.push({ source: current.source, text: trimSeparator(current.lines) });
  return out;
}

function trimSeparator(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] === "" || lines[end - 1] === "---")) end--;
  return lines.slice(0, end).join("\n") + "\n";
}
