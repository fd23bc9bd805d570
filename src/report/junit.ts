// JUnit XML for CI test reports (GitLab, Jenkins, Azure Pipelines, CircleCI).
//
// One <testsuite> per scanned file, one failing <testcase> per finding (classname = the file,
// name = rule and resource), and one passing "no findings" testcase for each clean file. Grouping
// by file is what these UIs show best: they list suites and classnames, so a reader sees which
// manifest to open, and clean files show as passed tests. With no files at all, one passing
// testcase still appears so the report is never empty. Findings on a live cluster (`scan
// --cluster`) have no file: they are grouped by object (`deployment/web -n shop`) instead.
import { locationLabel } from "../core/findings.js";
import type { Finding } from "../core/types.js";
import { resourceLabel } from "./stylish.js";
import { chunked, collect, type StreamFormatter } from "./types.js";

export const streamJunit: StreamFormatter = (result, _options, write) => {
  const byFile = new Map<string, Finding[]>();
  for (const file of result.texts.keys()) byFile.set(file, []);
  for (const f of result.findings) {
    const group = f.source === "cluster" ? f.cluster.ref : f.file;
    const list = byFile.get(group);
    if (list === undefined) byFile.set(group, [f]);
    else list.push(f);
  }
  // A clean file is one passing testcase; a file with findings has one failing testcase per finding.
  let tests = 0;
  for (const list of byFile.values()) tests += Math.max(list.length, 1);
  if (byFile.size === 0) tests = 1;
  write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kubeward" tests="${tests}" failures="${result.findings.length}" errors="0">\n`,
  );
  const files = [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) files.push(["kubeward", []]);
  for (const [file, findings] of files) writeSuite(file === "" ? "kubeward" : file, findings, write);
  write(`</testsuites>\n`);
};

export const formatJunit = collect(streamJunit);

function writeSuite(name: string, findings: readonly Finding[], write: (chunk: string) => void): void {
  write(
    `  <testsuite name="${xml(name)}" tests="${Math.max(findings.length, 1)}" failures="${findings.length}" errors="0" skipped="0">\n`,
  );
  if (findings.length === 0) write(`    <testcase classname="${xml(name)}" name="no findings"/>\n`);
  const out = chunked(write);
  const classname = xml(name);
  for (const f of findings) out.add(testcase(classname, f) + "\n");
  out.end();
  write(`  </testsuite>\n`);
}

/** One test case; `classname` is the suite's name, already escaped. */
function testcase(classname: string, f: Finding): string {
  const container = f.container !== undefined ? ` container ${f.container}` : "";
  const what = f.resource !== undefined ? `: ${resourceLabel(f.resource)}${container}` : "";
  const at = f.source === "cluster" ? f.cluster.fieldPath : `${f.line}:${f.column}`;
  const name = `${f.ruleId}${what}${at === "" ? "" : ` (${at})`}`;
  const body = [
    `${locationLabel(f)}  ${f.severity}  ${f.message}`,
    ...(f.resource !== undefined ? [`resource: ${resourceLabel(f.resource)}${container}`] : []),
    ...(f.path.length > 0 ? [`path: ${f.path.join(".")}`] : []),
    `remediation: ${f.remediation}`,
  ].join("\n");
  // A cluster object is no file: the classname names it, the name holds the field path.
  const position = f.source === "cluster" ? "" : ` file="${xml(f.file)}" line="${f.line}"`;
  return [
    `    <testcase classname="${classname}" name="${xml(name)}"${position}>`,
    `      <failure message="${xml(f.message)}" type="${xml(f.severity)}">${xmlText(body)}</failure>`,
    `    </testcase>`,
  ].join("\n");
}

/** A character some replace of xmlText changes (surrogates: any, the replace decides if it is alone). */
const TEXT_SPECIAL =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff&<>\r]/;
/** A character xmlText or the attribute replaces of xml change. */
const ATTRIBUTE_SPECIAL =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff&<>"']/;

/** Escape for XML element text; characters XML 1.0 cannot carry at all become U+FFFD. */
export function xmlText(s: string): string {
  // Most text needs nothing: one test instead of six replaces (junit of 239,000 findings escapes a million strings).
  if (!TEXT_SPECIAL.test(s)) return s;
  return (
    s
      .replace(
        // eslint-disable-next-line no-control-regex -- characters XML cannot carry are the point
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g,
        "\uFFFD",
      )
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\uFFFD")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // A raw carriage return would rewrite the line when the report is shown in a terminal.
      .replace(/\r/g, "&#13;")
  );
}

/** Escape for a double- or single-quoted attribute; line breaks and tabs survive attribute normalisation. */
export function xml(s: string): string {
  if (!ATTRIBUTE_SPECIAL.test(s)) return s;
  return xmlText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}
