// Workload rules for the remaining W-* concepts of the peer catalog: SELinux, Windows host
// processes, volume types, /etc/hosts, sudo, bare pods, kube-system placement, Linux hardening.
import type { AnyRule } from "../../core/rule.js";
import nakedPod from "../reliability/naked-pod.js";
import hostAliases from "../security/host-aliases.js";
import kubeSystemNamespace from "../security/kube-system-namespace.js";
import linuxHardeningMissing from "../security/linux-hardening-missing.js";
import selinuxOptions from "../security/selinux-options.js";
import sudoInCommand from "../security/sudo-in-command.js";
import volumeTypes from "../security/volume-types.js";
import windowsHostProcess from "../security/windows-host-process.js";

export const workloadHardeningRules: readonly AnyRule[] = [
  selinuxOptions,
  windowsHostProcess,
  volumeTypes,
  hostAliases,
  sudoInCommand,
  linuxHardeningMissing,
  nakedPod,
  kubeSystemNamespace,
];
