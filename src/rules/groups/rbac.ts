// RBAC rules: Roles, ClusterRoles and their bindings.
import type { AnyRule } from "../../core/rule.js";

export const rbacRules: readonly AnyRule[] = [];
