// Kustomize isolation: kustomize never sees the user's tree. The kustomizations reached from an
// input, and the files they name, are copied into a sandbox directory that mirrors their place
// under the scanned root. Entries that are remote (`https://`, `github.com/...`, `git@...`) or
// leave the root (`../../outside`, `/etc/passwd`, a symlink out) are dropped from the copies and
// reported; kustomize then builds the copy (default load restrictor, no HOME, no PATH, a dead
// proxy), so it can read nothing the walk below did not allow, and fetch nothing.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export const KUSTOMIZATION_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export interface SandboxIssue {
  kind: "remote" | "outside" | "symlink" | "limit";
  /** The entry as written in the kustomization. */
  entry: string;
  /** Absolute path of the kustomization file, and the entry's 1-based position in it. */
  file: string;
  line: number;
  column: number;
}

export interface SandboxLimits {
  maxFileSize: number;
  maxTotalBytes: number;
}

/** Fields whose string items (or the `path` of whose object items) name files or directories. */
const LIST_FIELDS = [
  "resources",
  "bases",
  "components",
  "patchesStrategicMerge",
  "crds",
  "configurations",
  "generators",
  "transformers",
  "validators",
];
const PATH_ITEM_FIELDS = ["patches", "patchesJson6902", "replacements"];
const GENERATOR_FIELDS = ["configMapGenerator", "secretGenerator"];
/** Fields whose entries may be directories holding another kustomization. */
const DIR_FIELDS = new Set(["resources", "bases", "components", "generators", "transformers", "validators"]);

export function isRemote(entry: string, exists: boolean): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^git@/.test(entry) || /^ssh:/.test(entry)) return true;
  if (exists) return false;
  // `github.com/org/repo//path?ref=v1` and the like: a host name as the first segment.
  return /^[\w-]+(\.[\w-]+)+\//.test(entry) || entry.includes("?ref=") || entry.includes("?version=");
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

export function kustomizationFile(dir: string): string | undefined {
  for (const n of KUSTOMIZATION_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

/**
 * Copies the kustomization in `dir` (and everything it reaches) under `into`, mirroring paths
 * relative to `root`. Returns what was refused; the copy is complete for what is allowed.
 */
export class KustomizeSandbox {
  readonly issues: SandboxIssue[] = [];
  private readonly done = new Set<string>();
  private bytes = 0;

  constructor(
    readonly root: string,
    readonly into: string,
    private readonly limits: SandboxLimits,
  ) {}

  /** The sandbox path of a real path under the root. */
  toSandbox(real: string): string {
    return join(this.into, relative(this.root, real));
  }
  /** The real path of a sandbox path. */
  toReal(sandboxed: string): string {
    return join(this.root, relative(this.into, sandboxed));
  }

  /** Copy the kustomization directory `dir`; false when it could not be (an issue says why). */
  addDir(dir: string): boolean {
    const real = this.realInside(dir);
    if (real === undefined) return false;
    if (this.done.has(real)) return true;
    this.done.add(real);
    const file = kustomizationFile(real);
    if (file === undefined) return false;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return false;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    // Not YAML: copy as is, kustomize reports the error itself.
    if (doc.errors.length > 0 || !isMap(doc.contents)) {
      this.write(file, text);
      return true;
    }
    const root = doc.contents;
    const at = (node: Node | undefined): { line: number; column: number } => {
      const p = lineCounter.linePos(node?.range?.[0] ?? 0);
      return { line: p.line, column: p.col };
    };
    const refuse = (kind: SandboxIssue["kind"], entry: string, node: Node | undefined) =>
      this.issues.push({ kind, entry, file, ...at(node) });
    /** Checks one entry; copies what it names; false to drop it from the copy. */
    const accept = (entry: string, node: Node | undefined, mayBeDir: boolean): boolean => {
      const local = isAbsolute(entry) ? entry : resolve(real, entry);
      const exists = !isAbsolute(entry) && existsSync(local);
      if (isRemote(entry, exists)) {
        refuse("remote", entry, node);
        return false;
      }
      if (isAbsolute(entry) || !inside(this.root, local)) {
        refuse("outside", entry, node);
        return false;
      }
      if (!exists) return true; // kustomize reports the missing file at its own line
      const target = this.realInside(local);
      if (target === undefined) {
        refuse("symlink", entry, node);
        return false;
      }
      if (statSync(target).isDirectory()) {
        if (!mayBeDir) return true;
        if (kustomizationFile(target) === undefined) return true; // kustomize says what is wrong
        return this.addDir(target);
      }
      if (this.copy(target)) return true;
      refuse("limit", entry, node);
      return false;
    };
    const filterSeq = (key: string, mayBeDir: boolean, item: (n: unknown) => string | undefined) => {
      const seq = root.get(key, true);
      if (!isSeq(seq)) return;
      seq.items = seq.items.filter((n) => {
        const entry = item(n);
        return entry === undefined || accept(entry, n as Node, mayBeDir);
      });
    };
    const str = (n: unknown): string | undefined =>
      isScalar(n) && typeof n.value === "string" ? n.value : undefined;
    for (const key of LIST_FIELDS) filterSeq(key, DIR_FIELDS.has(key), str);
    for (const key of PATH_ITEM_FIELDS)
      filterSeq(key, false, (n) => (isMap(n) ? str(n.get("path", true)) : str(n)));
    for (const key of GENERATOR_FIELDS) {
      const gens = root.get(key, true);
      if (!isSeq(gens)) continue;
      for (const g of gens.items) {
        if (!isMap(g)) continue;
        for (const field of ["files", "envs"]) {
          const seq = g.get(field, true);
          if (!isSeq(seq)) continue;
          // `files` items may be `key=path`.
          seq.items = seq.items.filter((n) => {
            const v = str(n);
            if (v === undefined) return true;
            const path = field === "files" ? v.slice(v.indexOf("=") + 1) : v;
            return accept(path, n as Node, false);
          });
        }
        const env = str(g.get("env", true));
        if (env !== undefined && !accept(env, g.get("env", true), false)) g.delete("env");
      }
    }
    const openapi = root.get("openapi", true);
    if (isMap(openapi)) {
      const p = str(openapi.get("path", true));
      if (p !== undefined && !accept(p, openapi.get("path", true), false)) openapi.delete("path");
    }
    this.write(file, doc.toString());
    return true;
  }

  /** The real path of `p` when it and every symlink on the way stay under the root. */
  private realInside(p: string): string | undefined {
    try {
      const real = realpathSync(p);
      return inside(realpathSync(this.root), real) ? resolveUnder(this.root, real) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Copies a regular file; false when it is over the size limits. */
  private copy(real: string): boolean {
    const to = this.toSandbox(real);
    if (existsSync(to)) return true;
    const st = lstatSync(real);
    if (!st.isFile()) return true; // a FIFO or device: not copied, kustomize says it is missing
    if (st.size > this.limits.maxFileSize || this.bytes + st.size > this.limits.maxTotalBytes) return false;
    this.bytes += st.size;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(real, to);
    return true;
  }

  private write(file: string, text: string): void {
    const to = this.toSandbox(file);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, text);
  }
}

/** A real path expressed under `root` as given (root itself may be reached through a symlink). */
function resolveUnder(root: string, real: string): string {
  return join(root, relative(realpathSync(root), real));
}
