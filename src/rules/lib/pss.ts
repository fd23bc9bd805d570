// The Pod Security Standards as the Pod Security admission controller checks them
// (k8s.io/pod-security-admission, policy/check_*.go): each check has a level and versions that take
// effect from a Kubernetes minor release; some restricted checks replace a baseline one. Written from
// the upstream field-by-field documentation and behaviour, not from its code. Pure.
import type { Path } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";

export type PssLevel = "privileged" | "baseline" | "restricted";
export const PSS_LEVELS: readonly PssLevel[] = ["privileged", "baseline", "restricted"];

/** The newest release whose checks this table holds: "latest" means it. */
export const PSS_LATEST_MINOR = 35;

export interface PssViolation {
  /** The upstream check ID (`hostNamespaces`, `runAsNonRoot`, …). */
  check: string;
  /** Where, relative to the pod: `spec` paths start at the pod spec, `meta` ones at its metadata. */
  at: "spec" | "meta";
  path: Path;
  /** What is wrong, in the controller's words. */
  detail: string;
}

interface PodInput {
  meta: Record<string, unknown>;
  spec: Record<string, unknown>;
}
type Run = (pod: PodInput) => PssViolation[];
interface Versioned {
  min: number;
  run: Run;
  /** Baseline checks this one replaces at the restricted level. */
  overrides?: readonly string[];
}
interface Check {
  id: string;
  level: "baseline" | "restricted";
  versions: readonly Versioned[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

interface ContainerRef {
  c: Record<string, unknown>;
  path: Path;
  name: string;
}
/** Init, regular and ephemeral containers, as the controller visits them. */
function containers(spec: Record<string, unknown>): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      if (isRecord(c)) out.push({ c, path: [field, i], name: str(c["name"]) || `#${String(i)}` });
    });
  }
  return out;
}

const podSc = (pod: PodInput) => getIn(pod.spec, ["securityContext"]);
const isWindows = (pod: PodInput) => getIn(pod.spec, ["os", "name"]) === "windows";
/** Pods in a user namespace (hostUsers: false) are exempt from some checks from 1.35 on. */
const inUserNamespace = (pod: PodInput) => pod.spec["hostUsers"] === false;
const skipIf =
  (cond: (pod: PodInput) => boolean, run: Run): Run =>
  (pod) =>
    cond(pod) ? [] : run(pod);

const v = (check: string, path: Path, detail: string, at: "spec" | "meta" = "spec"): PssViolation => ({
  check,
  at,
  path,
  detail,
});

// --- baseline -------------------------------------------------------------------------------

const hostNamespaces: Run = (pod) =>
  (["hostNetwork", "hostPID", "hostIPC"] as const)
    .filter((f) => pod.spec[f] === true)
    .map((f) => v("hostNamespaces", [f], `${f}=true`));

const privileged: Run = (pod) =>
  containers(pod.spec)
    .filter((r) => getIn(r.c, ["securityContext", "privileged"]) === true)
    .map((r) =>
      v(
        "privileged",
        [...r.path, "securityContext", "privileged"],
        `container "${r.name}" must not set securityContext.privileged=true`,
      ),
    );

const DEFAULT_CAPS = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const capabilitiesBaseline: Run = (pod) =>
  containers(pod.spec).flatMap((r) => {
    const add = getIn(r.c, ["securityContext", "capabilities", "add"]);
    if (!Array.isArray(add)) return [];
    return add.flatMap((cap: unknown, i) =>
      DEFAULT_CAPS.has(str(cap))
        ? []
        : [
            v(
              "capabilities_baseline",
              [...r.path, "securityContext", "capabilities", "add", i],
              `container "${r.name}" must not include "${str(cap)}" in securityContext.capabilities.add`,
            ),
          ],
    );
  });

const volumes = (pod: PodInput): { vol: Record<string, unknown>; i: number }[] => {
  const list = pod.spec["volumes"];
  return Array.isArray(list) ? list.flatMap((vol: unknown, i) => (isRecord(vol) ? [{ vol, i }] : [])) : [];
};
const set = (x: unknown) => x !== undefined && x !== null;

