// Container and Service ports as the API server validates them.
import type { Path } from "../../core/types.js";
import { containersOf, getIn, type PodSpecView } from "../../core/workloads.js";

export interface ContainerPortView {
  container: string;
  /** Absolute path of the port entry. */
  path: Path;
  name?: string;
  containerPort?: number;
  protocol: string;
}

/** Every declared port of the pod's init and regular containers (ephemeral ones may not declare any). */
export function containerPorts(pod: PodSpecView): ContainerPortView[] {
  const out: ContainerPortView[] = [];
  for (const c of containersOf(pod)) {
    if (c.kind === "ephemeralContainer") continue;
    const ports = getIn(c.container, ["ports"]);
    if (!Array.isArray(ports)) continue;
    ports.forEach((p: unknown, i) => {
      const name = getIn(p, ["name"]);
      const number = getIn(p, ["containerPort"]);
      const protocol = getIn(p, ["protocol"]);
      out.push({
        container: c.name,
        path: [...c.path, "ports", i],
        ...(typeof name === "string" ? { name } : {}),
        ...(typeof number === "number" ? { containerPort: number } : {}),
        protocol: typeof protocol === "string" ? protocol : "TCP",
      });
    });
  }
  return out;
}

/**
 * Why `name` is not a valid port name (IANA_SVC_NAME: at most 15 characters of a-z, 0-9 and '-',
 * at least one letter, no '-' at either end or twice in a row), or undefined when it is valid.
 */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return "is longer than 15 characters";
  if (!/^[a-z0-9-]+$/.test(name)) return "may contain only lowercase letters, digits and '-'";
  if (!/[a-z]/.test(name)) return "must contain at least one letter";
  if (name.startsWith("-") || name.endsWith("-")) return "must not begin or end with '-'";
  if (name.includes("--")) return "must not contain '--'";
  return undefined;
}
