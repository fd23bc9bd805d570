// Paths → YAML/JSON files → resources. Directories are walked recursively; `.git` and
// `node_modules` are skipped, and so is anything matching an ignore glob.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { parseError } from "../core/builtin.js";
import { InputError } from "../core/errors.js";
import { inputFinding } from "../core/findings.js";
import type { Finding, Resource } from "../core/types.js";
import { CONFIG_NAMES } from "./config-file.js";
import { parseYaml } from "./yaml.js";

export const DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024;
const EXTENSIONS = [".yaml", ".yml", ".json"];
const SKIP_DIRS = new Set([".git", "node_modules"]);

export interface LoadOptions {
  /** Scan root: file names in findings are relative to it. */
  cwd: string;
  ignore?: readonly string[];
  maxFileSize?: number;
  /** Text read from stdin when a path is `-`. */
  stdin?: () => string;
}

export interface Loaded {
  resources: Resource[];
  findings: Finding[];
  skipped: number;
  /** File texts by display name, for code frames. */
  texts: Map<string, string>;
  files: number;
}

export function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

export function displayName(cwd: string, file: string): string {
  const rel = toPosix(relative(cwd, file));
  return rel === "" ? "." : rel;
}

/** Inputs that are rendered rather than read: chart directories, `.tgz` files, kustomize directories. */
export interface RenderInputs {
  charts: string[];
  packaged: string[];
  kustomizations: string[];
}

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** The chart whose templates/ or charts/ hold `path` (nearest ancestor with Chart.yaml). */
function chartOwning(path: string): string | undefined {
  let dir = dirname(path);
  for (;;) {
    if (existsSync(join(dir, "Chart.yaml"))) {
      const top = relative(dir, path).split(sep)[0];
      return top === "templates" || top === "charts" ? dir : undefined;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Expand the given paths into the files to read, in a stable order. With `found`, a directory with
 * Chart.yaml is a chart (none of its files are read as plain YAML), one with a kustomization is
 * built (its YAML files are its inputs, not read plainly), and `.tgz` files are chart candidates.
 */
export function listFiles(
  paths: readonly string[],
  options: LoadOptions,
  found?: RenderInputs,
  /** Where an unreadable directory met while walking is reported (else it is an InputError). */
  problems?: Finding[],
): string[] {
  const isIgnored =
    options.ignore && options.ignore.length > 0 ? picomatch([...options.ignore], { dot: true }) : () => false;
  const out: string[] = [];
  const walk = (dir: string, plain = true, top = false) => {
    if (found !== undefined) {
      if (existsSync(join(dir, "Chart.yaml"))) {
        found.charts.push(dir);
        return;
      }
      if (KUSTOMIZATION_FILES.some((n) => existsSync(join(dir, n)))) {
        found.kustomizations.push(dir);
        plain = false;
      }
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const name = displayName(options.cwd, dir);
      if (top || problems === undefined) {
        throw new InputError(`cannot read directory ${name}: ${(err as Error).message}`);
      }
      // Nothing is lost silently: say which directory was not read, and go on with the rest.
      problems.push(
        inputFinding(
          parseError,
          "unreadable",
          { detail: (err as Error).message },
          { file: name, line: 1, column: 1 },
        ),
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      const rel = displayName(options.cwd, full);
      if (isIgnored(rel)) continue;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full, plain);
      } else if (CONFIG_NAMES.includes(e.name)) {
        // kubeward's own config is not a manifest.
      } else if (found !== undefined && e.name.endsWith(".tgz") && (e.isFile() || e.isSymbolicLink())) {
        found.packaged.push(full);
      } else if (plain && (e.isFile() || e.isSymbolicLink()) && EXTENSIONS.some((x) => e.name.endsWith(x))) {
        out.push(full);
      }
    }
  };
  for (const p of paths) {
    if (p === "-") {
      out.push("-");
      continue;
    }
    const full = resolve(options.cwd, p);
    let st;
    try {
      st = statSync(full);
    } catch {
      throw new InputError(`no such file or directory: ${p}`);
    }
    const chart = found === undefined ? undefined : chartOwning(full);
    if (chart !== undefined) {
      // A path inside a chart (its templates/, charts/): the chart is rendered instead.
      if (!found?.charts.includes(chart)) found?.charts.push(chart);
    } else if (st.isDirectory()) walk(full, true, true);
    else if (found !== undefined && full.endsWith(".tgz")) found.packaged.push(full);
    else {
      // A file named on the command line that cannot be read is an input error (exit 2); one
      // found while walking a directory becomes a finding and the scan goes on.
      try {
        accessSync(full, constants.R_OK);
      } catch (err) {
        throw new InputError(`cannot read ${p}: ${(err as Error).message}`);
      }
      out.push(full);
    }
  }
  return out;
}

export function loadFiles(files: readonly string[], options: LoadOptions): Loaded {
  const loaded: Loaded = { resources: [], findings: [], skipped: 0, texts: new Map(), files: 0 };
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  for (const f of files) {
    const name = f === "-" ? "<stdin>" : displayName(options.cwd, f);
    let text: string;
    if (f === "-") {
      text = options.stdin?.() ?? "";
    } else {
      try {
        const size = statSync(f).size;
        if (size > limit) {
          loaded.findings.push(
            inputFinding(parseError, "tooLarge", { size, limit }, { file: name, line: 1, column: 1 }),
          );
          continue;
        }
        text = readFileSync(f, "utf8");
      } catch (err) {
        loaded.findings.push(
          inputFinding(
            parseError,
            "unreadable",
            { detail: (err as Error).message },
            { file: name, line: 1, column: 1 },
          ),
        );
        continue;
      }
    }
    loaded.files++;
    addText(loaded, text, name);
  }
  return loaded;
}

export function addText(loaded: Loaded, text: string, name: string): void {
  loaded.texts.set(name, text);
  const parsed = parseYaml(text, name);
  loaded.resources.push(...parsed.resources);
  loaded.findings.push(...parsed.findings);
  loaded.skipped += parsed.skipped;
}