const hostPathVolumes: Run = (pod) =>
  volumes(pod)
    .filter(({ vol }) => set(vol["hostPath"]))
    .map(({ vol, i }) =>
      v("hostPathVolumes", ["volumes", i, "hostPath"], `hostPath volume "${str(vol["name"])}"`),
    );

const hostPorts: Run = (pod) =>
  containers(pod.spec).flatMap((r) => {
    const ports = r.c["ports"];
    if (!Array.isArray(ports)) return [];
    return ports.flatMap((p: unknown, i) => {
      const hp = isRecord(p) ? p["hostPort"] : undefined;
      return typeof hp === "number" && hp !== 0
        ? [
            v(
              "hostPorts",
              [...r.path, "ports", i, "hostPort"],
              `container "${r.name}" uses hostPort ${String(hp)}`,
            ),
          ]
        : [];
    });
  });

const APPARMOR_TYPES = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
const appArmorProfile: Run = (pod) => {
  const out: PssViolation[] = [];
  const check = (sc: unknown, path: Path, who: string) => {
    const profile = getIn(sc, ["appArmorProfile"]);
    if (!isRecord(profile)) return;
    const type = str(profile["type"]);
    if (!APPARMOR_TYPES.has(type))
      out.push(
        v(
          "appArmorProfile",
          [...path, "appArmorProfile", "type"],
          `${who} must not set AppArmor profile type to "${type}"`,
        ),
      );
  };
  check(podSc(pod), ["securityContext"], "pod");
  for (const r of containers(pod.spec))
    check(r.c["securityContext"], [...r.path, "securityContext"], `container "${r.name}"`);
  const annotations = pod.meta["annotations"];
  if (isRecord(annotations)) {
    for (const [k, value] of Object.entries(annotations)) {
      if (!k.startsWith(APPARMOR_ANNOTATION)) continue;
      const profile = str(value);
      if (profile === "" || profile === "runtime/default" || profile.startsWith("localhost/")) continue;
      out.push(v("appArmorProfile", ["annotations", k], `annotation ${k}="${profile}"`, "meta"));
    }
  }
  return out;
};

const seLinux =
  (types: ReadonlySet<string>): Run =>
  (pod) => {
    const out: PssViolation[] = [];
    const check = (sc: unknown, path: Path, who: string) => {
      const opts = getIn(sc, ["seLinuxOptions"]);
      if (!isRecord(opts)) return;
      const type = str(opts["type"]);
      if (!types.has(type))
        out.push(
          v(
            "seLinuxOptions",
            [...path, "seLinuxOptions", "type"],
            `${who} must not set seLinuxOptions type "${type}"`,
          ),
        );
      for (const key of ["user", "role"]) {
        if (str(opts[key]) !== "")
          out.push(
            v(
              "seLinuxOptions",
              [...path, "seLinuxOptions", key],
              `${who}: seLinuxOptions ${key} may not be set`,
            ),
          );
      }
    };
    check(podSc(pod), ["securityContext"], "pod");
    for (const r of containers(pod.spec))
      check(r.c["securityContext"], [...r.path, "securityContext"], `container "${r.name}"`);
    return out;
  };
const SELINUX_1_0 = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SELINUX_1_31 = new Set([...SELINUX_1_0, "container_engine_t"]);

const procMountCheck =
  (id: string): Run =>
  (pod) =>
    containers(pod.spec).flatMap((r) => {
      const pm = getIn(r.c, ["securityContext", "procMount"]);
      if (!set(pm) || pm === "Default") return [];
      return [
        v(
          id,
          [...r.path, "securityContext", "procMount"],
          `container "${r.name}" must not set securityContext.procMount to "${str(pm)}"`,
        ),
      ];
    });

