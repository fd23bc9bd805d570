// Objects of a live cluster (or a snapshot of one) as resources for the static rules, for
// `kubeward scan --cluster`. What the API server adds is not configuration and is stripped before
// rules run: `status`, `metadata.managedFields` and the last-applied annotation (a copy of the
// object; for Secrets, of their values). Secrets keep metadata only. Findings point at objects
// kubectl-style (`deployment/web -n shop` plus the field path), never at a file. Pure: no I/O.
import { formatPath } from "../core/baseline.js";
import { inputFinding } from "../core/findings.js";
import { notScanned } from "../core/builtin.js";
import type { Finding, KObject, Resource, SourceLocator } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { sanitise } from "../diagnose/objects.js";
import type { ReadProblem } from "../diagnose/types.js";
import { refOf } from "./yaml.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Kinds made by a controller from a template of their owner: when the owner is scanned too, its
 * findings cover them, so they are not reported again (a Deployment's ReplicaSets and Pods, a
 * CronJob's Jobs). Owned objects whose owner was not read (an operator's custom resource) stay.
 */
const TEMPLATED = new Set(["Pod", "ReplicaSet", "Job"]);

/** Built-in API groups: kubectl names their kinds without the group (`deployment/web`). */
function builtinGroup(group: string): boolean {
  return group === "" || !group.includes(".") || group.endsWith(".k8s.io");
}

/** `deployment/web -n shop`, `clusterrole/admin`, `servicemonitor.monitoring.coreos.com/web -n shop`. */
export function kubectlRef(o: KObject): string {
  const ref = refOf(o);
  const apiVersion = ref.apiVersion;
  const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
  const kind = ref.kind.toLowerCase() + (builtinGroup(group) ? "" : `.${group}`);
  return `${kind}/${ref.name}${ref.namespace !== undefined ? ` -n ${ref.namespace}` : ""}`;
}

/** The object without what the API server adds: status, managedFields, the last-applied copy. */
export function configOf(o: KObject): KObject {
  const rest = Object.fromEntries(Object.entries(sanitise(o)).filter(([k]) => k !== "status"));
  const meta = isRecord(rest["metadata"]) ? rest["metadata"] : {};
  if (!isRecord(meta["annotations"]) || !(LAST_APPLIED in meta["annotations"])) return rest;
  const annotations = Object.fromEntries(
    Object.entries(meta["annotations"]).filter(([k]) => k !== LAST_APPLIED),
  );
  return { ...rest, metadata: { ...meta, annotations } };
}

/** No file behind a live object: its "location" is its reference (the engine uses `cluster`). */
function locatorOf(ref: string): SourceLocator {
  return { locate: () => ({ loc: { file: ref, line: 0, column: 0 }, exact: true }) };
}

function uidOf(o: KObject): string | undefined {
  const meta = isRecord(o["metadata"]) ? o["metadata"] : {};
  return typeof meta["uid"] === "string" ? meta["uid"] : undefined;
}

/** The uid of the object's controller (ownerReferences with `controller: true`). */
function controllerUid(o: KObject): string | undefined {
  const meta = isRecord(o["metadata"]) ? o["metadata"] : {};
  const owners = Array.isArray(meta["ownerReferences"]) ? meta["ownerReferences"] : [];
  for (const owner of owners)
    if (isRecord(owner) && owner["controller"] === true && typeof owner["uid"] === "string")
      return owner["uid"];
  return undefined;
}

export interface ClusterResources {
  resources: Resource[];
  /** Objects left out because their controller (also scanned) is reported instead. */
  owned: number;
}

/**
 * Resources for the rules from listed objects. With `namespace`, Namespace objects other than it
 * are left out (cluster-scoped objects otherwise stay, as with kubectl -n).
 */
export function clusterResources(
  objects: readonly KObject[],
  options: { context?: string; namespace?: string } = {},
): ClusterResources {
  const uids = new Set<string>();
  for (const o of objects) {
    const uid = uidOf(o);
    if (uid !== undefined) uids.add(uid);
  }
  const resources: Resource[] = [];
  let owned = 0;
  for (const [i, raw] of objects.entries()) {
    const kind = raw["kind"];
    if (typeof kind !== "string" || typeof raw["apiVersion"] !== "string") continue;
    if (kind === "Namespace" && options.namespace !== undefined && refOf(raw).name !== options.namespace)
      continue;
    const owner = controllerUid(raw);
    if (TEMPLATED.has(kind) && owner !== undefined && uids.has(owner)) {
      owned++;
      continue;
    }
    const object = configOf(raw);
    const ref = kubectlRef(object);
    resources.push({
      ref: refOf(object),
      object,
      file: ref,
      docIndex: i,
      source: locatorOf(ref),
      cluster: { ref, ...(options.context !== undefined ? { context: options.context } : {}) },
    });
  }
  return { resources, owned };
}

/** A kind that could not be read (a 403): a `not-scanned` finding, so every format reports it. */
export function unreadableFindings(unreadable: readonly ReadProblem[], context?: string): Finding[] {
  return unreadable.map((u) => {
    const where = u.namespace !== undefined ? ` -n ${u.namespace}` : "";
    const detail = `${u.kind} objects${u.namespace !== undefined ? ` in namespace ${u.namespace}` : ""} could not be read (${u.message}): no rule checked them, and rules that compare objects (cross-object) did not run.`;
    return inputFinding(
      notScanned,
      "notice",
      { detail },
      {
        cluster: {
          ref: `${u.kind.toLowerCase()}${where}`,
          fieldPath: formatPath([]),
          ...(context !== undefined ? { context } : {}),
        },
      },
      { remediation: "Grant list on this kind to the identity kubeward uses (or accept the gap)." },
    );
  });
}
