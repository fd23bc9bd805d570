// Rule templates: a check written once, with an options schema, that becomes many rules by data.
// Built-in rules that only differ in data (host-pid, host-ipc, host-network, privileged-container,
// required-labels, image-registry-not-allowed, dangerous-capabilities) are instances made here with
// their own metadata and message IDs; users declare more in `.kubeward.yaml` under `customRules`.
// Pure: no I/O.
import type { CustomRuleSpec } from "../../core/config.js";
import {
  defaultsOf,
  resolveOptions,
  type OptionProblem,
  type OptionSchema,
  type OptionsOf,
  type OptionsSchema,
} from "../../core/options.js";
import type { AnyRule, RuleContext, RuleMeta, RuleVisitor } from "../../core/rule.js";
import type { Category, Severity } from "../../core/types.js";

/** A template's docs example: the options of one instance, a manifest it reports once, one it passes. */
export interface TemplateExample {
  id: string;
  options: Record<string, unknown>;
  invalid: string;
  valid: string;
}

export interface RuleTemplate<M extends string = string, S extends OptionsSchema = OptionsSchema> {
  /** The name users write as `template:`. */
  name: string;
  /** What the template checks, in one sentence. */
  summary: string;
  /** What a custom instance gets unless its declaration says otherwise. */
  defaults: {
    title: string;
    category: Category;
    severity: Severity;
    description: string;
    remediation: string;
  };
  /** Message templates by ID; a custom instance's `message` replaces them all. */
  messages: Record<M, string>;
  /** The placeholders the messages may use (listed in the docs). */
  placeholders: readonly string[];
  options: S;
  /** Options every custom instance must set. */
  required: readonly (keyof S & string)[];
  /** Checks the schema cannot express (a regular expression that does not compile, a missing value). */
  check?(options: OptionsOf<S>): OptionProblem[];
  /** Whether findings of an instance with these options carry a fix. */
  fixKind(options: OptionsOf<S>): "safe" | "unsafe" | "none";
  create(context: RuleContext<M, OptionsOf<S>>): RuleVisitor;
  example: TemplateExample;
}

export type AnyTemplate = RuleTemplate;

export function defineTemplate<M extends string, S extends OptionsSchema>(
  template: RuleTemplate<M, S>,
): RuleTemplate<M, S> {
  return template;
}

/** The problems of a custom instance's options: the schema, the required options, the template's own checks. */
export function checkTemplateOptions(template: AnyTemplate, given: Record<string, unknown>): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const name of template.required) {
    if (given[name] === undefined)
      problems.push({ path: [], message: `the ${template.name} template needs option \`${name}\`` });
  }
  if (problems.length > 0) return problems;
  const resolved = resolveOptions(template.options, given);
  return template.check?.(resolved) ?? [];
}

interface InstanceSpec<M extends string, S extends OptionsSchema, N extends string> {
  meta: RuleMeta<N>;
  /**
   * The rule's message ID for each template message ID it can report with its options (fixtures and
   * suppressions name these); a template message left out cannot occur with them.
   */
  messageIds: { [K in M]?: N };
  /** Options fixed by the rule: users cannot change them (the rule has no options). */
  options?: Partial<OptionsOf<S>>;
  /**
   * Or: the rule exposes the template's options to users, with these defaults (and, when given,
   * only the options named here).
   */
  configurable?: { defaults: Partial<OptionsOf<S>>; only?: readonly (keyof S & string)[] };
}

const templateOfRule = new WeakMap<AnyRule, string>();

/** The template a built-in rule is an instance of (listed in the templates' docs). */
export function templateNameOf(rule: AnyRule): string | undefined {
  return templateOfRule.get(rule);
}

/** A built-in rule made from a template: its own metadata, message IDs and options. */
export function instanceOf<M extends string, S extends OptionsSchema, N extends string>(
  template: RuleTemplate<M, S>,
  spec: InstanceSpec<M, S, N>,
): AnyRule {
  const rule = makeInstance(template, spec);
  templateOfRule.set(rule, template.name);
  return rule;
}

function makeInstance<M extends string, S extends OptionsSchema, N extends string>(
  template: RuleTemplate<M, S>,
  spec: InstanceSpec<M, S, N>,
): AnyRule {
  const remap = (context: RuleContext<N>) => (d: Parameters<RuleContext<M>["report"]>[0]) => {
    const ids: Partial<Record<string, N>> = spec.messageIds;
    const messageId = ids[d.messageId];
    // Unreachable with the instance's options (see `messageIds`); a crash names the gap if not.
    if (messageId === undefined) throw new Error(`no message for template message \`${d.messageId}\``);
    context.report({ ...d, messageId });
  };
  if (spec.configurable !== undefined) {
    const { defaults, only } = spec.configurable;
    const schema: Record<string, OptionSchema> = {};
    const hidden: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(template.options)) {
      const def = (defaults as Record<string, unknown>)[k];
      if (only !== undefined && !only.includes(k)) hidden[k] = def ?? s.default;
      else schema[k] = def === undefined ? s : ({ ...s, default: def } as OptionSchema);
    }
    const rule: AnyRule = {
      meta: spec.meta,
      options: schema,
      create: (context) =>
        template.create({
          ...context,
          options: { ...hidden, ...context.options } as OptionsOf<S>,
          report: remap(context),
        }),
    };
    return rule;
  }
  const fixed = { ...defaultsOf(template.options), ...spec.options };
  return {
    meta: spec.meta,
    create: (context) => template.create({ ...context, options: fixed, report: remap(context) }),
  };
}

/** A rule from a `customRules` entry of `.kubeward.yaml` (its options were checked when the config loaded). */
export function customRule(template: AnyTemplate, spec: CustomRuleSpec): AnyRule {
  const options = resolveOptions(template.options, spec.options);
  const d = template.defaults;
  const messages: Record<string, string> = {};
  for (const [id, text] of Object.entries(template.messages)) messages[id] = spec.message ?? text;
  const meta: RuleMeta = {
    id: spec.id,
    title: spec.title ?? d.title,
    category: spec.category ?? d.category,
    severity: spec.severity ?? d.severity,
    description: spec.description ?? d.description,
    remediation: spec.remediation ?? d.remediation,
    messages,
    fix: template.fixKind(options),
    equivalents: {},
    notes: `A custom rule of the \`${template.name}\` template, declared in the configuration file.`,
  };
  return { meta, create: (context) => template.create({ ...context, options }) };
}