const SECCOMP_ANNOTATION_POD = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_ANNOTATION_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";
const seccompBaseline_1_0: Run = (pod) => {
  const annotations = isRecord(pod.meta["annotations"]) ? pod.meta["annotations"] : {};
  const ok = (x: string) => x === "runtime/default" || x === "docker/default" || x.startsWith("localhost/");
  const keys = [
    SECCOMP_ANNOTATION_POD,
    ...containers(pod.spec).map((r) => SECCOMP_ANNOTATION_CONTAINER + r.name),
  ];
  return keys
    .filter((k) => k in annotations && !ok(str(annotations[k])))
    .map((k) =>
      v(
        "seccompProfile_baseline",
        ["annotations", k],
        `forbidden annotation ${k}="${str(annotations[k])}"`,
        "meta",
      ),
    );
};
const validSeccomp = (t: unknown) => t === "RuntimeDefault" || t === "Localhost";
const seccompBaseline_1_19: Run = (pod) => {
  const out: PssViolation[] = [];
  const profile = getIn(podSc(pod), ["seccompProfile"]);
  if (isRecord(profile) && !validSeccomp(profile["type"]))
    out.push(
      v(
        "seccompProfile_baseline",
        ["securityContext", "seccompProfile", "type"],
        `pod must not set securityContext.seccompProfile.type to "${str(profile["type"])}"`,
      ),
    );
  for (const r of containers(pod.spec)) {
    const p = getIn(r.c, ["securityContext", "seccompProfile"]);
    if (isRecord(p) && !validSeccomp(p["type"]))
      out.push(
        v(
          "seccompProfile_baseline",
          [...r.path, "securityContext", "seccompProfile", "type"],
          `container "${r.name}" must not set securityContext.seccompProfile.type to "${str(p["type"])}"`,
        ),
      );
  }
  return out;
};

const SYSCTLS_1_0 = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];
const sysctls =
  (allowed: readonly string[]): Run =>
  (pod) => {
    const list = getIn(podSc(pod), ["sysctls"]);
    if (!Array.isArray(list)) return [];
    return list.flatMap((s: unknown, i) => {
      const name = isRecord(s) ? str(s["name"]) : "";
      return allowed.includes(name)
        ? []
        : [v("sysctls", ["securityContext", "sysctls", i, "name"], `forbidden sysctl ${name}`)];
    });
  };

const windowsHostProcess: Run = (pod) => {
  const out: PssViolation[] = [];
  if (getIn(podSc(pod), ["windowsOptions", "hostProcess"]) === true)
    out.push(
      v(
        "windowsHostProcess",
        ["securityContext", "windowsOptions", "hostProcess"],
        "pod must not set securityContext.windowsOptions.hostProcess=true",
      ),
    );
  for (const r of containers(pod.spec)) {
    if (getIn(r.c, ["securityContext", "windowsOptions", "hostProcess"]) === true)
      out.push(
        v(
          "windowsHostProcess",
          [...r.path, "securityContext", "windowsOptions", "hostProcess"],
          `container "${r.name}" must not set securityContext.windowsOptions.hostProcess=true`,
        ),
      );
  }
  return out;
};

const hostProbesAndHostLifecycle: Run = (pod) =>
  containers(pod.spec).flatMap((r) => {
    const handlers: Path[] = [
      ["livenessProbe"],
      ["readinessProbe"],
      ["startupProbe"],
      ["lifecycle", "postStart"],
      ["lifecycle", "preStop"],
    ];
    return handlers.flatMap((h) =>
      ["httpGet", "tcpSocket"].flatMap((kind) => {
        const host = str(getIn(r.c, [...h, kind, "host"]));
        return host === ""
          ? []
          : [
              v(
                "hostProbesAndHostLifecycle",
                [...r.path, ...h, kind, "host"],
                `container "${r.name}" uses forbidden host "${host}"`,
              ),
            ];
      }),
    );
  });

// --- restricted -----------------------------------------------------------------------------

const ALLOWED_VOLUME_SOURCES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
];
const restrictedVolumes: Run = (pod) =>
  volumes(pod).flatMap(({ vol, i }) => {
    const sources = Object.keys(vol).filter((k) => k !== "name" && set(vol[k]));
    // A volume without a source is defaulted to emptyDir by the API server before admission.
    if (sources.length === 0 || sources.some((s) => ALLOWED_VOLUME_SOURCES.includes(s))) return [];
    const type = sources[0] ?? "";
    return [
      v(
        "restrictedVolumes",
        ["volumes", i, type],
        `volume "${str(vol["name"])}" uses restricted volume type "${type}"`,
      ),
    ];
  });

const allowPrivilegeEscalation: Run = (pod) =>
  containers(pod.spec)
    .filter((r) => getIn(r.c, ["securityContext", "allowPrivilegeEscalation"]) !== false)
    .map((r) =>
      v(
        "allowPrivilegeEscalation",
        [...r.path, "securityContext", "allowPrivilegeEscalation"],
        `container "${r.name}" must set securityContext.allowPrivilegeEscalation=false`,
      ),
    );

