// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: full rule metadata, repo-relative
// locations, the resource as a logical location, stable fingerprints and suppressions.
import type * as Sarif from "sarif";
import { BUILTIN_RULES } from "../core/builtin.js";
import type { AnyRule } from "../core/rule.js";
import { PEER_TOOLS, type Finding, type Severity } from "../core/types.js";
import { clusterLabel } from "../core/findings.js";
import { resourceLabel } from "./stylish.js";
import { collect, mapped, streamJsonDocument, type StreamFormatter } from "./types.js";

/** The project's home; rule pages live under it. One constant so a fork changes one line. */
export const HOME_URL = "https://github.com/kubeward/kubeward";
const RULE_DOCS_URL = `${HOME_URL}/blob/main/docs/rules/`;
const SCHEMA_URL = "https://json.schemastore.org/sarif-2.1.0.json";
/** The key under which our partial fingerprint is stored; bump the version if the recipe changes. */
export const FINGERPRINT_KEY = "kubeward/v1";

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/**
 * GitHub maps these to its critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9) and low bands. The
 * score is written as a string holding the number, as GitHub documents it and CodeQL and trivy emit it.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "7.5",
  medium: "5.0",
  low: "3.0",
  info: "0.0",
};

const SECURITY_CATEGORIES: ReadonlySet<string> = new Set(["security", "rbac", "network", "supply-chain"]);

const RESULTS = "\u0000results\u0000";

function* allOf(result: { findings: readonly Finding[]; suppressed: readonly Finding[] }): Iterable<Finding> {
  yield* result.findings;
  yield* result.suppressed;
}

export const streamSarif: StreamFormatter = (result, options, write) => {
  const all = allOf(result);
  const rules = ruleList(result.rules, all);
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const log: Sarif.Log = {
    $schema: SCHEMA_URL,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kubeward",
            informationUri: HOME_URL,
            ...(options.version !== undefined
              ? { version: options.version, semanticVersion: options.version }
              : {}),
            rules: rules.map(reportingDescriptor),
          },
        },
        // Columns come from JavaScript string offsets.
        columnKind: "utf16CodeUnits",
        // Streamed in below, one result at a time.
        results: RESULTS as unknown as Sarif.Result[],
      },
    ],
  };
  streamJsonDocument(
    JSON.stringify(log, null, 2) + "\n",
    [{ marker: RESULTS, values: mapped(allOf(result), (f) => sarifResult(f, index.get(f.ruleId))) }],
    write,
  );
};

export const formatSarif = collect(streamSarif);

/** The rules that ran, plus any built-in rule a finding names (a library caller may pass its own list). */
function ruleList(ran: readonly AnyRule[], findings: Iterable<Finding>): AnyRule[] {
  const out = [...ran];
  const ids = new Set(out.map((r) => r.meta.id));
  for (const f of findings) {
    if (ids.has(f.ruleId)) continue;
    const builtin = BUILTIN_RULES.find((r) => r.meta.id === f.ruleId);
    if (builtin !== undefined) {
      out.push(builtin);
      ids.add(f.ruleId);
    }
  }
  return out;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function reportingDescriptor(rule: AnyRule): Sarif.ReportingDescriptor {
  const m = rule.meta;
  const equivalents = PEER_TOOLS.flatMap((t) => {
    const ids = m.equivalents[t];
    return ids !== undefined && ids.length > 0 ? [`${t}: ${ids.join(", ")}`] : [];
  });
  const equivalentsMd = PEER_TOOLS.flatMap((t) => {
    const ids = m.equivalents[t];
    return ids !== undefined && ids.length > 0 ? [`- ${t}: ${ids.map((i) => "`" + i + "`").join(", ")}`] : [];
  });
  const text = [
    m.remediation,
    ...(equivalents.length > 0 ? ["Equivalent checks: " + equivalents.join("; ")] : []),
  ];
  const markdown = [
    `**${m.title}**`,
    "",
    m.description,
    "",
    `**Remediation:** ${m.remediation}`,
    ...(equivalentsMd.length > 0 ? ["", "**Equivalent checks in other tools:**", "", ...equivalentsMd] : []),
  ];
  const tags = [m.category, ...standardTags(rule)];
  return {
    id: m.id,
    ...(m.aliases !== undefined && m.aliases.length > 0 ? { deprecatedIds: m.aliases } : {}),
    name: pascalCase(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    help: { text: text.join("\n"), markdown: markdown.join("\n") },
    helpUri: RULE_DOCS_URL + encodeURIComponent(m.id) + ".md",
    defaultConfiguration: { level: LEVEL[m.severity], enabled: m.enabledByDefault ?? true },
    properties: {
      // GitHub reads security-severity only from rules tagged "security".
      tags: SECURITY_CATEGORIES.has(m.category) && m.category !== "security" ? ["security", ...tags] : tags,
      "security-severity": SECURITY_SEVERITY[m.severity],
      precision: "high",
    },
  };
}

function standardTags(rule: AnyRule): string[] {
  const s = rule.meta.standards;
  if (s === undefined) return [];
  return [
    ...(s.pss !== undefined ? [`pss-${s.pss}`] : []),
    ...(s.cis ?? []).map((c) => `cis-${c}`),
    ...(s.mitre ?? []).map((t) => `mitre-${t}`),
  ];
}

function sarifResult(f: Finding, ruleIndex: number | undefined): Sarif.Result {
  const r: Sarif.Result = {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [sarifLocation(f)],
    ...related(f),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    properties: {
      severity: f.severity,
      category: f.category,
      path: [...f.path],
      ...(f.resource !== undefined ? { resource: f.resource } : {}),
      ...(f.release !== undefined ? { release: f.release } : {}),
      ...(f.source === "cluster" ? { cluster: f.cluster } : {}),
    },
  };
  if (f.suppressed !== undefined) {
    r.suppressions = [
      {
        kind: f.suppressed.kind === "annotation" ? "inSource" : "external",
        status: "accepted",
        ...(f.suppressed.reason !== undefined ? { justification: f.suppressed.reason } : {}),
      },
    ];
  }
  return r;
}

/**
 * A file finding: the file and region, with the resource as a logical location. A finding on a live
 * cluster object has no file to point at: only logical locations, the object by its kubectl
 * reference and the field inside it (no made-up artifact).
 */
function sarifLocation(f: Finding): Sarif.Location {
  if (f.source === "cluster") {
    const c = f.cluster;
    const object: Sarif.LogicalLocation = {
      name: f.resource?.name ?? c.ref,
      fullyQualifiedName: c.ref,
      kind: "resource",
    };
    return {
      logicalLocations:
        c.fieldPath === ""
          ? [object]
          : [
              object,
              { name: c.fieldPath, fullyQualifiedName: clusterLabel(c), kind: "member", parentIndex: 0 },
            ],
    };
  }
  const startLine = Math.max(f.line, 1);
  const startColumn = Math.max(f.column, 1);
  const region: Sarif.Region = { startLine, startColumn };
  if (f.endLine !== undefined && f.endLine >= startLine) {
    region.endLine = f.endLine;
    // endColumn is exclusive; an empty range on one line is left open.
    if (f.endColumn !== undefined && (f.endLine > startLine || f.endColumn > startColumn))
      region.endColumn = f.endColumn;
  }
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(f.file), uriBaseId: "%SRCROOT%" },
      region,
    },
    ...(f.resource !== undefined
      ? {
          logicalLocations: [
            {
              name: f.resource.name,
              fullyQualifiedName:
                resourceLabel(f.resource) + (f.container !== undefined ? `/${f.container}` : ""),
              kind: f.container !== undefined ? "container" : "resource",
            },
          ],
        }
      : {}),
  };
}

