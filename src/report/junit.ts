// JUnit XML for CI test reports (GitLab, Jenkins, Azure Pipelines, CircleCI).
//
// One <testsuite> per scanned file, one failing <testcase> per finding (classname = the file,
// name = rule and resource), and one passing "no findings" testcase for each clean file. Grouping
// by file is what these UIs show best: they list suites and classnames, so a reader sees which
// manifest to open, and clean files show as passed tests. With no files at all, one passing
// testcase still appears so the report is never empty.
import type { Finding } from "../core/types.js";
import { resourceLabel } from "./stylish.js";
import type { Formatter } from "./types.js";

export const formatJunit: Formatter = (result) => {
  const byFile = new Map<string, Finding[]>();
  for (const file of result.texts.keys()) byFile.set(file, []);
  for (const f of result.findings) {
    const list = byFile.get(f.file);
    if (list === undefined) byFile.set(f.file, [f]);
    else list.push(f);
  }
  const suites: string[] = [];
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    suites.push(suite(file === "" ? "kubeward" : file, findings));
  }
  if (suites.length === 0) suites.push(suite("kubeward", []));
  // A clean file is one passing testcase; a file with findings has one failing testcase per finding.
  let tests = 0;
  for (const list of byFile.values()) tests += Math.max(list.length, 1);
  if (byFile.size === 0) tests = 1;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="kubeward" tests="${tests}" failures="${result.findings.length}" errors="0">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
};

function suite(name: string, findings: readonly Finding[]): string {
  const cases =
    findings.length === 0
      ? [`    <testcase classname="${xml(name)}" name="no findings"/>`]
      : findings.map((f) => testcase(name, f));
  return [
    `  <testsuite name="${xml(name)}" tests="${Math.max(findings.length, 1)}" failures="${findings.length}" errors="0" skipped="0">`,
    ...cases,
    `  </testsuite>`,
  ].join("\n");
}

function testcase(file: string, f: Finding): string {
  const container = f.container !== undefined ? ` container ${f.container}` : "";
  const what = f.resource !== undefined ? `: ${resourceLabel(f.resource)}${container}` : "";
  const name = `${f.ruleId}${what} (${f.line}:${f.column})`;
  const body = [
    `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}`,
    ...(f.resource !== undefined ? [`resource: ${resourceLabel(f.resource)}${container}`] : []),
    ...(f.path.length > 0 ? [`path: ${f.path.join(".")}`] : []),
    `remediation: ${f.remediation}`,
  ].join("\n");
  return [
    `    <testcase classname="${xml(file)}" name="${xml(name)}" file="${xml(f.file)}" line="${f.line}">`,
    `      <failure message="${xml(f.message)}" type="${xml(f.severity)}">${xmlText(body)}</failure>`,
    `    </testcase>`,
  ].join("\n");
}

/** Escape for XML element text; characters XML 1.0 cannot carry at all become U+FFFD. */
export function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\uFFFD")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\uFFFD")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  );
}

/** Escape for a double- or single-quoted attribute; line breaks and tabs survive attribute normalisation. */
export function xml(s: string): string {
  return xmlText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}
