/* eslint-disable no-control-regex -- these tests are about control characters */
// Issue 9, items 4, 7 and 8: output of any size streams in linear time; text from scanned files
// cannot drive a terminal; no secret value is printed by any format.
import { describe, expect, it } from "vitest";
import { scan } from "../../src/api.js";
import { hasControl } from "../../src/core/escape.js";
import type { FileFinding, Finding } from "../../src/core/types.js";
import { codeFrame, LineIndex } from "../../src/report/code-frame.js";
import { FORMATTERS, streamerFor } from "../../src/report/index.js";
import { formatStylish } from "../../src/report/stylish.js";
import { maskLine } from "../../src/report/mask.js";
import { CHUNK_CHARS, streamJsonDocument } from "../../src/report/types.js";
import { formatExplanations } from "../../src/netpol/explain.js";
import { tempTree } from "../e2e/helpers.js";

const base = (over: Partial<FileFinding> = {}): Finding => ({
  ruleId: "demo",
  severity: "high",
  category: "security",
  message: "m",
  messageId: "m",
  remediation: "r.",
  path: [],
  file: "big.yaml",
  line: 1,
  column: 1,
  ...over,
});

const emptySummary = {
  files: 1,
  resources: 0,
  checked: 0,
  skipped: 0,
  findings: 0,
  suppressed: 0,
  bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
  byCategory: {},
};

