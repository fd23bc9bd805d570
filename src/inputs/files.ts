// Paths → YAML/JSON files → resources. Directories are walked recursively; `.git` and
// `node_modules` are skipped, and so is anything matching an ignore glob.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  type Stats,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { notScanned } from "../core/builtin.js";
import { InputError } from "../core/errors.js";
import { inputFinding } from "../core/findings.js";
import type { Finding, Resource } from "../core/types.js";
import { CONFIG_NAMES } from "./config-file.js";
import { parseErrorFinding, parseYaml } from "./yaml.js";

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
  /** Called after each file is read and parsed, with the number done and the total (progress). */
  onFile?: (done: number, total: number) => void;
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
        parseErrorFinding("unreadable", { detail: statProblem(err) }, { file: name, line: 1, column: 1 }),
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
      } else if (plain && EXTENSIONS.some((x) => e.name.endsWith(x))) {
        // Devices, FIFOs and sockets are listed too: reading them is refused with a notice, not silently.
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
    } catch (err) {
      throw new InputError(`${statProblem(err)}: ${p}`);
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
    const at = { file: name, line: 1, column: 1 };
    let text: string;
    if (f === "-") {
      text = options.stdin?.() ?? "";
    } else {
      const read = readRegularFile(f, limit);
      if (read.kind === "tooLarge") {
        loaded.findings.push(parseErrorFinding("tooLarge", { size: read.size, limit }, at));
        continue;
      }
      if (read.kind === "special") {
        loaded.findings.push(
          inputFinding(notScanned, "special", { type: read.type }, at, {
            remediation:
              "Remove it from the scanned tree or exclude it with --ignore; kubeward reads only regular files.",
          }),
        );
        continue;
      }
      if (read.kind === "error") {
        loaded.findings.push(parseErrorFinding("unreadable", { detail: read.detail }, at));
        continue;
      }
      text = read.text;
    }
    loaded.files++;
    addText(loaded, text, name);
    options.onFile?.(loaded.files, files.length);
  }
  return loaded;
}

type ReadResult =
  | { kind: "text"; text: string }
  | { kind: "tooLarge"; size: number }
  | { kind: "special"; type: string }
  | { kind: "error"; detail: string };

/** What a non-regular file is, for the notice. */
function fileType(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const CHUNK = 1024 * 1024;

/**
 * Read a regular file of at most `limit` bytes. The file is opened without blocking (a FIFO
 * would hang an ordinary open), checked on the open descriptor (a symlink to /dev/zero is a
 * character device, whatever `stat` of the name said before), and read in chunks that stop
 * at the limit, so a file that grows while it is read cannot exhaust memory either.
 */
export function readRegularFile(path: string, limit: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { kind: "error", detail: statProblem(err) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: "special", type: fileType(st) };
    if (st.size > limit) return { kind: "tooLarge", size: st.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) return { kind: "tooLarge", size: total };
    }
    return { kind: "text", text: Buffer.concat(chunks, total).toString("utf8") };
  } catch (err) {
    return { kind: "error", detail: statProblem(err) };
  } finally {
    closeSync(fd);
  }
}

/** A plain-words reason for a failed stat/open/read (ELOOP is a symlink loop, not a missing file). */
export function statProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "ELOOP":
      return "too many levels of symbolic links (a symlink loop)";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export function addText(loaded: Loaded, text: string, name: string): void {
  loaded.texts.set(name, text);
  const parsed = parseYaml(text, name);
  // One push per item: a spread of 50,000 resources would overflow the call stack.
  for (const r of parsed.resources) loaded.resources.push(r);
  for (const f of parsed.findings) loaded.findings.push(f);
  loaded.skipped += parsed.skipped;
}
