// Every Pod Security Standards check, with allowed and disallowed values, at the versions where
// its behaviour changes (k8s.io/pod-security-admission policy/check_*.go).
import { describe, expect, it } from "vitest";
import { evaluatePss, pssVersionMinor, type PssLevel } from "../../../src/rules/lib/pss.js";

type Obj = Record<string, unknown>;
const container = (sc: Obj = {}, extra: Obj = {}): Obj => ({
  name: "app",
  image: "app:1",
  securityContext: sc,
  ...extra,
});
/** A pod that passes restricted at every version: each test breaks one field. */
const good = (spec: Obj = {}, c: Obj = {}, cExtra: Obj = {}): Obj => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containers: [container({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ...c }, cExtra)],
  ...spec,
});
const checks = (level: PssLevel, minor: number, spec: Obj, meta: Obj = {}) =>
  evaluatePss(level, minor, meta, spec).map((x) => x.check);

describe("baseline", () => {
  it("passes the hardened pod at every level and version", () => {
    for (const minor of [0, 18, 19, 22, 25, 31, 34, 35, 37]) {
      expect(checks("restricted", minor, good())).toEqual([]);
      expect(checks("baseline", minor, good())).toEqual([]);
    }
  });
  it("privileged level checks nothing", () => {
    expect(checks("privileged", 35, good({ hostNetwork: true }))).toEqual([]);
  });
  it("hostNamespaces: true is forbidden, false and unset allowed", () => {
    expect(checks("baseline", 35, good({ hostNetwork: true, hostPID: true, hostIPC: true }))).toEqual([
      "hostNamespaces",
      "hostNamespaces",
      "hostNamespaces",
    ]);
    expect(checks("baseline", 35, good({ hostNetwork: false, hostPID: false }))).toEqual([]);
  });
  it("privileged: true forbidden in every container kind, false allowed", () => {
    const spec = good({
      initContainers: [container({ privileged: true })],
      ephemeralContainers: [container({ privileged: true })],
    });
    expect(checks("baseline", 35, spec)).toEqual(["privileged", "privileged"]);
    expect(checks("baseline", 35, good({}, { privileged: false }))).toEqual([]);
  });
  it("capabilities_baseline: the default set may be added, others not", () => {
    expect(
      checks(
        "baseline",
        35,
        good({}, { capabilities: { add: ["CHOWN", "NET_BIND_SERVICE", "SYS_CHROOT"] } }),
      ),
    ).toEqual([]);
    expect(checks("baseline", 35, good({}, { capabilities: { add: ["NET_RAW", "SYS_ADMIN"] } }))).toEqual([
      "capabilities_baseline",
      "capabilities_baseline",
    ]);
  });
  it("hostPathVolumes: any hostPath volume", () => {
    expect(checks("baseline", 35, good({ volumes: [{ name: "h", hostPath: { path: "/tmp" } }] }))).toEqual([
      "hostPathVolumes",
    ]);
    expect(checks("baseline", 35, good({ volumes: [{ name: "e", emptyDir: {} }] }))).toEqual([]);
  });
  it("hostPorts: non-zero forbidden, 0 and unset allowed", () => {
    expect(checks("baseline", 35, good({}, {}, { ports: [{ containerPort: 80, hostPort: 8080 }] }))).toEqual([
      "hostPorts",
    ]);
    expect(
      checks(
        "baseline",
        35,
        good({}, {}, { ports: [{ containerPort: 80, hostPort: 0 }, { containerPort: 81 }] }),
      ),
    ).toEqual([]);
  });
  it("appArmorProfile: RuntimeDefault and Localhost allowed, Unconfined not; annotations likewise", () => {
    expect(checks("baseline", 35, good({}, { appArmorProfile: { type: "RuntimeDefault" } }))).toEqual([]);
    expect(
      checks("baseline", 35, good({}, { appArmorProfile: { type: "Localhost", localhostProfile: "p" } })),
    ).toEqual([]);
    expect(checks("baseline", 35, good({}, { appArmorProfile: { type: "Unconfined" } }))).toEqual([
      "appArmorProfile",
    ]);
    const pod = good({ securityContext: { appArmorProfile: { type: "Unconfined" } } });
    expect(checks("baseline", 35, pod)).toEqual(["appArmorProfile"]);
    const key = "container.apparmor.security.beta.kubernetes.io/app";
    expect(checks("baseline", 35, good(), { annotations: { [key]: "unconfined" } })).toEqual([
      "appArmorProfile",
    ]);
    for (const ok of ["runtime/default", "localhost/p", ""])
      expect(checks("baseline", 35, good(), { annotations: { [key]: ok } })).toEqual([]);
  });
  it("seLinuxOptions: allowed types by version; user and role never", () => {
    expect(
      checks("baseline", 35, good({}, { seLinuxOptions: { type: "container_t", level: "s0:c1" } })),
    ).toEqual([]);
    expect(checks("baseline", 30, good({}, { seLinuxOptions: { type: "container_engine_t" } }))).toEqual([
      "seLinuxOptions",
    ]);
    expect(checks("baseline", 31, good({}, { seLinuxOptions: { type: "container_engine_t" } }))).toEqual([]);
    expect(checks("baseline", 35, good({}, { seLinuxOptions: { type: "spc_t" } }))).toEqual([
      "seLinuxOptions",
    ]);
    expect(checks("baseline", 35, good({}, { seLinuxOptions: { user: "system_u", role: "r" } }))).toEqual([
      "seLinuxOptions",
      "seLinuxOptions",
    ]);
  });
  it("procMount: Default allowed, Unmasked not; user namespaces exempt from 1.35", () => {
    expect(checks("baseline", 35, good({}, { procMount: "Default" }))).toEqual([]);
    expect(checks("baseline", 35, good({}, { procMount: "Unmasked" }))).toEqual(["procMount"]);
    expect(checks("baseline", 34, good({ hostUsers: false }, { procMount: "Unmasked" }))).toEqual([
      "procMount",
    ]);
    expect(checks("baseline", 35, good({ hostUsers: false }, { procMount: "Unmasked" }))).toEqual([]);
    // restricted replaces it from 1.35 with a check that knows no user-namespace exemption
    expect(checks("restricted", 35, good({ hostUsers: false }, { procMount: "Unmasked" }))).toEqual([
      "procMount_restricted",
    ]);
    expect(checks("restricted", 34, good({}, { procMount: "Unmasked" }))).toEqual(["procMount"]);
  });
  it("seccompProfile_baseline: annotations before 1.19, fields from 1.19", () => {
    const meta = { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } };
    expect(checks("baseline", 18, good(), meta)).toEqual(["seccompProfile_baseline"]);
    expect(checks("baseline", 19, good(), meta)).toEqual([]);
    expect(
      checks("baseline", 18, good(), {
        annotations: { "container.seccomp.security.alpha.kubernetes.io/app": "docker/default" },
      }),
    ).toEqual([]);
    expect(checks("baseline", 35, good({}, { seccompProfile: { type: "Unconfined" } }))).toEqual([
      "seccompProfile_baseline",
    ]);
    expect(
      checks("baseline", 35, good({}, { seccompProfile: { type: "Localhost", localhostProfile: "p" } })),
    ).toEqual([]);
    expect(checks("baseline", 35, { containers: [container()] })).toEqual([]);
  });
  it("sysctls: the safe set grows with the version", () => {
    const pod = (name: string) =>
      good({
        securityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: "RuntimeDefault" },
          sysctls: [{ name, value: "1" }],
        },
      });
    expect(checks("baseline", 35, pod("kernel.shm_rmid_forced"))).toEqual([]);
    expect(checks("baseline", 26, pod("net.ipv4.ip_local_reserved_ports"))).toEqual(["sysctls"]);
    expect(checks("baseline", 27, pod("net.ipv4.ip_local_reserved_ports"))).toEqual([]);
    expect(checks("baseline", 28, pod("net.ipv4.tcp_keepalive_time"))).toEqual(["sysctls"]);
    expect(checks("baseline", 29, pod("net.ipv4.tcp_keepalive_time"))).toEqual([]);
    expect(checks("baseline", 31, pod("net.ipv4.tcp_rmem"))).toEqual(["sysctls"]);
    expect(checks("baseline", 32, pod("net.ipv4.tcp_rmem"))).toEqual([]);
    expect(checks("baseline", 35, pod("net.ipv4.tcp_notsent_lowat"))).toEqual(["sysctls"]);
    expect(checks("baseline", 37, pod("net.ipv4.tcp_notsent_lowat"))).toEqual([]);
    expect(checks("baseline", 35, pod("kernel.msgmax"))).toEqual(["sysctls"]);
  });
  it("windowsHostProcess: true forbidden on pod and containers", () => {
    expect(checks("baseline", 35, good({}, { windowsOptions: { hostProcess: true } }))).toEqual([
      "windowsHostProcess",
    ]);
    expect(
      checks(
        "baseline",
        35,
        good({
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
            windowsOptions: { hostProcess: true },
          },
        }),
      ),
    ).toEqual(["windowsHostProcess"]);
    expect(checks("baseline", 35, good({}, { windowsOptions: { hostProcess: false } }))).toEqual([]);
  });
  it("hostProbesAndHostLifecycle: a host in probes or handlers, from 1.34", () => {
    const probe = {
      livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } },
      lifecycle: { preStop: { tcpSocket: { host: "x", port: 1 } } },
    };
    expect(checks("baseline", 33, good({}, {}, probe))).toEqual([]);
    expect(checks("baseline", 34, good({}, {}, probe))).toEqual([
      "hostProbesAndHostLifecycle",
      "hostProbesAndHostLifecycle",
    ]);
    expect(
      checks("baseline", 35, good({}, {}, { readinessProbe: { httpGet: { host: "", port: 80 } } })),
    ).toEqual([]);
  });
});

