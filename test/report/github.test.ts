// GitHub Actions workflow commands: level by severity, location properties, and escaping per
// the workflow-command rules (data: %, CR, LF; properties: also ":" and ",").
import { describe, expect, it } from "vitest";
import type { FileFinding, Finding, Severity } from "../../src/core/types.js";
import { escapeData, escapeProperty, formatGithub } from "../../src/report/github.js";
import { DEPLOYMENT, positionOf, scanFiles } from "./helpers.js";

/** Undo the escaping, as the runner does. */
const unescape = (s: string) =>
  s
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%25/g, "%");

/** Parse `::cmd k=v,k=v::message` into its parts. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (m === null) throw new Error(`not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? "").split(",")) {
    const i = kv.indexOf("=");
    props[kv.slice(0, i)] = unescape(kv.slice(i + 1));
  }
  return { command: m[1] ?? "", props, message: unescape(m[3] ?? "") };
}

describe("github", () => {
  const result = scanFiles({ "deploy.yaml": DEPLOYMENT });

  it("emits one annotation per finding with file, line, column, end and the rule as title", () => {
    const lines = formatGithub(result, {}).trimEnd().split("\n");
    const commands = lines.filter((l) => l.startsWith("::"));
    expect(commands).toHaveLength(result.findings.length);
    const priv = commands.map(parseCommand).find((c) => c.props["title"]?.startsWith("demo-privileged"));
    const at = positionOf(DEPLOYMENT, "privileged: true");
    expect(priv).toEqual({
      command: "error",
      props: {
        file: "deploy.yaml",
        line: String(at.line),
        col: String(at.column),
        endLine: String(at.line),
        endColumn: String(at.column + "privileged: true".length),
        title: "demo-privileged (critical)",
      },
      message:
        "Container `app` runs privileged. [Deployment/prod/web, container app]\nFix: Remove `privileged: true`.",
    });
  });

  it("uses error for high and critical, warning for medium, notice for low and info", () => {
    const base = result.findings[0] as FileFinding;
    const level = (severity: Severity) =>
      parseCommand(formatGithub({ ...result, findings: [{ ...base, severity }] }, {}).split("\n")[0] ?? "")
        .command;
    expect(["critical", "high", "medium", "low", "info"].map((s) => level(s as Severity))).toEqual([
      "error",
      "error",
      "warning",
      "notice",
      "notice",
    ]);
  });

  it("escapes data and properties by the workflow-command rules", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("dir,x/a:b%.yaml\n")).toBe("dir%2Cx/a%3Ab%25.yaml%0A");
    const base = result.findings[0] as FileFinding;
    const f: Finding = { ...base, file: "a,b:c%d.yaml", message: "50% of\nthe::thing, really" };
    const line = formatGithub({ ...result, findings: [f] }, {}).split("\n")[0] ?? "";
    // One physical line, and the parts come back intact.
    expect(line).not.toMatch(/[\r\n]/);
    const parsed = parseCommand(line);
    expect(parsed.props["file"]).toBe("a,b:c%d.yaml");
    expect(parsed.message.startsWith("50% of\nthe::thing, really")).toBe(true);
  });

  it("leaves out the column span of a multi-line location", () => {
    const base = result.findings[0] as FileFinding;
    const f: Finding = { ...base, line: 3, column: 5, endLine: 9, endColumn: 2 };
    const p = parseCommand(formatGithub({ ...result, findings: [f] }, {}).split("\n")[0] ?? "").props;
    expect(p).toMatchObject({ line: "3", col: "5", endLine: "9" });
    expect(p["endColumn"]).toBeUndefined();
  });
});
