// RBAC rules for the remaining grants and subjects of the peer catalog (RB-* concepts); most are
// instances of the grant template in lib/rbac-grant.ts.
import type { AnyRule } from "../../core/rule.js";
import rbacAnonymousBinding from "../rbac/rbac-anonymous-binding.js";
import rbacConfigmapWrite from "../rbac/rbac-configmap-write.js";
import rbacCsrApprove from "../rbac/rbac-csr-approve.js";
import rbacDelete from "../rbac/rbac-delete.js";
import rbacEksAwsAuth from "../rbac/rbac-eks-aws-auth.js";
import rbacNetworkWrite from "../rbac/rbac-network-write.js";
import rbacPortForward from "../rbac/rbac-port-forward.js";
import rbacPvCreate from "../rbac/rbac-pv-create.js";
import rbacServiceStatus from "../rbac/rbac-service-status.js";
import rbacSystemMastersBinding from "../rbac/rbac-system-masters-binding.js";
import rbacTokenCreate from "../rbac/rbac-token-create.js";

export const rbacGrantRules: readonly AnyRule[] = [
  rbacAnonymousBinding,
  rbacSystemMastersBinding,
  rbacCsrApprove,
  rbacTokenCreate,
  rbacPvCreate,
  rbacEksAwsAuth,
  rbacConfigmapWrite,
  rbacPortForward,
  rbacServiceStatus,
  rbacNetworkWrite,
  rbacDelete,
];
