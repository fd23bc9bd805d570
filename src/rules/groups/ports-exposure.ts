// Single-object network rules: port names and numbers, Service exposure, endpoint addresses and
// NetworkPolicies that open everything.
import type { AnyRule } from "../../core/rule.js";
import containerPortDuplicate from "../network/container-port-duplicate.js";
import endpointsLoopback from "../network/endpoints-loopback.js";
import netpolAllowAll from "../network/netpol-allow-all.js";
import netpolSelectorMissing from "../network/netpol-selector-missing.js";
import portNameInvalid from "../network/port-name-invalid.js";
import privilegedPort from "../network/privileged-port.js";
import serviceExternalLoadBalancer from "../network/service-external-load-balancer.js";
import serviceWithoutSelector from "../network/service-without-selector.js";
import sshPort from "../network/ssh-port.js";

export const portAndExposureRules: readonly AnyRule[] = [
  portNameInvalid,
  containerPortDuplicate,
  sshPort,
  privilegedPort,
  serviceWithoutSelector,
  serviceExternalLoadBalancer,
  endpointsLoopback,
  netpolAllowAll,
  netpolSelectorMissing,
];
