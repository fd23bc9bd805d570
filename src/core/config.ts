// `.kubeward.yaml`: rule switches and severities, exemptions, ignored paths. Parsed with node
// positions so that every mistake names its line. Pure: the caller reads the file.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { checkOptions, closest, type OptionProblem, type OptionsSchema } from "./options.js";
import { CATEGORIES, SEVERITIES, type Category, type Severity } from "./types.js";

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
  /** Rules declared as data: instances of rule templates (`customRules:`). */
  customRules?: CustomRuleSpec[];
}

/** One entry of `customRules`: a rule made from a template with the given options. */
export interface CustomRuleSpec {
  /** The rule ID findings, `rules:` switches, exemptions and suppressions use. */
  id: string;
  /** The template's name (`field`, `required-metadata`, `allowed-registries`, `forbidden-capabilities`). */
  template: string;
  options: Record<string, unknown>;
  severity?: Severity;
  category?: Category;
  title?: string;
  /** Replaces the template's messages; the template's placeholders may be used. */
  message?: string;
  description?: string;
  remediation?: string;
}

/** What the config loader needs to know of a rule template to check an instance's options. */
export interface TemplateSchema {
  options: OptionsSchema;
  /** Problems beyond the schema (required options, regular expressions, conditions without a value). */
  check(options: Record<string, unknown>): OptionProblem[];
}
export type KnownTemplates = ReadonlyMap<string, TemplateSchema>;

export interface ConfigError {
  message: string;
  line: number;
  column: number;
}

export const EMPTY_CONFIG: Config = { rules: {}, exemptions: [], ignorePaths: [] };

