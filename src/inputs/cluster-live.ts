// Live clusters for `kubeward diagnose` and `kubeward scan --cluster`: kubeconfig, context, credentials and TLS come from
// @kubernetes/client-node's KubeConfig; each kind is listed once (paginated with `continue`),
// several kinds at a time with a bound. Secrets are listed as PartialObjectMetadata, so their
// values never leave the API server. A 403 or other failure on one kind is reported, not fatal.
// The requests are plain GETs with the options KubeConfig applies: the typed clients turn objects
// into classes (dates become Date objects) and cannot ask for metadata only on one kind.
import { existsSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { homedir } from "node:os";
import { join } from "node:path";
import { InputError, UsageError } from "../core/errors.js";
import type { KObject } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { sanitise } from "../diagnose/objects.js";
import type { ReadProblem } from "../diagnose/types.js";

/** One kind diagnose reads: where it lives in the API and whether it is namespaced. */
export interface KindSpec {
  kind: string;
  groupVersion: string;
  plural: string;
  namespaced: boolean;
  /** List metadata only (Secrets). */
  metadataOnly?: boolean;
  /** Not filtered by -l (lookups for other objects). */
  unfiltered?: boolean;
  /** An optional API (Gateway API): a 404 means "not installed", not a problem. */
  optional?: boolean;
}

export const LIVE_KINDS: readonly KindSpec[] = [
  { kind: "Pod", groupVersion: "v1", plural: "pods", namespaced: true },
  { kind: "Service", groupVersion: "v1", plural: "services", namespaced: true },
  { kind: "Event", groupVersion: "v1", plural: "events", namespaced: true, unfiltered: true },
  { kind: "ConfigMap", groupVersion: "v1", plural: "configmaps", namespaced: true },
  { kind: "Secret", groupVersion: "v1", plural: "secrets", namespaced: true, metadataOnly: true },
  { kind: "PersistentVolumeClaim", groupVersion: "v1", plural: "persistentvolumeclaims", namespaced: true },
  { kind: "PersistentVolume", groupVersion: "v1", plural: "persistentvolumes", namespaced: false },
  { kind: "Node", groupVersion: "v1", plural: "nodes", namespaced: false },
  { kind: "Deployment", groupVersion: "apps/v1", plural: "deployments", namespaced: true },
  { kind: "ReplicaSet", groupVersion: "apps/v1", plural: "replicasets", namespaced: true },
  { kind: "DaemonSet", groupVersion: "apps/v1", plural: "daemonsets", namespaced: true },
  { kind: "StatefulSet", groupVersion: "apps/v1", plural: "statefulsets", namespaced: true },
  { kind: "Job", groupVersion: "batch/v1", plural: "jobs", namespaced: true },
  { kind: "CronJob", groupVersion: "batch/v1", plural: "cronjobs", namespaced: true },
  {
    kind: "EndpointSlice",
    groupVersion: "discovery.k8s.io/v1",
    plural: "endpointslices",
    namespaced: true,
    unfiltered: true,
  },
  { kind: "Ingress", groupVersion: "networking.k8s.io/v1", plural: "ingresses", namespaced: true },
  { kind: "IngressClass", groupVersion: "networking.k8s.io/v1", plural: "ingressclasses", namespaced: false },
  {
    kind: "NetworkPolicy",
    groupVersion: "networking.k8s.io/v1",
    plural: "networkpolicies",
    namespaced: true,
  },
  {
    kind: "HorizontalPodAutoscaler",
    groupVersion: "autoscaling/v2",
    plural: "horizontalpodautoscalers",
    namespaced: true,
  },
  {
    kind: "PodDisruptionBudget",
    groupVersion: "policy/v1",
    plural: "poddisruptionbudgets",
    namespaced: true,
  },
  { kind: "StorageClass", groupVersion: "storage.k8s.io/v1", plural: "storageclasses", namespaced: false },
  {
    kind: "ValidatingWebhookConfiguration",
    groupVersion: "admissionregistration.k8s.io/v1",
    plural: "validatingwebhookconfigurations",
    namespaced: false,
  },
  {
    kind: "MutatingWebhookConfiguration",
    groupVersion: "admissionregistration.k8s.io/v1",
    plural: "mutatingwebhookconfigurations",
    namespaced: false,
  },
  {
    kind: "GatewayClass",
    groupVersion: "gateway.networking.k8s.io/v1",
    plural: "gatewayclasses",
    namespaced: false,
    optional: true,
  },
  {
    kind: "Gateway",
    groupVersion: "gateway.networking.k8s.io/v1",
    plural: "gateways",
    namespaced: true,
    optional: true,
  },
  {
    kind: "HTTPRoute",
    groupVersion: "gateway.networking.k8s.io/v1",
    plural: "httproutes",
    namespaced: true,
    optional: true,
  },
];

/**
 * What `scan --cluster` lists: the kinds the static rules look at (workloads, RBAC, networking,
 * policy objects). Events, nodes and custom resources are not needed; Secrets stay metadata-only.
 */
export const SCAN_KINDS: readonly KindSpec[] = [
  ...LIVE_KINDS.filter(
    (k) =>
      ![
        "Event",
        "PersistentVolume",
        "Node",
        "StorageClass",
        "GatewayClass",
        "Gateway",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
      ].includes(k.kind),
  ),
  { kind: "Namespace", groupVersion: "v1", plural: "namespaces", namespaced: false },
  { kind: "ServiceAccount", groupVersion: "v1", plural: "serviceaccounts", namespaced: true },
  { kind: "LimitRange", groupVersion: "v1", plural: "limitranges", namespaced: true },
  { kind: "ResourceQuota", groupVersion: "v1", plural: "resourcequotas", namespaced: true },
  {
    kind: "ReplicationController",
    groupVersion: "v1",
    plural: "replicationcontrollers",
    namespaced: true,
  },
  { kind: "Role", groupVersion: "rbac.authorization.k8s.io/v1", plural: "roles", namespaced: true },
  {
    kind: "RoleBinding",
    groupVersion: "rbac.authorization.k8s.io/v1",
    plural: "rolebindings",
    namespaced: true,
  },
  {
    kind: "ClusterRole",
    groupVersion: "rbac.authorization.k8s.io/v1",
    plural: "clusterroles",
    namespaced: false,
  },
  {
    kind: "ClusterRoleBinding",
    groupVersion: "rbac.authorization.k8s.io/v1",
    plural: "clusterrolebindings",
    namespaced: false,
  },
  {
    kind: "GRPCRoute",
    groupVersion: "gateway.networking.k8s.io/v1",
    plural: "grpcroutes",
    namespaced: true,
    optional: true,
  },
  {
    kind: "ServiceMonitor",
    groupVersion: "monitoring.coreos.com/v1",
    plural: "servicemonitors",
    namespaced: true,
    optional: true,
  },
];

const CRD_SPEC: KindSpec = {
  kind: "CustomResourceDefinition",
  groupVersion: "apiextensions.k8s.io/v1",
  plural: "customresourcedefinitions",
  namespaced: false,
};

export interface LiveOptions {
  kubeconfig?: string;
  context?: string;
  /** Undefined with allNamespaces: every namespace; undefined without: the context's namespace. */
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  /** Kinds listed at once (default 6). */
  concurrency?: number;
  pageSize?: number;
  /** Custom resource kinds read at most (default 100). */
  maxCustomKinds?: number;
  timeoutMs?: number;
  /** The environment (KUBECONFIG, in-cluster variables), for the no-kubeconfig check. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `diagnose KIND/NAME`: fetched first, so a wrong name is an error rather than an empty report. */
  target?: { kind: string; name: string };
  /** The kinds to list (default LIVE_KINDS, diagnose's). */
  kinds?: readonly KindSpec[];
  /** Also list the custom resources of the cluster's CRDs (default true). */
  customResources?: boolean;
}

export interface LiveResult {
  objects: KObject[];
  unreadable: ReadProblem[];
  /** Kinds listed successfully (even if empty): their absence of an object is meaningful. */
  listedKinds: string[];
  /** The namespace read, or undefined for all. */
  namespace: string | undefined;
  /** Requests made, for tests and --verbose. */
  requests: number;
  /** The kubeconfig context read. */
  context: string;
}

interface Connection {
  server: URL;
  options: https.RequestOptions;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The package that reads kubeconfigs: an optional peer dependency, installed by those who read live clusters. */
export const CLIENT_PACKAGE = "@kubernetes/client-node";

type ClientModule = typeof import("@kubernetes/client-node");

/**
 * Imports @kubernetes/client-node, or says how to install it: it is an optional peer dependency
 * (about 57 MB with its own dependencies), so a plain `npm i kubeward` does not install it.
 */
export async function loadClient(
  importer: () => Promise<ClientModule> = () => import("@kubernetes/client-node"),
): Promise<ClientModule> {
  try {
    return await importer();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== "ERR_MODULE_NOT_FOUND" || !e.message.includes(CLIENT_PACKAGE)) throw err;
    throw new UsageError(
      `reading a live cluster needs ${CLIENT_PACKAGE}, which is not installed: install ${CLIENT_PACKAGE} to scan a live cluster (npm i -g ${CLIENT_PACKAGE} next to a global kubeward, npm i ${CLIENT_PACKAGE} in a project, npx -p kubeward -p ${CLIENT_PACKAGE} kubeward ...); a --snapshot needs nothing more`,
    );
  }
}

export async function readLiveCluster(opts: LiveOptions): Promise<LiveResult> {
  const { KubeConfig } = await loadClient();
  const kc = new KubeConfig();
  const env = opts.env ?? {};
  if (
    opts.kubeconfig === undefined &&
    env["KUBECONFIG"] === undefined &&
    env["KUBERNETES_SERVICE_HOST"] === undefined &&
    !existsSync(join(homedir(), ".kube", "config"))
  )
    throw new UsageError("no kubeconfig found: use --kubeconfig FILE, set KUBECONFIG, or read a --snapshot");
  try {
    if (opts.kubeconfig !== undefined) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new InputError(`cannot load kubeconfig: ${(err as Error).message}`);
  }
  if (opts.context !== undefined) {
    if (kc.getContextObject(opts.context) === null)
      throw new UsageError(`no context "${opts.context}" in the kubeconfig`);
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null)
    throw new InputError("the kubeconfig has no current cluster (use --context or --snapshot)");
  const options: https.RequestOptions = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (err) {
    throw new InputError(`cannot get credentials for the cluster: ${(err as Error).message}`);
  }
  const conn: Connection = { server: new URL(cluster.server), options };
  const contextNs = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const namespace = opts.allNamespaces === true ? undefined : (opts.namespace ?? contextNs ?? "default");
  const result: LiveResult = {
    objects: [],
    unreadable: [],
    listedKinds: [],
    namespace,
    requests: 0,
    context: kc.getCurrentContext(),
  };
  const kinds = opts.kinds ?? LIVE_KINDS;
  const pageSize = opts.pageSize ?? 500;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const listKind = async (spec: KindSpec): Promise<void> => {
    try {
      const items = await listAll(conn, spec, namespace, opts.selector, pageSize, timeoutMs, result);
      for (const item of items)
        result.objects.push(sanitise({ ...item, kind: spec.kind, apiVersion: spec.groupVersion }));
      result.listedKinds.push(spec.kind);
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status === 404 && spec.optional === true) return;
        result.unreadable.push({
          kind: spec.kind,
          ...(spec.namespaced && namespace !== undefined ? { namespace } : {}),
          message: err.message,
        });
        return;
      }
      throw err;
    }
  };

  if (opts.target !== undefined) {
    const t = opts.target;
    const spec = kinds.find((k) => k.kind.toLowerCase() === t.kind.toLowerCase());
    if (spec !== undefined) {
      result.requests++;
      const found = await getObject(conn, spec, namespace ?? "default", t.name, timeoutMs);
      if (found === undefined)
        throw new UsageError(
          `${spec.kind.toLowerCase()}/${t.name} not found${spec.namespaced ? ` in namespace ${namespace ?? "default"}` : ""}`,
        );
    }
  }
  // Fail fast with one clear message when the server cannot be reached at all.
  await listKind(kinds[0] ?? CRD_SPEC);
  await pool(kinds.slice(1), opts.concurrency ?? 6, listKind);
  if (opts.customResources !== false) {
    const custom = await customKinds(conn, timeoutMs, result, opts.maxCustomKinds ?? 100);
    await pool(custom, opts.concurrency ?? 6, listKind);
  }
  result.listedKinds.sort();
  result.unreadable.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return result;
}

