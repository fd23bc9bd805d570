import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { hostPathVolumes, normalizeHostPath } from "../lib/host-path.js";
import { reportContainer } from "../lib/report.js";

/** Where container runtimes put their API sockets (/var/run is /run on current distributions). */
const RUNTIME_SOCKETS: readonly string[] = [
  "/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/run/docker/containerd/containerd.sock",
  "/run/k3s/containerd/containerd.sock",
  "/run/crio/crio.sock",
  "/run/cri-dockerd.sock",
  "/run/dockershim.sock",
  "/run/podman/podman.sock",
  "/var/snap/microk8s/common/run/containerd.sock",
];

/** Socket file names that mean a runtime API wherever they are (custom data roots, rootless). */
const SOCKET_NAMES: ReadonlySet<string> = new Set([
  "docker.sock",
  "containerd.sock",
  "crio.sock",
  "cri-dockerd.sock",
  "dockershim.sock",
  "podman.sock",
]);

/**
 * Host directories that are too broad to blame on this rule: `/` and `/var` expose much more and
 * are sensitive-host-path's business (and `/var/run` inside a `/var` mount is a dangling symlink).
 */
const TOO_BROAD: ReadonlySet<string> = new Set(["/", "/var"]);

function canonical(path: string): string {
  return path === "/var/run" || path.startsWith("/var/run/") ? path.slice(4) : path;
}

/** The runtime socket `hostPath` is, or the first one below it; undefined when neither. */
function socketAt(hostPath: string): { socket: string; isDirectory: boolean } | undefined {
  const path = canonical(hostPath);
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (SOCKET_NAMES.has(name) || RUNTIME_SOCKETS.includes(path))
    return { socket: hostPath, isDirectory: false };
  if (TOO_BROAD.has(hostPath)) return undefined;
  const below = RUNTIME_SOCKETS.find((s) => s.startsWith(path + "/"));
  if (below === undefined) return undefined;
  // Name the socket the way the manifest spells its directory.
  return { socket: path === hostPath ? below : "/var" + below, isDirectory: true };
}

export default defineRule({
  meta: {
    id: "container-runtime-socket",
    title: "Container runtime socket mounted",
    category: "security",
    severity: "critical",
    description:
      "The Docker, containerd or CRI-O socket is the runtime's root API: a process that can connect to it can start a privileged container with the node's filesystem mounted, which is root on the node. A read-only mount does not help, since connecting to a socket is not a write to the filesystem.",
    remediation:
      "Remove the hostPath volume for the runtime socket; use the Kubernetes API, a build service (BuildKit, Kaniko) or a dedicated node agent instead.",
    messages: {
      socket:
        "Container `{{container}}` mounts the container runtime socket `{{hostPath}}` (volume `{{volume}}`).",
      socketDirectory:
        "Container `{{container}}` mounts host directory `{{hostPath}}` (volume `{{volume}}`), which holds container runtime sockets such as `{{socket}}`.",
    },
    fix: "none",
    standards: { pss: "baseline", nsa: ["Pod security enforcement"], mitre: ["T1610", "T1611"] },
    concepts: ["W-SOCK"],
    equivalents: {
      trivy: ["KSV-0006"],
      "kube-linter": ["docker-sock"],
      kubescape: ["C-0074"],
      checkov: ["CKV_K8S_27"],
      kics: ["a6f34658-fdfb-4154-9536-56d516f65828"],
      terrascan: ["AC_K8S_0088"],
    },
    notes:
      "Only hostPath volumes that a container mounts are reported, and a `subPath` is followed (a /run volume mounted with `subPath: lock` is fine). Mounting `/` or `/var` also exposes the socket; sensitive-host-path reports those. Log shippers, monitoring agents and CI runners (Docker-in-Docker) often ask for the socket: prefer their containerd/CRI or API modes, or exempt the DaemonSet knowingly.",
  },
  create(context) {
    return {
      container(c) {
        const volumes = hostPathVolumes(c.pod);
        if (volumes.length === 0) return;
        (c.container.volumeMounts ?? []).forEach((mount, index) => {
          if (!isRecord(mount)) return;
          const volume = volumes.find((v) => v.name === mount.name);
          if (volume === undefined) return;
          const sub = mount.subPath;
          const hostPath =
            typeof sub === "string" && sub !== ""
              ? normalizeHostPath(`${volume.normalized}/${sub}`)
              : volume.normalized;
          const found = socketAt(hostPath);
          if (found === undefined) return;
          reportContainer(
            context,
            c,
            ["volumeMounts", index],
            found.isDirectory ? "socketDirectory" : "socket",
            { hostPath, volume: volume.name, socket: found.socket },
          );
        });
      },
    };
  },
});
