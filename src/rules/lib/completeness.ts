// Whether the scan can be trusted to hold an object that a reference names. A scan is often part of
// what runs in a namespace (one chart of several, manifests next to objects made by hand or by an
// operator), so a reference to an object that is not in it is reported only where the scan looks
// complete. The rules are documented in docs/cross-object.md; `--assume-complete` and
// `--no-assume-complete` (RuleContext.assumeComplete) override them.
import type { Resource } from "../../core/types.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { kindIndex, namespaceOf } from "./namespaces.js";
import { matchGrant, policyRulesOf } from "./rbac.js";

/** The core-group resource names of the kinds references point at. */
const PLURALS: Readonly<Record<string, string>> = {
  Secret: "secrets",
  ConfigMap: "configmaps",
  ServiceAccount: "serviceaccounts",
  PersistentVolumeClaim: "persistentvolumeclaims",
  Service: "services",
};

/**
 * Kinds that something in the scan may create at run time: a Role or ClusterRole of the scan lets
 * its subjects create them (a Helm hook Job that generates a webhook certificate or passwords, an
 * operator that writes Secrets), so objects of that kind missing from the scan are no evidence.
 */
function kindsCreatedAtRunTime(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    for (const view of policyRulesOf(r)) {
      for (const [kind, plural] of Object.entries(PLURALS)) {
        const grant = { apiGroups: [""], resources: [plural], verbs: ["create"] };
        if (matchGrant(view.rule, grant, true) !== undefined) out.add(kind);
      }
    }
  }
  return out;
}

/** Objects every namespace has without anyone applying them. */
const IMPLICIT: Readonly<Record<string, readonly string[]>> = {
  ServiceAccount: ["default"],
  // The root CA bundle the kube-controller-manager (and OpenShift, Istio) publish in every namespace.
  ConfigMap: ["kube-root-ca.crt", "openshift-service-ca.crt", "istio-ca-root-cert"],
  Service: ["kubernetes"],
};

/** The Helm release that rendered `resource`, from the labels Helm charts conventionally set. */
export function helmRelease(resource: Resource): string | undefined {
  const labels = getIn(resource.object, ["metadata", "labels"]);
  if (!isRecord(labels)) return undefined;
  const managed =
    labels["app.kubernetes.io/managed-by"] === "Helm" ||
    labels["heritage"] === "Helm" ||
    typeof labels["helm.sh/chart"] === "string";
  if (!managed) return undefined;
  const release = labels["app.kubernetes.io/instance"] ?? labels["release"];
  return typeof release === "string" && release !== "" ? release : undefined;
}

/** Whether `name` follows the naming of `release`'s own objects (`<release>` or `<release>-…`). */
function ownedByRelease(release: string, name: string): boolean {
  return name === release || name.startsWith(`${release}-`);
}

/**
 * Names of Secrets that objects of the scan make at run time: cert-manager Certificates
 * (`spec.secretName`), External Secrets (`spec.target.name`, else the object's name) and Sealed
 * Secrets (the object's name).
 */
function producedSecrets(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    const group = r.ref.apiVersion.split("/")[0] ?? "";
    if (r.ref.kind === "Certificate" && group === "cert-manager.io") {
      const name = getIn(r.object, ["spec", "secretName"]);
      if (typeof name === "string") out.add(name);
    } else if (r.ref.kind === "ExternalSecret") {
      const name = getIn(r.object, ["spec", "target", "name"]);
      out.add(typeof name === "string" && name !== "" ? name : r.ref.name);
    } else if (r.ref.kind === "SealedSecret") {
      out.add(r.ref.name);
    }
  }
  return out;
}

export interface ReferenceCheck {
  /** Objects of `kind` in the referrer's namespace (namespace-less ones included). */
  candidates: readonly Resource[];
  /** Those of the candidates named `name`. */
  named: readonly Resource[];
  /** True when an object of `kind` named `name` is (or will be) there. */
  exists: boolean;
  /** True when its absence should be reported: the scan looks complete for this reference. */
  complete: boolean;
}

/**
 * Resolves references from objects of the scan to other objects by kind and name. The scan counts
 * as complete for a reference when `assumeComplete` says so, else when:
 * - the scan holds the referrer's Namespace object (whoever applies it manages the namespace), or
 * - the referrer was rendered by Helm and the name follows its release's naming (`<release>-…`): a
 *   chart's own objects are all in its render, while other names (`existingSecret: …`) are made
 *   outside it; or
 * - the referrer is not from Helm and the scan holds other objects of that kind in its namespace
 *   (a hand-written bundle that ships its ConfigMaps ships them all);
 * and no Role or ClusterRole of the scan lets something create objects of that kind at run time.
 */
