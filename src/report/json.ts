// JSON report. Field names are a public contract (schemaVersion 1): add, never rename. A finding on a
// live cluster object has `source: "cluster"` and `cluster: { ref, fieldPath, context? }` in place of
// file, line and column; a finding in a file has no `source` (as before).
import type { Finding } from "../core/types.js";
import { collect, mapped, streamJsonDocument, type StreamFormatter } from "./types.js";

export const SCHEMA_VERSION = 1;

const FINDINGS = "\u0000findings\u0000";
const SUPPRESSED = "\u0000suppressed\u0000";

export const streamJson: StreamFormatter = (result, _options, write) => {
  const rendered =
    JSON.stringify(
      { schemaVersion: SCHEMA_VERSION, findings: FINDINGS, summary: result.summary, suppressed: SUPPRESSED },
      null,
      2,
    ) + "\n";
  // Suppressed findings are kept (with why) so audits can review them; `findings` never has them.
  streamJsonDocument(
    rendered,
    [
      { marker: FINDINGS, values: mapped(result.findings, findingJson) },
      {
        marker: SUPPRESSED,
        values: mapped(result.suppressed, (f) => ({ ...findingJson(f), suppression: f.suppressed })),
      },
    ],
    write,
  );
};

export const formatJson = collect(streamJson);

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    category: f.category,
    message: f.message,
    messageId: f.messageId,
    remediation: f.remediation,
    resource: f.resource ?? null,
    path: f.path,
    ...(f.source === "cluster"
      ? { source: f.source, cluster: f.cluster }
      : {
          file: f.file,
          line: f.line,
          column: f.column,
          ...(f.endLine !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}),
        }),
    ...(f.exact === false ? { exact: false } : {}),
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.release !== undefined ? { release: f.release } : {}),
    ...(f.template !== undefined ? { template: f.template } : {}),
    ...(f.values !== undefined ? { values: f.values } : {}),
  };
}
