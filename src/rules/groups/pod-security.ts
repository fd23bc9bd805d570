// Pod and container security rules (Pod Security Standards and beyond).
import type { AnyRule } from "../../core/rule.js";
import addedCapabilities from "../security/added-capabilities.js";
import capabilitiesNotDropped from "../security/capabilities-not-dropped.js";
import containerRuntimeSocket from "../security/container-runtime-socket.js";
import dangerousCapabilities from "../security/dangerous-capabilities.js";
import hostIpc from "../security/host-ipc.js";
import hostNetwork from "../security/host-network.js";
import hostPid from "../security/host-pid.js";
import netRawCapability from "../security/net-raw-capability.js";
import privilegeEscalation from "../security/privilege-escalation.js";
import privilegedContainer from "../security/privileged-container.js";
import readOnlyRootFilesystem from "../security/read-only-root-filesystem.js";
import podSecurityStandards from "../security/pod-security-standards.js";
import runAsRoot from "../security/run-as-root.js";
import seccompProfile from "../security/seccomp-profile.js";
import unmaskedProcMount from "../security/unmasked-proc-mount.js";

export const podSecurityRules: readonly AnyRule[] = [
  privilegedContainer,
  hostPid,
  hostIpc,
  hostNetwork,
  containerRuntimeSocket,
  dangerousCapabilities,
  privilegeEscalation,
  runAsRoot,
  unmaskedProcMount,
  seccompProfile,
  netRawCapability,
  addedCapabilities,
  capabilitiesNotDropped,
  readOnlyRootFilesystem,
  podSecurityStandards,
];