/** Helm: the template line (when the finding points elsewhere) and the values key that set the value. */
function related(f: Finding): { relatedLocations?: Sarif.Location[] } {
  const out: Sarif.Location[] = [];
  const t = f.template;
  if (t !== undefined && (f.source === "cluster" || t.file !== f.file || t.line !== f.line)) {
    out.push({
      id: out.length,
      physicalLocation: {
        artifactLocation: { uri: fileUri(t.file), uriBaseId: "%SRCROOT%" },
        region: { startLine: Math.max(t.line, 1), startColumn: Math.max(t.column, 1) },
      },
      message: { text: "template" },
    });
  }
  const v = f.values;
  if (v?.file !== undefined) {
    out.push({
      id: out.length,
      physicalLocation: {
        artifactLocation: { uri: fileUri(v.file), uriBaseId: "%SRCROOT%" },
        ...(v.line !== undefined ? { region: { startLine: Math.max(v.line, 1) } } : {}),
      },
      message: { text: `values: ${v.path}` },
    });
  }
  return out.length > 0 ? { relatedLocations: out } : {};
}

/** URIs of the files seen (a report names the same few files for many findings). */
const uris = new Map<string, string>();
const MAX_URIS = 10_000;

/** A repo-relative POSIX path as a URI reference: each segment percent-encoded. */
export function fileUri(file: string): string {
  let uri = uris.get(file);
  if (uri === undefined) {
    uri = encodeFileUri(file);
    if (uris.size < MAX_URIS) uris.set(file, uri);
  }
  return uri;
}

function encodeFileUri(file: string): string {
  return file
    .replace(/\\/g, "/")
    .split("/")
    .map((seg) => (seg === ".." || seg === "." ? seg : encodeURIComponent(seg)))
    .join("/");
}

/**
 * What identifies a finding across runs: the rule, the file, the object and the path in it, with
 * containers by name (not line numbers, so edits above it do not open a new alert). Input findings without an object use
 * their message ID instead of the path.
 */
export function fingerprint(f: Finding): string {
  const r = f.resource;
  const parts = [
    f.ruleId,
    // A cluster object is identified by its resource (below), whatever context read it.
    f.source === "cluster" ? "" : f.file,
    r !== undefined ? `${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name}` : "",
    stablePath(f).join("\u0001"),
    r === undefined ? f.messageId : "",
  ];
  return fnv1a64(parts.join("\u0000"));
}

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

/** The path with container indexes replaced by the container's name, so reordering keeps identity. */
function stablePath(f: Finding): string[] {
  return f.path.map((seg, i) =>
    typeof seg === "number" && f.container !== undefined && CONTAINER_LISTS.has(String(f.path[i - 1]))
      ? `name=${f.container}`
      : String(seg),
  );
}

const UTF8 = new TextEncoder();
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes; 16 hex digits. Pure and stable across platforms. The state
 * is four 16-bit limbs (a BigInt per byte made SARIF output of 240,000 findings take seconds); the
 * prime is 2^40 + 0x1b3, so each step is a multiplication by 0x1b3 plus the state shifted by 40.
 */
export function fnv1a64(s: string): string {
  // The offset basis 0xcbf29ce484222325, lowest limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  // ASCII text is its own UTF-8: hashed from the string, without encoding it into a new array.
  const bytes = NON_ASCII.test(s) ? UTF8.encode(s) : undefined;
  const n = bytes === undefined ? s.length : bytes.length;
  for (let i = 0; i < n; i++) {
    h0 ^= bytes === undefined ? s.charCodeAt(i) : (bytes[i] ?? 0);
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (t1 >>> 16) + ((h0 << 8) & 0xffff);
    const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h0 >>> 8) + ((h1 & 0xff) << 8);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, "0")).join("");
}
