// JUnit XML: well-formed (checked by a small strict tokenizer, not by eye), one suite per file,
// one failing testcase per finding, a passing testcase for clean files and for an empty scan.
import { describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/api.js";
import type { FileFinding, Finding } from "../../src/core/types.js";
import { formatJunit } from "../../src/report/junit.js";
import { DEPLOYMENT, POD, scanFiles } from "./helpers.js";

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict parser for the XML subset a JUnit report needs: declaration, elements, double-quoted
 * attributes, text, the five named entities and numeric character references. It throws on
 * anything else (a raw `<` or `&`, an unclosed or mismatched tag, a forbidden control character).
 */
function parseXml(xml: string): XmlElement {
  const decode = (s: string, where: string): string => {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) throw new Error(`control character in ${where}`);
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bare & in ${where}`);
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
      const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
      if (named[e] !== undefined) return named[e];
      return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    });
  };
  let rest = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/;
  while (rest.length > 0) {
    const top = stack.at(-1) as XmlElement;
    if (rest.startsWith("<")) {
      const m = tag.exec(rest);
      if (m === null) throw new Error(`bad markup at: ${rest.slice(0, 40)}`);
      const [whole, close, name = "", attrText = "", selfClose] = m;
      if (close === "/") {
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        stack.pop();
      } else {
        const attrs: Record<string, string> = {};
        for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g))
          attrs[a[1] ?? ""] = decode(a[2] ?? "", `attribute ${a[1] ?? ""}`);
        const el: XmlElement = { name, attrs, children: [], text: "" };
        top.children.push(el);
        if (selfClose !== "/") stack.push(el);
      }
      rest = rest.slice(whole.length);
    } else {
      const end = rest.indexOf("<");
      const text = end < 0 ? rest : rest.slice(0, end);
      top.text += decode(text, `<${top.name}> text`);
      rest = end < 0 ? "" : rest.slice(end);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)?.name ?? ""}>`);
  if (root.children.length !== 1) throw new Error("expected one root element");
  return root.children[0] as XmlElement;
}

const all = (el: XmlElement, name: string): XmlElement[] => [
  ...el.children.filter((c) => c.name === name),
  ...el.children.flatMap((c) => all(c, name)),
];

describe("junit", () => {
  const result = scanFiles({ "deploy.yaml": DEPLOYMENT, "pod.yaml": POD, "clean.yaml": "kind: nothing\n" });

  it("is well-formed XML with one suite per file and one failing testcase per finding", () => {
    const doc = parseXml(formatJunit(result, {}));
    expect(doc.name).toBe("testsuites");
    const suites = all(doc, "testsuite");
    expect(suites.map((s) => s.attrs["name"])).toEqual(["clean.yaml", "deploy.yaml", "pod.yaml"]);
    const failures = all(doc, "failure");
    expect(failures).toHaveLength(result.findings.length);
    expect(doc.attrs["failures"]).toBe(String(result.findings.length));
    const cases = all(doc, "testcase");
    expect(doc.attrs["tests"]).toBe(String(cases.length));
    for (const s of suites) {
      const own = all(s, "testcase");
      expect(s.attrs["tests"]).toBe(String(own.length));
      expect(s.attrs["failures"]).toBe(String(all(s, "failure").length));
      for (const c of own) expect(c.attrs["classname"]).toBe(s.attrs["name"]);
    }
  });

  it("says which rule, resource and place failed, with the remediation", () => {
    const doc = parseXml(formatJunit(result, {}));
    const priv = all(doc, "testcase").find((c) => c.attrs["name"]?.startsWith("demo-privileged"));
    const f = result.findings.find((x) => x.ruleId === "demo-privileged") as Finding;
    expect(priv?.attrs["name"]).toBe(
      `demo-privileged: Deployment/prod/web container app (${f.line}:${f.column})`,
    );
    expect(priv?.attrs["file"]).toBe("deploy.yaml");
    const failure = all(priv as XmlElement, "failure")[0];
    expect(failure?.attrs["type"]).toBe("critical");
    expect(failure?.attrs["message"]).toBe("Container `app` runs privileged.");
    expect(failure?.text).toContain(`deploy.yaml:${f.line}:${f.column}`);
    expect(failure?.text).toContain("remediation: Remove `privileged: true`.");
  });

  it("shows a passing testcase for a clean file, and for a scan with no files", () => {
    const doc = parseXml(formatJunit(result, {}));
    const clean = all(doc, "testsuite").find((s) => s.attrs["name"] === "clean.yaml") as XmlElement;
    expect(all(clean, "testcase").map((c) => [c.attrs["name"], all(c, "failure").length])).toEqual([
      ["no findings", 0],
    ]);
    const empty: ScanResult = { ...result, findings: [], texts: new Map() };
    const e = parseXml(formatJunit(empty, {}));
    expect(all(e, "testcase")).toHaveLength(1);
    expect(e.attrs).toMatchObject({ tests: "1", failures: "0" });
  });

  it("escapes markup, quotes and control characters so any message round-trips", () => {
    const nasty = `a <b> & "c" 'd' ]]> \u0000\u0007 tab\tnew\nline \u{1F600}`;
    const base = result.findings[0] as FileFinding;
    const f: Finding = { ...base, message: nasty, file: `we<i>rd&"file".yaml` };
    const doc = parseXml(formatJunit({ ...result, findings: [f], texts: new Map() }, {}));
    const failure = all(doc, "failure")[0];
    // XML 1.0 cannot carry NUL or BEL at all: they become U+FFFD; everything else survives.
    const expected = nasty.replace("\u0000\u0007", "\uFFFD\uFFFD");
    expect(failure?.attrs["message"]).toBe(expected);
    expect(failure?.text).toContain(expected);
    expect(all(doc, "testsuite")[0]?.attrs["name"]).toBe(`we<i>rd&"file".yaml`);
  });
});