describe("restricted", () => {
  it("restrictedVolumes: only the listed sources; replaces hostPathVolumes", () => {
    const ok = [
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
    expect(checks("restricted", 35, good({ volumes: ok.map((s) => ({ name: s, [s]: {} })) }))).toEqual([]);
    expect(
      checks("restricted", 35, good({ volumes: [{ name: "nfs", nfs: { server: "s", path: "/" } }] })),
    ).toEqual(["restrictedVolumes"]);
    expect(checks("restricted", 35, good({ volumes: [{ name: "h", hostPath: { path: "/" } }] }))).toEqual([
      "restrictedVolumes",
    ]);
    // a volume without a source is defaulted to emptyDir
    expect(checks("restricted", 35, good({ volumes: [{ name: "none" }] }))).toEqual([]);
  });
  it("allowPrivilegeEscalation: must be false, from 1.8; Windows pods exempt from 1.25", () => {
    expect(checks("restricted", 35, good({}, { allowPrivilegeEscalation: true }))).toEqual([
      "allowPrivilegeEscalation",
    ]);
    expect(checks("restricted", 35, good({}, { allowPrivilegeEscalation: undefined }))).toEqual([
      "allowPrivilegeEscalation",
    ]);
    expect(checks("restricted", 7, good({}, { allowPrivilegeEscalation: true }))).not.toContain(
      "allowPrivilegeEscalation",
    );
    expect(
      checks("restricted", 24, good({ os: { name: "windows" } }, { allowPrivilegeEscalation: true })),
    ).toContain("allowPrivilegeEscalation");
    expect(
      checks("restricted", 25, good({ os: { name: "windows" } }, { allowPrivilegeEscalation: true })),
    ).toEqual([]);
  });
  it("runAsNonRoot: pod true covers containers; explicit false anywhere fails; user namespaces exempt from 1.35", () => {
    expect(
      checks("restricted", 35, good({ securityContext: { seccompProfile: { type: "RuntimeDefault" } } })),
    ).toEqual(["runAsNonRoot"]);
    expect(
      checks(
        "restricted",
        35,
        good({ securityContext: { seccompProfile: { type: "RuntimeDefault" } } }, { runAsNonRoot: true }),
      ),
    ).toEqual([]);
    expect(checks("restricted", 35, good({}, { runAsNonRoot: false }))).toEqual(["runAsNonRoot"]);
    expect(
      checks(
        "restricted",
        35,
        good(
          { securityContext: { runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } } },
          { runAsNonRoot: true },
        ),
      ),
    ).toEqual(["runAsNonRoot"]);
    expect(checks("restricted", 34, good({ hostUsers: false }, { runAsNonRoot: false }))).toEqual([
      "runAsNonRoot",
    ]);
    expect(checks("restricted", 35, good({ hostUsers: false }, { runAsNonRoot: false }))).toEqual([]);
  });
  it("runAsUser: 0 forbidden from 1.23, other values allowed", () => {
    expect(checks("restricted", 35, good({}, { runAsUser: 0 }))).toEqual(["runAsUser"]);
    expect(checks("restricted", 22, good({}, { runAsUser: 0 }))).toEqual([]);
    expect(checks("restricted", 35, good({}, { runAsUser: 1000 }))).toEqual([]);
    expect(checks("restricted", 35, good({ hostUsers: false }, { runAsUser: 0 }))).toEqual([]);
  });
  it("seccompProfile_restricted: must be RuntimeDefault or Localhost at pod or container level", () => {
    expect(checks("restricted", 35, good({ securityContext: { runAsNonRoot: true } }))).toEqual([
      "seccompProfile_restricted",
    ]);
    expect(
      checks(
        "restricted",
        35,
        good(
          { securityContext: { runAsNonRoot: true } },
          { seccompProfile: { type: "Localhost", localhostProfile: "p" } },
        ),
      ),
    ).toEqual([]);
    // replaces the baseline check: Unconfined is one violation, not two
    expect(checks("restricted", 35, good({}, { seccompProfile: { type: "Unconfined" } }))).toEqual([
      "seccompProfile_restricted",
    ]);
    expect(checks("restricted", 18, good({ securityContext: { runAsNonRoot: true } }))).toEqual([]);
    expect(
      checks("restricted", 25, good({ os: { name: "windows" }, securityContext: { runAsNonRoot: true } })),
    ).toEqual([]);
  });
  it("capabilities_restricted: drop ALL, add only NET_BIND_SERVICE, from 1.22; replaces baseline", () => {
    expect(
      checks("restricted", 35, good({}, { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })),
    ).toEqual([]);
    expect(checks("restricted", 35, good({}, { capabilities: { drop: ["NET_RAW"] } }))).toEqual([
      "capabilities_restricted",
    ]);
    expect(
      checks("restricted", 35, good({}, { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } })),
    ).toEqual(["capabilities_restricted"]);
    expect(checks("restricted", 21, good({}, { capabilities: { add: ["SYS_ADMIN"] } }))).toEqual([
      "capabilities_baseline",
    ]);
    expect(checks("restricted", 21, good({}, { capabilities: { add: ["CHOWN"] } }))).toEqual([]);
    expect(checks("restricted", 25, good({ os: { name: "windows" } }, { capabilities: {} }))).toEqual([]);
  });
});

describe("pssVersionMinor", () => {
  it("reads latest and v1.N, rejects anything else", () => {
    expect(pssVersionMinor("latest")).toBe(35);
    expect(pssVersionMinor("v1.29")).toBe(29);
    expect(pssVersionMinor("1.29")).toBeUndefined();
    expect(pssVersionMinor("v2.0")).toBeUndefined();
  });
});
