// Pod configuration rules: service accounts, host paths and ports, users, sysctls, secrets in env.
import type { AnyRule } from "../../core/rule.js";

export const podConfigRules: readonly AnyRule[] = [];