export function referenceResolver(
  resources: readonly Resource[],
  assumeComplete: boolean | undefined,
): (referrer: Resource, kind: string, name: string, namespace?: string) => ReferenceCheck {
  const index = kindIndex(resources);
  const namespaces = new Set(resources.filter((r) => r.ref.kind === "Namespace").map((r) => r.ref.name));
  let secrets: Set<string> | undefined;
  let created: Set<string> | undefined;
  // Per namespace and kind: whether it holds objects other than the implicit ones.
  const explicit = new Map<string, boolean>();
  return (referrer, kind, name, namespace) => {
    const ns = namespace ?? namespaceOf(referrer);
    const candidates = index.ofKind(ns, kind);
    const named = index.named(ns, kind, name);
    let exists = named.length > 0 || (IMPLICIT[kind]?.includes(name) ?? false);
    if (!exists && kind === "Secret") {
      secrets ??= producedSecrets(resources);
      exists = secrets.has(name);
    }
    if (exists || assumeComplete !== undefined)
      return { candidates, named, exists, complete: assumeComplete === true };
    created ??= kindsCreatedAtRunTime(resources);
    if (created.has(kind)) return { candidates, named, exists, complete: false };
    const release = helmRelease(referrer);
    const hasExplicit = () => {
      const key = `${ns}\0${kind}`;
      let has = explicit.get(key);
      if (has === undefined) {
        // Objects every namespace has anyway (a `default` ServiceAccount) say nothing.
        has = candidates.some((r) => !(IMPLICIT[kind]?.includes(r.ref.name) ?? false));
        explicit.set(key, has);
      }
      return has;
    };
    const complete =
      (ns !== "" && namespaces.has(ns)) ||
      (release !== undefined ? ownedByRelease(release, name) : hasExplicit());
    return { candidates, named, exists, complete };
  };
}

/**
 * For selectors (a ServiceMonitor's, a NetworkPolicy peer's): the objects of `kind` in namespace
 * `ns` ("" for the referrer's; `undefined` for every namespace), and whether the scan looks complete
 * there. A selector names no object, and other objects of the kind prove nothing (the selected ones
 * are often deployed apart), so: `assumeComplete`; else the namespace's Namespace object is in the
 * scan, or the referrer was rendered by Helm and the selector names its release (a label value equal
 * to the release name selects the chart's own objects); and no Role of the scan may create the kind.
 */
export function selectionResolver(
  resources: readonly Resource[],
  assumeComplete: boolean | undefined,
): (
  referrer: Resource,
  kind: string,
  ns: string | undefined,
  selectorValues: readonly string[],
) => { candidates: readonly Resource[]; complete: boolean } {
  const index = kindIndex(resources);
  const namespaces = new Set(resources.filter((r) => r.ref.kind === "Namespace").map((r) => r.ref.name));
  let created: Set<string> | undefined;
  return (referrer, kind, ns, selectorValues) => {
    const where = ns === "" ? namespaceOf(referrer) : ns;
    // Every namespace is what the namespace-less scope holds: all objects.
    const candidates = index.ofKind(where ?? "", kind);
    if (assumeComplete !== undefined) return { candidates, complete: assumeComplete };
    created ??= kindsCreatedAtRunTime(resources);
    const release = helmRelease(referrer);
    const complete =
      !created.has(kind) &&
      ((where !== undefined && where !== "" && namespaces.has(where)) ||
        (release !== undefined && selectorValues.includes(release)));
    return { candidates, complete };
  };
}

/** The "When not to use" text every rule built on `referenceResolver` shares. */
export const COMPLETENESS_NOTE =
  "A reference to an object the scan does not hold is reported only where the scan looks complete: its Namespace object is in the scan; or, for objects rendered by Helm, the name follows the release's naming (`<release>-…`), since a chart's own objects are all in its render while other names (`existingSecret: …`) are made outside it; or, for other input, the scan holds other objects of that kind in the namespace. It is not reported when a Role or ClusterRole of the scan grants `create` on that kind (a Helm hook Job or an operator may make the object at run time). `--assume-complete` (config `assumeComplete: true`) reports every missing reference, `--no-assume-complete` none. See docs/cross-object.md.";
