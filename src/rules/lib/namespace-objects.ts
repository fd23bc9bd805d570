// Namespace-level rules look at the Namespace objects of the scan: whoever applies a Namespace
// manages what it holds, so what the scan lacks there is missing.
import type { Resource } from "../../core/types.js";
import { namespaceScope } from "./namespaces.js";

export interface NamespaceView {
  namespace: Resource;
  /** Objects that may be in it: its own and the namespace-less ones. */
  members: readonly Resource[];
}

export function namespaceObjects(resources: readonly Resource[]): NamespaceView[] {
  const scope = namespaceScope(resources);
  return resources
    .filter((r) => r.ref.kind === "Namespace")
    .map((namespace) => ({ namespace, members: scope(namespace.ref.name) }));
}