/** Custom resource kinds served by the cluster (from CRDs), except those listed above. */
async function customKinds(
  conn: Connection,
  timeoutMs: number,
  result: LiveResult,
  max: number,
): Promise<KindSpec[]> {
  let crds: KObject[];
  try {
    crds = await listAll(conn, CRD_SPEC, undefined, undefined, 500, timeoutMs, result);
  } catch (err) {
    if (err instanceof HttpError) {
      result.unreadable.push({ kind: CRD_SPEC.kind, message: `${err.message} (custom resources not read)` });
      return [];
    }
    throw err;
  }
  const known = new Set(LIVE_KINDS.map((k) => `${k.groupVersion.split("/")[0] ?? ""}/${k.kind}`));
  const out: KindSpec[] = [];
  for (const crd of crds) {
    const spec = isRecord(crd["spec"]) ? crd["spec"] : {};
    const names = isRecord(spec["names"]) ? spec["names"] : {};
    const group = typeof spec["group"] === "string" ? spec["group"] : "";
    const kind = typeof names["kind"] === "string" ? names["kind"] : "";
    const plural = typeof names["plural"] === "string" ? names["plural"] : "";
    const versions = Array.isArray(spec["versions"]) ? spec["versions"].filter(isRecord) : [];
    const version =
      versions.find((v) => v["storage"] === true && v["served"] !== false) ??
      versions.find((v) => v["served"] === true);
    if (kind === "" || plural === "" || version === undefined || known.has(`${group}/${kind}`)) continue;
    out.push({
      kind,
      groupVersion: `${group}/${String(version["name"])}`,
      plural,
      namespaced: spec["scope"] === "Namespaced",
      optional: true,
    });
  }
  out.sort((a, b) => (a.groupVersion + a.kind < b.groupVersion + b.kind ? -1 : 1));
  if (out.length > max) {
    result.unreadable.push({
      kind: "CustomResourceDefinition",
      message: `${out.length} custom kinds; only the first ${max} were read`,
    });
    return out.slice(0, max);
  }
  return out;
}