const runAsNonRoot: Run = (pod) => {
  const out: PssViolation[] = [];
  const podValue = getIn(podSc(pod), ["runAsNonRoot"]);
  if (podValue === false)
    out.push(
      v(
        "runAsNonRoot",
        ["securityContext", "runAsNonRoot"],
        "pod must not set securityContext.runAsNonRoot=false",
      ),
    );
  for (const r of containers(pod.spec)) {
    const value = getIn(r.c, ["securityContext", "runAsNonRoot"]);
    if (value === false)
      out.push(
        v(
          "runAsNonRoot",
          [...r.path, "securityContext", "runAsNonRoot"],
          `container "${r.name}" must not set securityContext.runAsNonRoot=false`,
        ),
      );
    else if (!set(value) && podValue !== true)
      out.push(
        v(
          "runAsNonRoot",
          [...r.path, "securityContext", "runAsNonRoot"],
          `pod or container "${r.name}" must set securityContext.runAsNonRoot=true`,
        ),
      );
  }
  return out;
};

const runAsUser: Run = (pod) => {
  const out: PssViolation[] = [];
  if (getIn(podSc(pod), ["runAsUser"]) === 0)
    out.push(v("runAsUser", ["securityContext", "runAsUser"], "pod must not set runAsUser=0"));
  for (const r of containers(pod.spec)) {
    if (getIn(r.c, ["securityContext", "runAsUser"]) === 0)
      out.push(
        v(
          "runAsUser",
          [...r.path, "securityContext", "runAsUser"],
          `container "${r.name}" must not set runAsUser=0`,
        ),
      );
  }
  return out;
};

