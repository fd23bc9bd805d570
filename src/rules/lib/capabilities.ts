// Linux capabilities as container runtimes read them. containerd and CRI-O upper-case each name and
// prefix it with `CAP_`, so `sys_admin` adds CAP_SYS_ADMIN; `ALL` is matched case-insensitively.
import type { Path } from "../../core/types.js";
import type { ContainerView } from "../../core/workloads.js";
import type { FixOffer } from "./report.js";

export interface CapabilityEntry {
  /** The name as written. */
  name: string;
  /** Upper-cased, without a `CAP_` prefix: `cap_net_raw` → `NET_RAW`. */
  normalized: string;
  /** Index in the `add` or `drop` list. */
  index: number;
  /** Path relative to the container, e.g. ["securityContext", "capabilities", "add", 0]. */
  at: Path;
}

export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** `ALL` in any case (runtimes compare it case-insensitively; `CAP_ALL` is not ALL to them). */
export function isAllCapabilities(name: string): boolean {
  return name.toUpperCase() === "ALL";
}

/** The container's `securityContext.capabilities.add` or `.drop` entries (non-strings skipped). */
export function capabilityEntries(c: ContainerView, field: "add" | "drop"): CapabilityEntry[] {
  const list: unknown = c.container.securityContext?.capabilities?.[field];
  if (!Array.isArray(list)) return [];
  const out: CapabilityEntry[] = [];
  list.forEach((name: unknown, index) => {
    if (typeof name !== "string") return;
    out.push({
      name,
      normalized: normalizeCapability(name),
      index,
      at: ["securityContext", "capabilities", field, index],
    });
  });
  return out;
}

/** A rule option that lists capability names, normalized. */
export function capabilityOption(names: readonly string[]): Set<string> {
  return new Set(names.map(normalizeCapability));
}

/** The fix that takes one added capability out of `capabilities.add` (paths relative to the container). */
export function removeAddedFix(c: ContainerView, e: CapabilityEntry): FixOffer {
  return {
    fix: {
      description: `Remove ${e.name} from securityContext.capabilities.add of container ${c.name}.`,
      ops: [{ op: "remove", path: e.at }],
    },
  };
}
