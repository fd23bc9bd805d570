// Units of scan (issue 13): independent pieces of a tree, each with its own cross-object scope.
// A unit is scanned exactly as `kubeward scan UNIT-PATHS` would scan it alone, so a scan by units is
// the union of those scans; all units run in one process (see pool.ts).
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../core/errors.js";
import type { Finding } from "../core/types.js";
import { displayName, listFiles, type LoadOptions, type RenderInputs } from "../inputs/files.js";
import { isPackagedChart } from "../inputs/helm.js";

export const UNIT_KINDS = ["all", "file", "dir", "chart"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Unit {
  /** The unit's name: its path relative to the scan root (posix), or `(files)` for loose files. */
  key: string;
  /** Absolute paths scanned for this unit. */
  paths: string[];
  /** Bytes on disk, to balance shards. */
  size: number;
  /** A chart or kustomization: rendered by an external tool. */
  rendered?: boolean;
}

export interface UnitList {
  units: Unit[];
  /** Problems met while walking (unreadable directories): they belong to no unit. */
  problems: Finding[];
}

const SKIP_DIRS = new Set([".git", "node_modules"]);
const MAX_SIZE_ENTRIES = 100_000;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Total size of the files under `path` (a chart or kustomization directory, or a file). */
function treeSize(path: string): number {
  let total = 0;
  let seen = 0;
  const stack = [path];
  while (stack.length > 0 && seen < MAX_SIZE_ENTRIES) {
    const p = stack.pop() ?? "";
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    seen++;
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) {
      try {
        for (const e of readdirSync(p)) if (!SKIP_DIRS.has(e)) stack.push(join(p, e));
      } catch {
        // Unreadable: its scan reports it; it just weighs nothing here.
      }
    }
  }
  return total;
}

/**
 * Splits the scanned paths into units. `file`: every manifest file, chart (directory or `.tgz`) and
 * kustomization is a unit. `dir`: the manifest files of one directory together form a unit, and each
 * chart and kustomization is one. `chart`: each chart and kustomization is a unit, and all other
 * manifest files together form one more. `all`: one unit, today's scan. Units come sorted by key.
 */
export function listUnits(paths: readonly string[], kind: UnitKind, options: LoadOptions): UnitList {
  if (kind === "all") return { units: [{ key: ".", paths: [...paths], size: 0 }], problems: [] };
  if (paths.includes("-"))
    throw new UsageError(`--unit ${kind} cannot read stdin (-): name files or directories`);
  const found: RenderInputs = { charts: [], packaged: [], kustomizations: [] };
  const problems: Finding[] = [];
  const files = listFiles(paths, options, found, problems);
  const rendered = [...found.charts, ...found.packaged.filter(isPackagedChart), ...found.kustomizations];
  // A kustomization scanned alone also builds the charts and kustomizations below it.
  const owner = found.kustomizations;
  const nested = (p: string) => owner.some((k) => p !== k && p.startsWith(`${k}/`));
  const units: Unit[] = [...new Set(rendered)]
    .filter((p) => !nested(p))
    .map((p) => ({ key: displayName(options.cwd, p), paths: [p], size: treeSize(p), rendered: true }));
  if (kind === "file") {
    for (const f of files) units.push({ key: displayName(options.cwd, f), paths: [f], size: fileSize(f) });
  } else if (kind === "dir") {
    const byDir = new Map<string, string[]>();
    for (const f of files) {
      const list = byDir.get(dirname(f)) ?? [];
      list.push(f);
      byDir.set(dirname(f), list);
    }
    for (const [dir, list] of byDir) {
      units.push({
        key: `${displayName(options.cwd, dir)}/*`,
        paths: list,
        size: list.reduce((n, f) => n + fileSize(f), 0),
      });
    }
  } else if (files.length > 0) {
    units.push({ key: "(files)", paths: files, size: files.reduce((n, f) => n + fileSize(f), 0) });
  }
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { units, problems };
}