export function listPath(spec: KindSpec, namespace: string | undefined): string {
  const base = spec.groupVersion.includes("/") ? `/apis/${spec.groupVersion}` : `/api/${spec.groupVersion}`;
  const ns = spec.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${spec.plural}`;
}

async function listAll(
  conn: Connection,
  spec: KindSpec,
  namespace: string | undefined,
  selector: string | undefined,
  pageSize: number,
  timeoutMs: number,
  result: LiveResult,
): Promise<KObject[]> {
  const items: KObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (token !== undefined) query.set("continue", token);
    if (selector !== undefined && spec.unfiltered !== true) query.set("labelSelector", selector);
    const accept =
      spec.metadataOnly === true
        ? "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
        : "application/json";
    result.requests++;
    const body = await get(conn, `${listPath(spec, namespace)}?${query.toString()}`, accept, timeoutMs);
    if (!isRecord(body)) throw new HttpError(0, `${spec.kind}: the API server did not return a list`);
    // A metadata-only request must come back as metadata: refuse anything that carries values.
    if (spec.metadataOnly === true && body["kind"] !== "PartialObjectMetadataList")
      throw new HttpError(0, `${spec.kind}: the API server ignored the metadata-only request; not read`);
    if (Array.isArray(body["items"])) for (const i of body["items"]) if (isRecord(i)) items.push(i);
    const meta = isRecord(body["metadata"]) ? body["metadata"] : {};
    token = typeof meta["continue"] === "string" && meta["continue"] !== "" ? meta["continue"] : undefined;
    if (token === undefined) return items;
  }
  throw new HttpError(0, `${spec.kind}: too many pages`);
}

/** GET one object (for `diagnose KIND/NAME`); undefined on 404. */
async function getObject(
  conn: Connection,
  spec: KindSpec,
  namespace: string | undefined,
  name: string,
  timeoutMs = 30_000,
): Promise<unknown> {
  try {
    return await get(
      conn,
      `${listPath(spec, namespace)}/${encodeURIComponent(name)}`,
      "application/json",
      timeoutMs,
    );
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}

function get(conn: Connection, path: string, accept: string, timeoutMs: number): Promise<unknown> {
  const url = new URL(conn.server.pathname.replace(/\/$/, "") + path, conn.server);
  const mod = url.protocol === "http:" ? http : https;
  const headers = { ...(conn.options.headers as Record<string, string> | undefined), Accept: accept };
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { ...conn.options, method: "GET", headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        chunks.push(c);
      });
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          let message = `HTTP ${status}`;
          try {
            const body: unknown = JSON.parse(text);
            if (isRecord(body) && typeof body["message"] === "string")
              message = `${message}: ${body["message"]}`;
          } catch {
            // Not a Status object: the status code says enough.
          }
          reject(new HttpError(status, message));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new HttpError(status, `invalid JSON from ${url.pathname}`));
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", (err) => {
      reject(new InputError(`cannot reach the cluster at ${conn.server.origin}: ${err.message}`));
    });
    req.end();
  });
}

/** Run `fn` over `items` with at most `limit` running at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