describe("formatters scale (item 4)", () => {
  // 150,000 findings in one file: `Math.max(...positions)` overflowed the stack here.
  const findings = Array.from({ length: 150_000 }, (_, i) => base({ line: i + 1 }));
  const result = {
    findings,
    suppressed: [],
    summary: { ...emptySummary, findings: findings.length },
    texts: new Map<string, string>(),
    rules: [],
    configFile: undefined,
    config: { rules: {}, exemptions: [], ignorePaths: [] },
  } as unknown as Parameters<typeof formatStylish>[0];

  it.each(["stylish", "json", "sarif", "junit", "github"])(
    "%s writes 150,000 findings of one file in pieces",
    (format) => {
      const chunks: string[] = [];
      streamerFor(format)?.(result, {}, (c) => chunks.push(c));
      expect(chunks.length).toBeGreaterThan(2);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(4 << 20);
      const text = chunks.join("");
      if (format === "json" || format === "sarif") expect(() => JSON.parse(text) as unknown).not.toThrow();
    },
    60_000,
  );

  // Pieces of a megabyte are V8 large objects: hundreds of them made the garbage collector mark the
  // whole scan over and over (SARIF of 240,000 findings spent 7 s of CPU writing, 2.5 s in small pieces).
  it.each(["stylish", "json", "sarif", "junit", "github"])(
    "%s writes in pieces of about CHUNK_CHARS characters",
    (format) => {
      const chunks: string[] = [];
      streamerFor(format)?.({ ...result, findings: findings.slice(0, 20_000) }, {}, (c) => chunks.push(c));
      const sizes = chunks.map((c) => c.length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(20 * CHUNK_CHARS);
      expect(Math.max(...sizes)).toBeLessThan(2 * CHUNK_CHARS);
    },
    60_000,
  );

  it("streamed JSON is exactly the document JSON.stringify would give", () => {
    const small = { ...result, findings: findings.slice(0, 3), suppressed: [] };
    const parsed = JSON.parse(FORMATTERS["json"]?.(small, {}) ?? "") as Record<string, unknown>;
    expect(FORMATTERS["json"]?.(small, {})).toBe(JSON.stringify(parsed, null, 2) + "\n");
    expect(FORMATTERS["json"]?.({ ...small, findings: [] }, {})).toContain('"findings": [],');
  });

  it("items spliced in batches are the bytes JSON.stringify gives for the whole document", () => {
    // Across batch boundaries, at several depths, with nested and empty values.
    const items = Array.from({ length: 2_345 }, (_, i) =>
      i % 3 === 0 ? { a: i, b: [1, { c: "x\ny" }], d: {} } : i % 3 === 1 ? [i, []] : `s${i}`,
    );
    const doc = { top: 1, deep: { deeper: { list: items, other: [] as unknown[] } }, list: items };
    const rendered = JSON.stringify(
      { top: 1, deep: { deeper: { list: "\u0000a\u0000", other: "\u0000b\u0000" } }, list: "\u0000c\u0000" },
      null,
      2,
    );
    const chunks: string[] = [];
    streamJsonDocument(
      rendered,
      [
        { marker: "\u0000a\u0000", values: items },
        { marker: "\u0000b\u0000", values: [] },
        { marker: "\u0000c\u0000", values: items },
      ],
      (c) => chunks.push(c),
    );
    expect(chunks.join("")).toBe(JSON.stringify(doc, null, 2));
  });

  it("a code frame from a line index is the frame from the text", () => {
    const text = "a: 1\r\nb: 2\nc: 3\rd: 4\n";
    for (let line = 1; line <= 5; line++)
      expect(codeFrame(new LineIndex(text), line, 2)).toBe(codeFrame(text, line, 2));
  });
});

describe("terminal escapes in scanned text (item 7)", () => {
  const evil = "web\u001b]0;pwned\u0007\u001b[2J\rfake\u009b31m\u202e";
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: "${evil.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(/\u202e/g, "\\u202e")}"
spec:
  containers:
    - name: "c\\x1b[8m"
      image: nginx:1.25
      securityContext:
        privileged: true
`;

  it.each(["stylish", "github", "junit"])("%s output has no raw control character", (format) => {
    const dir = tempTree({ "evil\u001b[31m.yaml": text });
    const r = scan({ paths: ["."], cwd: dir, configFile: false });
    expect(r.findings.some((f) => f.resource?.name === evil)).toBe(true);
    const out = FORMATTERS[format]?.(r, { color: false }) ?? "";
    for (const line of out.split("\n")) expect(hasControl(line.replace(/\t/g, ""))).toBe(false);
    if (format === "stylish") expect(out).toContain("web\\x1b]0;pwned\\x07");
  });

  it.each(["json", "sarif"])("%s output escapes every C0 control character (JSON string rules)", (format) => {
    const dir = tempTree({ "pod.yaml": text });
    const out = FORMATTERS[format]?.(scan({ paths: ["."], cwd: dir, configFile: false }), {}) ?? "";
    expect(out).toContain("\\u001b]0;pwned");
    expect(/[\u0000-\u0009\u000b-\u001f]/.test(out)).toBe(false);
  });

  it("with colour on, the only escape sequences are kubeward's own colours", () => {
    const dir = tempTree({ "pod.yaml": text });
    const out =
      FORMATTERS["stylish"]?.(scan({ paths: ["."], cwd: dir, configFile: false }), { color: true }) ?? "";
    expect(out).toContain("\u001b[");
    const stripped = out.replace(/\u001b\[\d+m/g, "");
    for (const line of stripped.split("\n")) expect(hasControl(line)).toBe(false);
  });

  it("netpol explain escapes pod, policy and rule names", () => {
    const out = formatExplanations([
      {
        pod: "ns/p\u001b[2J",
        hostNetwork: false,
        sides: [
          {
            direction: "ingress",
            isolatedBy: ["ns/np\r"],
            tiers: [
              {
                tier: "NetworkPolicy",
                rules: [
                  { policy: "ns/np\u0007", rule: "ingress[0]", action: "Allow", text: "from app=\u001b]0;x" },
                ],
              },
            ],
            otherwise: "isolated by ns/np\r",
          },
        ],
      },
    ]);
    for (const line of out.split("\n")) expect(hasControl(line)).toBe(false);
    expect(out).toContain("ns/p\\x1b[2J");
  });
});

describe("no secret value in any output (item 8)", () => {
  const SECRET = "hunter2-s3cr3t-value";
  const B64 = Buffer.from(SECRET).toString("base64");
  const files = {
    "secret.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
  annotations:
    kubeward.io/ignore: [not-a-string
data:
  password: ${B64}
stringData:
  token: ${SECRET}
`,
    "cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
  namespace: default
data:
  password: ${SECRET}
`,
    "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: default
spec:
  containers:
    - name: c
      image: nginx:1.25
      env:
        - name: AWS_SECRET_ACCESS_KEY
          value: ${SECRET}
`,
    "broken.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: broken
stringData:
  token: ${SECRET}
  other: [unclosed
`,
  };

  it.each(["stylish", "json", "sarif", "junit", "github"])(
    "%s prints no Secret data or flagged value",
    (format) => {
      const dir = tempTree(files);
      const r = scan({ paths: ["."], cwd: dir, configFile: false });
      // The rules did flag the values, and the broken file is a parse error: frames exist for all.
      const ids = new Set(r.findings.map((f) => `${f.file} ${f.ruleId}`));
      expect(ids).toContain("cm.yaml configmap-secret");
      expect(ids).toContain("pod.yaml hardcoded-secret-in-env");
      expect(ids).toContain("broken.yaml parse-error");
      expect([...ids].some((id) => id.startsWith("secret.yaml "))).toBe(true);
      const out = FORMATTERS[format]?.(r, { color: false }) ?? "";
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(B64);
      if (format === "stylish") expect(out).toContain("****");
    },
  );

  it("masks the value and keeps the key", () => {
    expect(maskLine("  password: abc")).toBe("  password: ****");
    expect(maskLine('    - "key": "v",')).toBe('    - "key": ****');
    expect(maskLine("data:")).toBe("data:");
    expect(maskLine("    c2VjcmV0")).toBe("    ****");
    expect(maskLine("  url: http://user:pw@host")).toBe("  url: ****");
  });
});
