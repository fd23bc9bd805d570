// Services as other objects reference them: by name, and by port number or port name.
import type { Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";

export interface ServicePort {
  name?: string;
  port: number;
}

/** The ports a Service declares (`spec.ports[].port` and `.name`). */
export function servicePorts(service: Resource): ServicePort[] {
  const ports = getIn(service.object, ["spec", "ports"]);
  if (!Array.isArray(ports)) return [];
  const out: ServicePort[] = [];
  for (const p of ports as unknown[]) {
    if (!isRecord(p) || typeof p["port"] !== "number") continue;
    out.push({ port: p["port"], ...(typeof p["name"] === "string" ? { name: p["name"] } : {}) });
  }
  return out;
}

/**
 * Whether `service` serves `port` (a number, or a port name when it is a string). ExternalName
 * Services and Services that declare no ports are taken to serve any port.
 */
export function servesPort(service: Resource, port: number | string): boolean {
  if (getIn(service.object, ["spec", "type"]) === "ExternalName") return true;
  const ports = servicePorts(service);
  if (ports.length === 0) return true;
  return ports.some((p) => (typeof port === "number" ? p.port === port : p.name === port));
}

/** "80, 443 (https)" for messages. */
export function describePorts(service: Resource): string {
  const ports = servicePorts(service);
  return ports.length === 0
    ? "none"
    : ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(", ");
}

export interface ServicePortEntry {
  /** Index in `spec.ports`. */
  index: number;
  port: unknown;
  targetPort: unknown;
  protocol: string;
}

/** Every entry of a Service's `spec.ports` as written (values unchecked), with its index. */
export function servicePortEntries(service: Resource): ServicePortEntry[] {
  if (service.ref.kind !== "Service") return [];
  const ports = getIn(service.object, ["spec", "ports"]);
  if (!Array.isArray(ports)) return [];
  return ports.map((p: unknown, index) => {
    const protocol = getIn(p, ["protocol"]);
    return {
      index,
      port: getIn(p, ["port"]),
      targetPort: getIn(p, ["targetPort"]),
      protocol: typeof protocol === "string" ? protocol : "TCP",
    };
  });
}
