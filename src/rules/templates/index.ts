// The rule templates users can instantiate in `.kubeward.yaml` (`customRules:`), by name.
// Pure: no I/O.
import type { Config, KnownTemplates } from "../../core/config.js";
import type { AnyRule } from "../../core/rule.js";
import { allowedRegistriesTemplate } from "./allowed-registries.js";
import { fieldTemplate } from "./field.js";
import { forbiddenCapabilitiesTemplate } from "./forbidden-capabilities.js";
import { requiredMetadataTemplate } from "./required-metadata.js";
import { checkTemplateOptions, customRule, type AnyTemplate } from "./template.js";

export const TEMPLATES: readonly AnyTemplate[] = [
  fieldTemplate,
  requiredMetadataTemplate,
  allowedRegistriesTemplate,
  forbiddenCapabilitiesTemplate,
];

const byName = new Map(TEMPLATES.map((t) => [t.name, t]));

/** What the config loader checks a custom rule's options against. */
export const TEMPLATE_SCHEMAS: KnownTemplates = new Map(
  TEMPLATES.map((t) => [
    t.name,
    { options: t.options, check: (options: Record<string, unknown>) => checkTemplateOptions(t, options) },
  ]),
);

/** The config's custom rules, made into rules (entries naming an unknown template are skipped). */
export function customRulesOf(config: Pick<Config, "customRules">): AnyRule[] {
  const out: AnyRule[] = [];
  for (const spec of config.customRules ?? []) {
    const template = byName.get(spec.template);
    if (template !== undefined) out.push(customRule(template, spec));
  }
  return out;
}
