// JSON report. Field names are a public contract (schemaVersion 1): add, never rename.
import type { Finding } from "../core/types.js";
import type { Formatter } from "./types.js";

export const SCHEMA_VERSION = 1;

export const formatJson: Formatter = (result) => {
  const findings = result.findings.map(findingJson);
  // Suppressed findings are kept (with why) so audits can review them; `findings` never has them.
  const suppressed = result.suppressed.map((f) => ({ ...findingJson(f), suppression: f.suppressed }));
  return (
    JSON.stringify(
      { schemaVersion: SCHEMA_VERSION, findings, summary: result.summary, suppressed },
      null,
      2,
    ) + "\n"
  );
};

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
    file: f.file,
    line: f.line,
    column: f.column,
    ...(f.endLine !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}),
    ...(f.exact === false ? { exact: false } : {}),
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.template !== undefined ? { template: f.template } : {}),
    ...(f.values !== undefined ? { values: f.values } : {}),
  };
}