const seccompRestricted: Run = (pod) => {
  const out: PssViolation[] = [];
  const profile = getIn(podSc(pod), ["seccompProfile"]);
  let podSet = false;
  if (isRecord(profile)) {
    if (validSeccomp(profile["type"])) podSet = true;
    else
      out.push(
        v(
          "seccompProfile_restricted",
          ["securityContext", "seccompProfile", "type"],
          `pod must not set securityContext.seccompProfile.type to "${str(profile["type"])}"`,
        ),
      );
  }
  for (const r of containers(pod.spec)) {
    const p = getIn(r.c, ["securityContext", "seccompProfile"]);
    if (isRecord(p)) {
      if (!validSeccomp(p["type"]))
        out.push(
          v(
            "seccompProfile_restricted",
            [...r.path, "securityContext", "seccompProfile", "type"],
            `container "${r.name}" must not set securityContext.seccompProfile.type to "${str(p["type"])}"`,
          ),
        );
    } else if (!podSet) {
      out.push(
        v(
          "seccompProfile_restricted",
          [...r.path, "securityContext", "seccompProfile", "type"],
          `pod or container "${r.name}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        ),
      );
    }
  }
  return out;
};

const capabilitiesRestricted: Run = (pod) =>
  containers(pod.spec).flatMap((r) => {
    const out: PssViolation[] = [];
    const caps = getIn(r.c, ["securityContext", "capabilities"]);
    const drop = getIn(caps, ["drop"]);
    if (!Array.isArray(drop) || !drop.includes("ALL"))
      out.push(
        v(
          "capabilities_restricted",
          [...r.path, "securityContext", "capabilities", "drop"],
          `container "${r.name}" must set securityContext.capabilities.drop=["ALL"]`,
        ),
      );
    const add = getIn(caps, ["add"]);
    if (Array.isArray(add)) {
      add.forEach((cap: unknown, i) => {
        if (cap !== "NET_BIND_SERVICE")
          out.push(
            v(
              "capabilities_restricted",
              [...r.path, "securityContext", "capabilities", "add", i],
              `container "${r.name}" must not include "${str(cap)}" in securityContext.capabilities.add`,
            ),
          );
      });
    }
    return out;
  });

/** Every check of the Pod Security admission controller, with the releases its versions start at. */
const CHECKS: readonly Check[] = [
  { id: "hostNamespaces", level: "baseline", versions: [{ min: 0, run: hostNamespaces }] },
  { id: "privileged", level: "baseline", versions: [{ min: 0, run: privileged }] },
  { id: "capabilities_baseline", level: "baseline", versions: [{ min: 0, run: capabilitiesBaseline }] },
  { id: "hostPathVolumes", level: "baseline", versions: [{ min: 0, run: hostPathVolumes }] },
  { id: "hostPorts", level: "baseline", versions: [{ min: 0, run: hostPorts }] },
  { id: "appArmorProfile", level: "baseline", versions: [{ min: 0, run: appArmorProfile }] },
  {
    id: "seLinuxOptions",
    level: "baseline",
    versions: [
      { min: 0, run: seLinux(SELINUX_1_0) },
      { min: 31, run: seLinux(SELINUX_1_31) },
    ],
  },
  {
    id: "procMount",
    level: "baseline",
    versions: [
      { min: 0, run: procMountCheck("procMount") },
      { min: 35, run: skipIf(inUserNamespace, procMountCheck("procMount")) },
    ],
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    versions: [
      { min: 0, run: seccompBaseline_1_0 },
      { min: 19, run: seccompBaseline_1_19 },
    ],
  },
  {
    id: "sysctls",
    level: "baseline",
    versions: [
      { min: 0, run: sysctls(SYSCTLS_1_0) },
      { min: 27, run: sysctls(SYSCTLS_1_27) },
      { min: 29, run: sysctls(SYSCTLS_1_29) },
      { min: 32, run: sysctls(SYSCTLS_1_32) },
      { min: 37, run: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: "windowsHostProcess", level: "baseline", versions: [{ min: 0, run: windowsHostProcess }] },
  {
    id: "hostProbesAndHostLifecycle",
    level: "baseline",
    versions: [{ min: 34, run: hostProbesAndHostLifecycle }],
  },
  {
    id: "restrictedVolumes",
    level: "restricted",
    versions: [{ min: 0, run: restrictedVolumes, overrides: ["hostPathVolumes"] }],
  },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    versions: [
      { min: 8, run: allowPrivilegeEscalation },
      { min: 25, run: skipIf(isWindows, allowPrivilegeEscalation) },
    ],
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    versions: [
      { min: 0, run: runAsNonRoot },
      { min: 35, run: skipIf(inUserNamespace, runAsNonRoot) },
    ],
  },
  {
    id: "runAsUser",
    level: "restricted",
    versions: [
      { min: 23, run: runAsUser },
      { min: 35, run: skipIf(inUserNamespace, runAsUser) },
    ],
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    versions: [
      { min: 19, run: seccompRestricted, overrides: ["seccompProfile_baseline"] },
      { min: 25, run: skipIf(isWindows, seccompRestricted), overrides: ["seccompProfile_baseline"] },
    ],
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    versions: [
      { min: 22, run: capabilitiesRestricted, overrides: ["capabilities_baseline"] },
      { min: 25, run: skipIf(isWindows, capabilitiesRestricted), overrides: ["capabilities_baseline"] },
    ],
  },
  {
    id: "procMount_restricted",
    level: "restricted",
    versions: [{ min: 35, run: procMountCheck("procMount_restricted"), overrides: ["procMount"] }],
  },
];

export const PSS_CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** The violations of `level` at Kubernetes 1.`minor` for one pod (metadata and spec). */
export function evaluatePss(level: PssLevel, minor: number, meta: unknown, spec: unknown): PssViolation[] {
  if (level === "privileged" || !isRecord(spec)) return [];
  const pod: PodInput = { meta: isRecord(meta) ? meta : {}, spec };
  const active: { check: Check; version: Versioned }[] = [];
  for (const check of CHECKS) {
    if (check.level === "restricted" && level !== "restricted") continue;
    const version = [...check.versions].reverse().find((x) => x.min <= minor);
    if (version !== undefined) active.push({ check, version });
  }
  const overridden = new Set(active.flatMap((a) => a.version.overrides ?? []));
  return active.filter((a) => !overridden.has(a.check.id)).flatMap((a) => a.version.run(pod));
}

/** "v1.35" → 35, "latest" → the newest; undefined for anything else (what the label validation rejects). */
export function pssVersionMinor(version: string): number | undefined {
  if (version === "latest") return PSS_LATEST_MINOR;
  const m = /^v1\.(\d+)$/.exec(version);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
