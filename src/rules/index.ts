// The registry: every rule kubeward ships. Each group file lists its rules; add new ones there.
import { BUILTIN_RULES } from "../core/builtin.js";
import type { AnyRule } from "../core/rule.js";
import { aiWorkloadRules } from "./groups/ai-workloads.js";
import { catalogCoverageRules } from "./groups/catalog-coverage.js";
import { crossObjectRules } from "./groups/cross-object.js";
import { imageAndExposureRules } from "./groups/images-exposure.js";
import { podConfigRules } from "./groups/pod-config.js";
import { podSecurityRules } from "./groups/pod-security.js";
import { rbacRules } from "./groups/rbac.js";
import { rbacGrantRules } from "./groups/rbac-grants.js";
import { referenceRules } from "./groups/references.js";
import { resourceAndProbeRules } from "./groups/resources-probes.js";
import { schemaRules } from "./groups/schema-validation.js";
import { workloadHardeningRules } from "./groups/workload-hardening.js";

/** Rules that check objects (the built-in input rules are listed separately). */
export const RULES: readonly AnyRule[] = [
  ...podSecurityRules,
  ...podConfigRules,
  ...resourceAndProbeRules,
  ...imageAndExposureRules,
  ...rbacRules,
  ...crossObjectRules,
  ...referenceRules,
  ...aiWorkloadRules,
  ...rbacGrantRules,
  ...workloadHardeningRules,
  ...schemaRules,
  ...catalogCoverageRules,
];

/** Everything a config or suppression may name. */
export const ALL_RULES: readonly AnyRule[] = [...BUILTIN_RULES, ...RULES];

export function ruleById(id: string): AnyRule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id || r.meta.aliases?.includes(id) === true);
}
