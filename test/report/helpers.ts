// Scan results for formatter tests: real scans of small texts with rules defined here, so the
// tests do not depend on the built-in rule set (which other work changes).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { afterAll } from "vitest";
import { defineRule, scan, type ScanOptions, type ScanResult } from "../../src/api.js";
import type { Config } from "../../src/core/config.js";

export const TODAY = "2026-01-15";

export const privilegedRule = defineRule({
  meta: {
    id: "demo-privileged",
    title: "Demo: privileged container",
    category: "security",
    severity: "critical",
    description: "A privileged container can take over its node.",
    remediation: "Remove `privileged: true`.",
    messages: { privileged: "Container `{{container}}` runs privileged." },
    fix: "none",
    standards: { pss: "baseline", cis: ["5.2.2"] },
    equivalents: { trivy: ["KSV-0017"], checkov: ["CKV_K8S_16"] },
  },
  create: (context) => ({
    container: (c) => {
      if (c.container.securityContext?.privileged === true)
        context.report({
          resource: c.resource,
          path: [...c.path, "securityContext", "privileged"],
          messageId: "privileged",
          data: { container: c.name },
          container: c.name,
        });
    },
  }),
});

export const latestTagRule = defineRule({
  meta: {
    id: "demo-latest-tag",
    title: "Demo: image without a pinned tag",
    category: "supply-chain",
    severity: "medium",
    description: "A floating tag changes under you.",
    remediation: "Pin the image to a version or digest.",
    messages: { latest: "Container `{{container}}` uses image `{{image}}` without a pinned tag." },
    fix: "none",
    equivalents: {},
  },
  create: (context) => ({
    container: (c) => {
      const image = c.container.image ?? "";
      if (image.endsWith(":latest") || !image.includes(":"))
        context.report({
          resource: c.resource,
          path: [...c.path, "image"],
          messageId: "latest",
          data: { container: c.name, image },
          container: c.name,
        });
    },
  }),
});

export const noLimitsRule = defineRule({
  meta: {
    id: "demo-no-limits",
    title: "Demo: no resource limits",
    category: "efficiency",
    severity: "low",
    description: "Without limits one pod can starve the node.",
    remediation: "Set `resources.limits`.",
    messages: { missing: "Container `{{container}}` has no resource limits." },
    fix: "none",
    equivalents: {},
  },
  create: (context) => ({
    container: (c) => {
      if (c.container.resources?.limits === undefined)
        context.report({
          resource: c.resource,
          path: [...c.path, "resources", "limits"],
          messageId: "missing",
          data: { container: c.name },
          container: c.name,
        });
    },
  }),
});

export const DEMO_RULES = [privilegedRule, latestTagRule, noLimitsRule];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir holding `files` (name → text; `Buffer` for bytes). */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "kubeward-report-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Scan `files` (written to a temp dir) with the demo rules and no config file. */
export function scanFiles(
  files: Record<string, string | Buffer>,
  options: Partial<ScanOptions> & { config?: Config } = {},
): ScanResult {
  const cwd = tempTree(files);
  return scan({ paths: ["."], cwd, configFile: false, rules: DEMO_RULES, today: TODAY, ...options });
}

// The manifests most formatter tests share.
export const DEPLOYMENT = `# a web deployment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
          resources:
            limits: { cpu: "1" }
          securityContext:
            privileged: true
        - name: sidecar
          image: busybox:latest
          resources:
            limits: { cpu: "1" }
`;

export const POD = `apiVersion: v1
kind: Pod
metadata:
  name: tool
spec:
  containers:
    - name: tool
      image: alpine
`;

/** 1-based line and column of the first occurrence of `needle` in `text` (what a reader would point at). */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * The official schema is JSON Schema draft-04; Ajv 8 speaks draft-06+. The only draft-04 keyword
 * it uses that differs is `id` (now `$id`), so adapt that in memory rather than edit the file.
 */
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, "sarif-schema-2.1.0.json"), "utf8"),
  ) as Record<string, unknown>;
  const rest = { ...schema };
  const id = rest["id"];
  delete rest["$schema"];
  delete rest["id"];
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Formats the schema uses. "uri" must be absolute (a relative helpUri is invalid SARIF).
  ajv.addFormat("uri", (s: string) => URL.canParse(s));
  ajv.addFormat(
    "uri-reference",
    (s: string) => URL.canParse(s, "https://example.invalid/base/") && !/\s/.test(s),
  );
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
  return ajv.compile({ $id: id, ...rest } as object);
}
