// RBAC rules: Roles, ClusterRoles and their bindings.
import type { AnyRule } from "../../core/rule.js";
import clusterAdminBinding from "../rbac/cluster-admin-binding.js";
import defaultServiceAccountBinding from "../rbac/default-service-account-binding.js";
import rbacCreatePods from "../rbac/rbac-create-pods.js";
import rbacImpersonate from "../rbac/rbac-impersonate.js";
import rbacNodesProxy from "../rbac/rbac-nodes-proxy.js";
import rbacPodExec from "../rbac/rbac-pod-exec.js";
import rbacPrivilegeEscalation from "../rbac/rbac-privilege-escalation.js";
import rbacSecretsAccess from "../rbac/rbac-secrets-access.js";
import rbacWebhookConfigWrite from "../rbac/rbac-webhook-config-write.js";
import rbacWildcard from "../rbac/rbac-wildcard.js";

export const rbacRules: readonly AnyRule[] = [
  rbacSecretsAccess,
  rbacWildcard,
  clusterAdminBinding,
  rbacPodExec,
  rbacCreatePods,
  rbacPrivilegeEscalation,
  rbacImpersonate,
  defaultServiceAccountBinding,
  rbacWebhookConfigWrite,
  rbacNodesProxy,
];
