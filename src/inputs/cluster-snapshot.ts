// Offline cluster snapshots for `kubeward diagnose --snapshot`: a `kubectl get … -o yaml|json`
// output (a List or multi-document YAML), a directory of them, or a `kubectl cluster-info dump`
// directory (JSON lists per namespace; its logs are not read). Secrets keep metadata only.
import { lstatSync, readdirSync, readFileSync, type Stats } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { InputError } from "../core/errors.js";
import type { KObject } from "../core/types.js";
import { flatten } from "../diagnose/objects.js";

export interface SnapshotOptions {
  /** Largest file read (bytes); bigger files are reported and skipped. */
  maxFileSize?: number;
  /** Largest number of files read from a directory. */
  maxFiles?: number;
  /** How to name the path in messages (the user's spelling); default the path itself. */
  display?: string;
}
export interface Snapshot {
  objects: KObject[];
  files: number;
  skipped: { file: string; reason: string }[];
}

const EXT = /\.(ya?ml|json)$/i;

export function loadSnapshot(path: string, options: SnapshotOptions = {}): Snapshot {
  const maxFileSize = options.maxFileSize ?? 256 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 10_000;
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    throw new InputError(
      `cannot read snapshot ${options.display ?? path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const snap: Snapshot = { objects: [], files: 0, skipped: [] };
  const files: string[] = [];
  if (st.isDirectory()) walk(path, files, maxFiles, 0);
  else if (st.isFile()) files.push(path);
  else throw new InputError(`snapshot ${path} is neither a file nor a directory`);
  for (const file of files.sort()) {
    const shown = options.display ?? path;
    const name = st.isDirectory() ? join(shown, relative(path, file)) : shown;
    const size = lstatSync(file).size;
    if (size > maxFileSize) {
      snap.skipped.push({ file: name, reason: `larger than ${maxFileSize} bytes` });
      continue;
    }
    snap.files++;
    parseInto(readFileSync(file, "utf8"), name, snap.objects);
  }
  return snap;
}

/** Collect manifest files below `dir`; symlinks are not followed (a snapshot stays inside its tree). */
function walk(dir: string, out: string[], max: number, depth: number): void {
  if (depth > 16) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(
      `cannot read snapshot directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? ""}`,
    );
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out, max, depth + 1);
    else if (e.isFile() && EXT.test(e.name)) {
      if (out.length >= max) throw new InputError(`snapshot has more than ${max} files`);
      out.push(p);
    }
  }
}

/** Parse JSON (possibly several concatenated documents, as cluster-info dump writes) or YAML. */
export function parseInto(text: string, name: string, out: KObject[]): void {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    // Usually one JSON value; cluster-info dump writes several back to back, so split only then.
    let single: unknown;
    try {
      single = JSON.parse(text);
    } catch {
      single = undefined;
    }
    if (single !== undefined) {
      for (const d of Array.isArray(single) ? single : [single]) flatten(d, out);
      return;
    }
    for (const chunk of splitJsonValues(text)) {
      let doc: unknown;
      try {
        doc = JSON.parse(chunk);
      } catch (err) {
        throw new InputError(`${name}: not valid JSON: ${(err as Error).message}`);
      }
      for (const d of Array.isArray(doc) ? doc : [doc]) flatten(d, out);
    }
    return;
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      throw new InputError(`${name}: not valid YAML or JSON: ${e?.message.split("\n")[0] ?? "parse error"}`);
    }
    flatten(d.toJS({ maxAliasCount: 100 }), out);
  }
}

/** Split text holding JSON values back to back (`{…}{…}` or one per line) into one string each. */
export function splitJsonValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  if (depth !== 0 || inString) out.push(text.slice(start >= 0 ? start : 0));
  return out;
}
