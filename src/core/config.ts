// `.kubeward.yaml`: rule switches and severities, exemptions, ignored paths. Parsed with node
// positions so that every mistake names its line. Pure: the caller reads the file.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { checkOptions, type OptionsSchema } from "./options.js";
import { SEVERITIES, type Severity } from "./types.js";

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface Exemption {
  /** Rule IDs this exemption applies to; all rules when omitted. */
  rules?: string[];
  namespaces?: string[];
  /** Object names; `*` matches any run of characters. */
  names?: string[];
  kinds?: string[];
  containers?: string[];
  reason?: string;
}

/** Values `kubeward fix` may use where a fix needs a number and the object has none to derive it from. */
export const FIX_DEFAULT_KEYS = [
  "runAsUser",
  "runAsGroup",
  "cpuRequest",
  "cpuLimit",
  "memoryRequest",
  "memoryLimit",
] as const;
export type FixDefaultKey = (typeof FIX_DEFAULT_KEYS)[number];

export interface FixConfig {
  /** `CONTAINER:FIELD` entries a fix must leave alone (`cilium-agent:securityContext.capabilities`, `*:hostNetwork`). */
  keep: string[];
  defaults: Partial<Record<FixDefaultKey, string | number>>;
}

export interface Config {
  rules: Record<string, RuleSetting>;
  exemptions: Exemption[];
  ignorePaths: string[];
  failOn?: Severity;
  /**
   * Whether cross-object rules treat the scan as holding every object of its namespaces, so that a
   * reference to an object not in it is a finding; unset: decided per namespace (see
   * `src/rules/lib/completeness.ts`).
   */
  assumeComplete?: boolean;
  /** The `fix:` section: what `kubeward fix` keeps and the values it may use. */
  fix?: FixConfig;
}

export interface ConfigError {
  message: string;
  line: number;
  column: number;
}

export const EMPTY_CONFIG: Config = { rules: {}, exemptions: [], ignorePaths: [] };

const TOP_KEYS = ["rules", "exemptions", "ignorePaths", "failOn", "assumeComplete", "fix"] as const;
const RULE_KEYS = ["enabled", "severity", "options"] as const;
const EXEMPTION_KEYS = ["rules", "namespaces", "names", "kinds", "containers", "reason"] as const;

/**
 * The rule IDs (and aliases) a config may name, with each rule's options schema. A plain set of
 * IDs is accepted too; options are then not checked.
 */
export type KnownRules = ReadonlySet<string> | ReadonlyMap<string, OptionsSchema | undefined>;

/** The `KnownRules` map for a list of rules: every ID and alias with the rule's options schema. */
export function knownRulesOf(
  rules: readonly { meta: { id: string; aliases?: string[] }; options?: OptionsSchema }[],
): ReadonlyMap<string, OptionsSchema | undefined> {
  const out = new Map<string, OptionsSchema | undefined>();
  for (const r of rules) for (const id of [r.meta.id, ...(r.meta.aliases ?? [])]) out.set(id, r.options);
  return out;
}

/**
 * Parse a config file's text. `knownRules` lets unknown rule IDs, and options that a rule's
 * schema does not accept, be reported with their line.
 */
