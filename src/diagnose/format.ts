// Output of `kubeward diagnose`: stylish (terminal), JSON, Markdown and SARIF, each a pure function
// of the result. Text from the cluster (event and status messages) is untrusted: control characters
// are removed before it reaches a terminal or a Markdown table.
import type * as Sarif from "sarif";
import { SEVERITIES, type Severity } from "../core/types.js";
import { DIAGNOSE_CHECKS } from "./analyzers/index.js";
import { refText } from "./graph.js";
import type { DiagnoseFinding, DiagnoseResult, Evidence } from "./types.js";

export interface DiagnoseFormatOptions {
  color?: boolean;
  version?: string;
  /** Explanations written by an LLM (--explain), by finding index; templates are used otherwise. */
  explanations?: ReadonlyMap<number, { explanation: string; remediation: string }>;
}
export type DiagnoseFormatter = (r: DiagnoseResult, o: DiagnoseFormatOptions) => string;

export const DIAGNOSE_SCHEMA_VERSION = 1;

/** Strip C0/C1 control characters (ANSI escapes, carriage returns) except newline and tab. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
export function clean(s: string): string {
  return s.replace(CONTROL, "");
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const SEV_COLOR: Record<Severity, (s: string) => string> = {
  critical: (s) => sgr(1, 22)(sgr(35, 39)(s)),
  high: sgr(31, 39),
  medium: sgr(33, 39),
  low: sgr(36, 39),
  info: sgr(90, 39),
};

function texts(
  f: DiagnoseFinding,
  i: number,
  o: DiagnoseFormatOptions,
): { explanation: string; remediation: string } {
  return o.explanations?.get(i) ?? { explanation: f.explanation, remediation: f.remediation };
}

function evidenceText(e: Evidence): string {
  if ("field" in e) return `${refText(e.object)} ${e.field} = ${e.value}`;
  const ev = e.event;
  return `${refText(e.object)} event ${ev.type}/${ev.reason}${ev.count > 1 ? ` x${ev.count}` : ""}${ev.last !== "" ? ` at ${ev.last}` : ""}: ${ev.message}`;
}

function summaryLine(r: DiagnoseResult): string {
  const parts = SEVERITIES.slice()
    .reverse()
    .filter((s) => r.summary.bySeverity[s] > 0)
    .map((s) => `${r.summary.bySeverity[s]} ${s}`);
  return `${r.summary.findings} problem${r.summary.findings === 1 ? "" : "s"}${parts.length > 0 ? ` (${parts.join(", ")})` : ""} in ${r.summary.objects} objects and ${r.summary.events} events`;
}

export const formatDiagnoseStylish: DiagnoseFormatter = (r, o) => {
  const bold = o.color === true ? sgr(1, 22) : (s: string) => s;
  const dim = o.color === true ? sgr(2, 22) : (s: string) => s;
  const lines: string[] = [];
  r.findings.forEach((f, i) => {
    const sev = o.color === true ? SEV_COLOR[f.severity](f.severity) : f.severity;
    const t = texts(f, i, o);
    lines.push(`${sev}  ${bold(clean(refText(f.object)))}  ${clean(f.message)}  ${dim(f.id)}`);
    if (f.chain.length > 1) {
      lines.push("  cause chain:");
      f.chain.forEach((c, n) => lines.push(`    ${n === 0 ? "" : "-> "}${clean(c.text)}`));
    }
    if (f.affected.length > 1)
      lines.push(`  affects: ${f.affected.map((a) => clean(refText(a))).join(", ")}`);
    for (const m of f.impact) lines.push(`  impact: ${clean(m)}`);
    lines.push(`  why: ${clean(t.explanation)}`);
    lines.push(`  fix: ${clean(t.remediation)}`);
    if (f.evidence.length > 0) {
      lines.push("  evidence:");
      for (const e of f.evidence) lines.push(`    ${dim(clean(evidenceText(e)))}`);
    }
    lines.push("");
  });
  for (const u of r.unreadable)
    lines.push(
      `could not read ${u.kind}${u.namespace !== undefined ? ` in ${u.namespace}` : ""}: ${clean(u.message)}`,
    );
  if (r.unreadable.length > 0) lines.push("");
  lines.push(r.findings.length === 0 ? `no problems found in ${r.summary.objects} objects` : summaryLine(r));
  return `${lines.join("\n")}\n`;
};

export const formatDiagnoseJson: DiagnoseFormatter = (r, o) => {
  const findings = r.findings.map((f, i) => {
    const t = texts(f, i, o);
    return {
      ...f,
      explanation: t.explanation,
      remediation: t.remediation,
      explainedBy: o.explanations?.has(i) === true ? "llm" : "template",
    };
  });
  return `${JSON.stringify({ schemaVersion: DIAGNOSE_SCHEMA_VERSION, tool: { name: "kubeward", version: o.version }, findings, unreadable: r.unreadable, summary: r.summary }, null, 2)}\n`;
};

const md = (s: string): string =>
  clean(s)
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ")
    .replace(/([<>`*_[\]])/g, "\\$1");

export const formatDiagnoseMarkdown: DiagnoseFormatter = (r, o) => {
  const out: string[] = ["# kubeward diagnose", "", summaryLine(r), ""];
  if (r.findings.length > 0) {
    out.push("| severity | object | problem | check |", "| --- | --- | --- | --- |");
    for (const f of r.findings)
      out.push(`| ${f.severity} | ${md(refText(f.object))} | ${md(f.message)} | ${f.id} |`);
    out.push("");
  }
  r.findings.forEach((f, i) => {
    const t = texts(f, i, o);
    out.push(`## ${f.severity}: ${md(refText(f.object))} (${f.id})`, "", md(f.message), "");
    if (f.chain.length > 1) {
      out.push("Cause chain:", "");
      f.chain.forEach((c, n) => out.push(`${n + 1}. ${md(c.text)}`));
      out.push("");
    }
    if (f.affected.length > 1) out.push(`Affects: ${f.affected.map((a) => md(refText(a))).join(", ")}`, "");
    if (f.impact.length > 0) {
      out.push("Impact:", "");
      for (const m of f.impact) out.push(`- ${md(m)}`);
      out.push("");
    }
    out.push(`**Why:** ${md(t.explanation)}`, "", `**Fix:** ${md(t.remediation)}`, "");
    if (f.evidence.length > 0) {
      out.push("Evidence:", "");
      for (const e of f.evidence) out.push(`- ${md(evidenceText(e))}`);
      out.push("");
    }
  });
  if (r.unreadable.length > 0) {
    out.push("## Not readable", "");
    for (const u of r.unreadable)
      out.push(
        `- ${md(u.kind)}${u.namespace !== undefined ? ` in ${md(u.namespace)}` : ""}: ${md(u.message)}`,
      );
    out.push("");
  }
  return out.join("\n");
};

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

export const formatDiagnoseSarif: DiagnoseFormatter = (r, o) => {
  const used = [...new Set(r.findings.map((f) => f.id))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  const log: Sarif.Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kubeward diagnose",
            ...(o.version !== undefined ? { version: o.version } : {}),
            rules: used.map((id) => {
              const c = DIAGNOSE_CHECKS.find((x) => x.id === id);
              return {
                id,
                shortDescription: { text: c?.title ?? id },
                defaultConfiguration: { level: LEVEL[c?.severity ?? "medium"] },
              };
            }),
          },
        },
        results: r.findings.map((f, i) => {
          const t = texts(f, i, o);
          return {
            ruleId: f.id,
            ruleIndex: index.get(f.id) ?? 0,
            level: LEVEL[f.severity],
            message: {
              text: `${clean(refText(f.object))}: ${clean(f.message)}. ${clean(t.explanation)} Fix: ${clean(t.remediation)}`,
            },
            // Live objects have no file: the object is a logical location, kubectl style.
            locations: f.affected.map((a) => ({
              logicalLocations: [
                {
                  fullyQualifiedName: `${a.namespace !== undefined ? `${a.namespace}/` : ""}${a.kind.toLowerCase()}/${a.name}`,
                  name: a.name,
                  kind: "resource",
                },
              ],
            })),
            partialFingerprints: { "kubeward-diagnose/v1": `${f.id}|${refText(f.object)}` },
            properties: { severity: f.severity, chain: f.chain.map((c) => clean(c.text)) },
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

export const DIAGNOSE_FORMATTERS: Readonly<Record<string, DiagnoseFormatter>> = {
  stylish: formatDiagnoseStylish,
  json: formatDiagnoseJson,
  markdown: formatDiagnoseMarkdown,
  sarif: formatDiagnoseSarif,
};
