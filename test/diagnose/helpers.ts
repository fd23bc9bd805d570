// Loading diagnose fixtures (realistic broken-cluster scenarios) and running the analyzers on them.
import { join } from "node:path";
import { diagnose, type DiagnoseOptions } from "../../src/diagnose/diagnose.js";
import { refText } from "../../src/diagnose/graph.js";
import type { DiagnoseFinding, DiagnoseResult } from "../../src/diagnose/types.js";
import { loadSnapshot } from "../../src/inputs/cluster-snapshot.js";

export const FIXTURES = join(import.meta.dirname, "fixtures");

export function diagnoseFixture(name: string, options: DiagnoseOptions = {}): DiagnoseResult {
  return diagnose({ objects: loadSnapshot(join(FIXTURES, name)).objects }, options);
}

/** A compact, assertion-friendly view: id, subject and affected objects as kubectl refs. */
export function summary(f: DiagnoseFinding): {
  id: string;
  severity: string;
  object: string;
  affected: string[];
} {
  return { id: f.id, severity: f.severity, object: refText(f.object), affected: f.affected.map(refText) };
}