export function parseConfig(text: string, knownRules: KnownRules): { config: Config; errors: ConfigError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors: ConfigError[] = [];
  const at = (node: Node | null | undefined, message: string) => {
    const p = lineCounter.linePos(node?.range?.[0] ?? 0);
    errors.push({ message, line: Math.max(p.line, 1), column: p.col });
  };
  for (const e of doc.errors) {
    const p = lineCounter.linePos(e.pos[0]);
    errors.push({ message: e.message.split("\n")[0] ?? e.message, line: Math.max(p.line, 1), column: p.col });
  }
  const config: Config = { rules: {}, exemptions: [], ignorePaths: [] };
  if (errors.length > 0) return { config, errors };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, errors };
  if (!isMap(root)) {
    at(root, "the config must be a mapping with keys " + TOP_KEYS.join(", "));
    return { config, errors };
  }

  for (const [key, value, keyNode] of entries(root)) {
    switch (key) {
      case "rules":
        if (!isMap(value)) {
          at(value ?? keyNode, "`rules` must be a mapping of rule ID to a setting");
          break;
        }
        for (const [id, setting, idNode] of entries(value)) {
          if (!knownRules.has(id)) {
            at(idNode, `unknown rule \`${id}\` in \`rules\``);
            continue;
          }
          const schema: OptionsSchema | undefined =
            "get" in knownRules ? (knownRules.get(id) ?? {}) : undefined;
          const parsed = parseRuleSetting(setting, schema, (n, m) => {
            at(n ?? idNode, `rules.${id}: ${m}`);
          });
          if (parsed !== undefined) config.rules[id] = parsed;
        }
        break;
      case "exemptions":
        if (!isSeq(value)) {
          at(value ?? keyNode, "`exemptions` must be a list");
          break;
        }
        value.items.forEach((item, i) => {
          const ex = parseExemption(item as Node, knownRules, (n, m) => {
            at(n ?? (item as Node), `exemptions[${i}]: ${m}`);
          });
          if (ex !== undefined) config.exemptions.push(ex);
        });
        break;
      case "ignorePaths": {
        const list = stringList(value);
        if (list === undefined) at(value ?? keyNode, "`ignorePaths` must be a list of glob patterns");
        else config.ignorePaths = list;
        break;
      }
      case "failOn": {
        const v = isScalar(value) ? value.value : undefined;
        if (typeof v === "string" && (SEVERITIES as readonly string[]).includes(v))
          config.failOn = v as Severity;
        else at(value ?? keyNode, `\`failOn\` must be one of ${SEVERITIES.join(", ")}`);
        break;
      }
      case "assumeComplete": {
        const v = isScalar(value) ? value.value : undefined;
        if (typeof v === "boolean") config.assumeComplete = v;
        else at(value ?? keyNode, "`assumeComplete` must be true or false");
        break;
      }
      case "fix": {
        const fix = parseFixConfig(value, (n, m) => {
          at(n ?? keyNode, `fix: ${m}`);
        });
        if (fix !== undefined) config.fix = fix;
        break;
      }
      default:
        at(keyNode, `unknown key \`${key}\` (expected one of ${TOP_KEYS.join(", ")})`);
    }
  }
  return { config, errors };
}

function parseFixConfig(
  node: Node | null,
  err: (node: Node | null, message: string) => void,
): FixConfig | undefined {
  if (!isMap(node)) {
    err(node, "`fix` must be a mapping with keys keep, defaults");
    return undefined;
  }
  const fix: FixConfig = { keep: [], defaults: {} };
  for (const [key, value, keyNode] of entries(node)) {
    if (key === "keep") {
      const list = stringList(value);
      if (list === undefined || list.some((k) => !/^[^:]+:[A-Za-z][\w.]*$/.test(k))) {
        err(
          value ?? keyNode,
          "`keep` must be a list of CONTAINER:FIELD (for example `cilium-agent:hostNetwork`)",
        );
      } else fix.keep = list;
    } else if (key === "defaults") {
      if (!isMap(value)) {
        err(value ?? keyNode, "`defaults` must be a mapping");
        continue;
      }
      for (const [k, v, kn] of entries(value)) {
        const scalar = isScalar(v) ? v.value : undefined;
        if (!(FIX_DEFAULT_KEYS as readonly string[]).includes(k)) {
          err(kn, `unknown default \`${k}\` (expected one of ${FIX_DEFAULT_KEYS.join(", ")})`);
        } else if (typeof scalar === "string" || typeof scalar === "number") {
          fix.defaults[k as FixDefaultKey] = scalar;
        } else err(v ?? kn, `\`${k}\` must be a number or a quantity`);
      }
    } else {
      err(keyNode, `unknown key \`${key}\` (expected keep, defaults)`);
    }
  }
  return fix;
}