const TOP_KEYS = [
  "rules",
  "customRules",
  "exemptions",
  "ignorePaths",
  "failOn",
  "assumeComplete",
  "fix",
] as const;
const CUSTOM_KEYS = [
  "id",
  "template",
  "options",
  "severity",
  "category",
  "title",
  "message",
  "description",
  "remediation",
] as const;
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
export function parseConfig(
  text: string,
  knownRules: KnownRules,
  templates: KnownTemplates = new Map(),
): { config: Config; errors: ConfigError[] } {
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

  // Custom rules first: `rules:` and `exemptions:` may name them wherever they are in the file.
  const customNode = root.items.find((p) => isScalar(p.key) && p.key.value === "customRules");
  if (customNode !== undefined) {
    const custom = parseCustomRules(customNode.value, knownRules, templates, (n, m) => {
      at(n ?? customNode.key, m);
    });
    if (custom.length > 0) {
      config.customRules = custom;
      const withCustom = new Map<string, OptionsSchema | undefined>(
        "get" in knownRules ? knownRules : [...knownRules].map((id) => [id, undefined]),
      );
      for (const c of custom) withCustom.set(c.id, {});
      knownRules = withCustom;
    }
  }

  for (const [key, value, keyNode] of entries(root)) {
    switch (key) {
      case "customRules":
        break;
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

/**
 * `customRules:`, a list of `{id, template, options, severity, ...}`. A misspelt template or
 * option, a clash with a built-in ID or a repeated ID is an error at its line.
 */
function parseCustomRules(
  node: Node | null,
  knownRules: KnownRules,
  templates: KnownTemplates,
  err: (node: Node | null, message: string) => void,
): CustomRuleSpec[] {
  if (!isSeq(node)) {
    err(node, "`customRules` must be a list of {id, template, options}");
    return [];
  }
  const out: CustomRuleSpec[] = [];
  const seen = new Set<string>();
  node.items.forEach((item, i) => {
    const where = (m: string) => `customRules[${i}]: ${m}`;
    if (!isMap(item)) {
      err(item as Node, where("each custom rule must be a mapping with id, template and options"));
      return;
    }
    const str = (key: string): string | undefined => {
      const v = item.get(key, true) as Node | undefined;
      if (v === undefined) return undefined;
      if (isScalar(v) && typeof v.value === "string" && v.value !== "") return v.value;
      err(v, where(`\`${key}\` must be a non-empty string`));
      return undefined;
    };
    let ok = true;
    for (const [key, , keyNode] of entries(item)) {
      if (!(CUSTOM_KEYS as readonly string[]).includes(key)) {
        err(keyNode, where(`unknown key \`${key}\` (expected one of ${CUSTOM_KEYS.join(", ")})`));
        ok = false;
      }
    }
    const id = str("id");
    const idNode = (item.get("id", true) as Node | undefined) ?? item;
    if (id === undefined) {
      if (!item.has("id")) err(item, where("a custom rule needs an `id`"));
      ok = false;
    } else if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
      err(idNode, where(`the ID \`${id}\` must be kebab-case (lower-case words joined by -)`));
      ok = false;
    } else if (knownRules.has(id)) {
      err(idNode, where(`the ID \`${id}\` is a built-in rule's; choose another`));
      ok = false;
    } else if (seen.has(id)) {
      err(idNode, where(`the ID \`${id}\` is declared twice`));
      ok = false;
    }
    if (id !== undefined) seen.add(id);
    const templateName = str("template");
    const template = templateName === undefined ? undefined : templates.get(templateName);
    if (templateName === undefined) {
      if (!item.has("template")) err(item, where("a custom rule needs a `template`"));
      ok = false;
    } else if (template === undefined) {
      const names = [...templates.keys()];
      const close = closest(templateName, names);
      err(
        item.get("template", true) as Node,
        where(
          `unknown template \`${templateName}\`${close === undefined ? "" : ` (did you mean \`${close}\`?)`}; known: ${names.join(", ")}`,
        ),
      );
      ok = false;
    }
    const optionsNode = item.get("options", true) as Node | undefined;
    let options: Record<string, unknown> = {};
    if (optionsNode !== undefined && !isMap(optionsNode)) {
      err(optionsNode, where("`options` must be a mapping"));
      ok = false;
    } else if (optionsNode !== undefined) options = optionsNode.toJSON() as Record<string, unknown>;
    if (template !== undefined) {
      const problems = checkOptions(template.options, options);
      if (problems.length === 0) problems.push(...template.check(options));
      for (const p of problems) {
        const target =
          optionsNode === undefined || !isMap(optionsNode)
            ? item
            : p.path.length === 0
              ? optionsNode
              : p.path.length === 1 && template.options[String(p.path[0])] === undefined
                ? (keyNodeAt(optionsNode, String(p.path[0])) ?? optionsNode)
                : ((optionsNode.getIn(p.path, true) as Node | undefined) ??
                  keyNodeAt(optionsNode, String(p.path[0])) ??
                  optionsNode);
        err(target, where(p.message));
        ok = false;
      }
    }
    const spec: Partial<CustomRuleSpec> = { options };
    const severityNode = item.get("severity", true) as Node | undefined;
    if (severityNode !== undefined) {
      const v = isScalar(severityNode) ? severityNode.value : undefined;
      if (typeof v === "string" && (SEVERITIES as readonly string[]).includes(v))
        spec.severity = v as Severity;
      else {
        err(severityNode, where(`\`severity\` must be one of ${SEVERITIES.join(", ")}`));
        ok = false;
      }
    }
    const categoryNode = item.get("category", true) as Node | undefined;
    if (categoryNode !== undefined) {
      const v = isScalar(categoryNode) ? categoryNode.value : undefined;
      if (typeof v === "string" && (CATEGORIES as readonly string[]).includes(v) && v !== "input")
        spec.category = v as Category;
      else {
        err(
          categoryNode,
          where(`\`category\` must be one of ${CATEGORIES.filter((c) => c !== "input").join(", ")}`),
        );
        ok = false;
      }
    }
    for (const key of ["title", "message", "description", "remediation"] as const) {
      const v = str(key);
      if (v !== undefined) spec[key] = v;
    }
    if (!ok || id === undefined || templateName === undefined) return;
    out.push({ ...spec, id, template: templateName, options });
  });
  return out;
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
