// Reads the peer catalog (../shared/rules-catalog.tsv) used to fill and check `equivalents`.
// Usage: tsx tools/catalog.ts CONCEPT [CONCEPT...]  → prints the equivalents object for those concepts.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { PEER_TOOLS, type Equivalents, type PeerTool } from "../src/core/types.js";

export interface CatalogRow {
  tool: PeerTool;
  id: string;
  title: string;
  concepts: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const CATALOG_PATH = join(here, "..", "..", "shared", "rules-catalog.tsv");

export function catalogAvailable(): boolean {
  return existsSync(CATALOG_PATH);
}

export function readCatalog(): CatalogRow[] {
  const lines = readFileSync(CATALOG_PATH, "utf8").split("\n").slice(1);
  const rows: CatalogRow[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    const cols = line.split("\t");
    const tool = cols[0] as PeerTool;
    if (!(PEER_TOOLS as readonly string[]).includes(tool)) continue;
    rows.push({
      tool,
      id: cols[1] ?? "",
      title: cols[2] ?? "",
      concepts: (cols[7] ?? "")
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    });
  }
  return rows;
}

export function equivalentsFor(
  concepts: readonly string[],
  rows: readonly CatalogRow[] = readCatalog(),
): Equivalents {
  const out: Equivalents = {};
  for (const tool of PEER_TOOLS) {
    const ids = rows
      .filter((r) => r.tool === tool && r.concepts.some((c) => concepts.includes(c)))
      .map((r) => r.id);
    const unique = [...new Set(ids)];
    if (unique.length > 0) out[tool] = unique;
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const concepts = process.argv.slice(2);
  const rows = readCatalog();
  console.log(JSON.stringify(equivalentsFor(concepts, rows), null, 2));
  for (const r of rows.filter((r) => r.concepts.some((c) => concepts.includes(c)))) {
    console.error(`${r.tool}\t${r.id}\t${r.title}`);
  }
}