function entries(map: YAMLMap): [string, Node | null, Node | null][] {
  return map.items.map((pair) => {
    const k = pair.key as Node | null;
    return [isScalar(k) ? String(k.value) : "", pair.value as Node | null, k];
  });
}

function keyNodeAt(map: YAMLMap, key: string): Node | null {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as Node | undefined) ?? null;
}

function stringList(node: Node | null): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== "string") return undefined;
    out.push(item.value);
  }
  return out;
}

function parseRuleSetting(
  node: Node | null,
  schema: OptionsSchema | undefined,
  err: (node: Node | null, message: string) => void,
): RuleSetting | undefined {
  if (isScalar(node)) {
    const v = node.value;
    if (v === "off" || v === false) return { enabled: false };
    if (v === "on" || v === true) return { enabled: true };
    if (typeof v === "string" && (SEVERITIES as readonly string[]).includes(v)) {
      return { enabled: true, severity: v as Severity };
    }
    err(node, `expected off, on, a severity (${SEVERITIES.join(", ")}) or a mapping`);
    return undefined;
  }
  if (!isMap(node)) {
    err(node, "expected off, on, a severity or a mapping");
    return undefined;
  }
  const setting: RuleSetting = {};
  for (const [key, value, keyNode] of entries(node)) {
    if (key === "enabled") {
      if (isScalar(value) && typeof value.value === "boolean") setting.enabled = value.value;
      else err(value, "`enabled` must be true or false");
    } else if (key === "severity") {
      const v = isScalar(value) ? value.value : undefined;
      if (typeof v === "string" && (SEVERITIES as readonly string[]).includes(v))
        setting.severity = v as Severity;
      else err(value, `\`severity\` must be one of ${SEVERITIES.join(", ")}`);
    } else if (key === "options") {
      if (!isMap(value)) {
        err(value, "`options` must be a mapping");
        continue;
      }
      const options = value.toJSON() as Record<string, unknown>;
      const problems = schema === undefined ? [] : checkOptions(schema, options);
      for (const p of problems) {
        // Point at the key for an unknown option, else at the offending value.
        const target = p.path.length === 1 && schema?.[String(p.path[0])] === undefined;
        const at = target
          ? keyNodeAt(value, String(p.path[0]))
          : (value.getIn(p.path, true) as Node | undefined);
        err(at ?? value, p.message);
      }
      if (problems.length === 0) setting.options = options;
    } else {
      err(keyNode, `unknown key \`${key}\` (expected one of ${RULE_KEYS.join(", ")})`);
    }
  }
  return setting;
}

function parseExemption(
  node: Node,
  knownRules: KnownRules,
  err: (node: Node | null, message: string) => void,
): Exemption | undefined {
  if (!isMap(node)) {
    err(node, "an exemption must be a mapping");
    return undefined;
  }
  const ex: Exemption = {};
  for (const [key, value, keyNode] of entries(node)) {
    if (key === "reason") {
      if (isScalar(value) && typeof value.value === "string") ex.reason = value.value;
      else err(value, "`reason` must be a string");
      continue;
    }
    if (!(EXEMPTION_KEYS as readonly string[]).includes(key)) {
      err(keyNode, `unknown key \`${key}\` (expected one of ${EXEMPTION_KEYS.join(", ")})`);
      continue;
    }
    const list = stringList(value);
    if (list === undefined) {
      err(value ?? keyNode, `\`${key}\` must be a list of strings`);
      continue;
    }
    if (key === "rules") {
      const seq = value as unknown as { items: Node[] };
      list.forEach((id, i) => {
        if (!knownRules.has(id)) err(seq.items[i] ?? null, `unknown rule \`${id}\``);
      });
    }
    (ex as Record<string, string[]>)[key] = list;
  }
  return ex;
}

/** `*` matches any run of characters; everything else is literal. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const re = new RegExp("^" + pattern.split("*").map(escapeRegExp).join(".*") + "$");
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
