// Pod configuration rules: service accounts, host paths and ports, users, sysctls, secrets in env.
import type { AnyRule } from "../../core/rule.js";
import deprecatedServiceAccountField from "../reliability/deprecated-service-account-field.js";
import apparmorProfile from "../security/apparmor-profile.js";
import defaultNamespace from "../security/default-namespace.js";
import defaultServiceAccount from "../security/default-service-account.js";
import hardcodedSecretInEnv from "../security/hardcoded-secret-in-env.js";
import hostPathVolume from "../security/host-path-volume.js";
import hostPort from "../security/host-port.js";
import lowGroupId from "../security/low-group-id.js";
import lowUserId from "../security/low-user-id.js";
import secretInEnv from "../security/secret-in-env.js";
import securityContextMissing from "../security/security-context-missing.js";
import sensitiveHostPath from "../security/sensitive-host-path.js";
import serviceAccountTokenAutomount from "../security/service-account-token-automount.js";
import unsafeSysctls from "../security/unsafe-sysctls.js";
import writableHostPath from "../security/writable-host-path.js";

export const podConfigRules: readonly AnyRule[] = [
  serviceAccountTokenAutomount,
  defaultServiceAccount,
  sensitiveHostPath,
  hostPathVolume,
  writableHostPath,
  hostPort,
  lowUserId,
  lowGroupId,
  securityContextMissing,
  apparmorProfile,
  unsafeSysctls,
  secretInEnv,
  hardcodedSecretInEnv,
  deprecatedServiceAccountField,
  defaultNamespace,
];
