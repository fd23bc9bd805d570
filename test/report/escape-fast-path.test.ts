// The escapes of junit and github return text that needs no escaping as it is, after one test
// (issue 9 item 4: a report of 239,000 findings escapes millions of strings). They must give what
// the full chains of replaces give, on any text.
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty } from "../../src/report/github.js";
import { xml, xmlText } from "../../src/report/junit.js";

function referenceXmlText(s: string): string {
  return s
    .replace(
      // eslint-disable-next-line no-control-regex -- characters XML cannot carry are the point
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g,
      "\uFFFD",
    )
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

function referenceXml(s: string): string {
  return referenceXmlText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

const referenceData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const referenceProperty = (s: string) => referenceData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** Plain text, and text with one or two characters from the interesting ones. */
function samples(): string[] {
  const special = [
    ...["&", "<", ">", '"', "'", "\r", "\n", "\t", "%", ":", ","],
    "\u0000",
    "\u0008",
    "\u000b",
    "\u001f",
    "\u007f",
    "\u0085",
    "\u202e",
    "\u2066",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udc00",
    "\ud83d\ude00",
    "é",
    "→",
  ];
  const plain = ["", "Container web has no limits", "spec.template.spec.containers[0]"];
  const out = [...plain];
  for (const a of special) {
    out.push(a, `x${a}y`);
    for (const b of special) out.push(`${a}${b}`, `p ${a} q ${b} r`);
  }
  return out;
}

describe("escapes with a fast path", () => {
  const texts = samples();
  it("junit xmlText and xml equal the full chains of replaces", () => {
    expect(texts.map(xmlText)).toEqual(texts.map(referenceXmlText));
    expect(texts.map(xml)).toEqual(texts.map(referenceXml));
  });

  it("github escapeData and escapeProperty equal the full chains of replaces", () => {
    expect(texts.map(escapeData)).toEqual(texts.map(referenceData));
    expect(texts.map(escapeProperty)).toEqual(texts.map(referenceProperty));
  });
});
