// A loopback Kubernetes API server for tests: serves the scenario fixtures as the API would (lists
// without item kinds, pagination with `continue`, GET by name, PartialObjectMetadataList for a
// metadata-only Accept header, a 403 on NetworkPolicies unless told otherwise) and records every
// request it receives. It serves the kinds of `diagnose` and of `scan --cluster`.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { KObject } from "../../src/core/types.js";
import { LIVE_KINDS, SCAN_KINDS } from "../../src/inputs/cluster-live.js";

export interface Recorded {
  path: string;
  accept: string;
  authorization: string;
}

export interface FakeApi {
  url: string;
  requests: Recorded[];
  maxInFlight: number;
  close: () => Promise<void>;
}

const CRDS = [
  { group: "cert-manager.io", kind: "Certificate", plural: "certificates", version: "v1" },
  { group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization", plural: "kustomizations", version: "v1" },
];

export async function startFakeApi(
  objects: readonly KObject[],
  pageSize = 2,
  /** The kind answered with 403 Forbidden ("" for none). */
  forbidden = "NetworkPolicy",
): Promise<FakeApi> {
  const kinds = [
    ...LIVE_KINDS.map((k) => ({ ...k })),
    ...SCAN_KINDS.filter((k) => !LIVE_KINDS.some((l) => l.kind === k.kind)),
    ...CRDS.map((c) => ({
      kind: c.kind,
      groupVersion: `${c.group}/${c.version}`,
      plural: c.plural,
      namespaced: true,
    })),
    {
      kind: "CustomResourceDefinition",
      groupVersion: "apiextensions.k8s.io/v1",
      plural: "customresourcedefinitions",
      namespaced: false,
    },
  ];
  const crdObjects = CRDS.map((c) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${c.plural}.${c.group}` },
    spec: {
      group: c.group,
      scope: "Namespaced",
      names: { kind: c.kind, plural: c.plural },
      versions: [{ name: c.version, served: true, storage: true }],
    },
  }));
  const all = [...objects, ...crdObjects];
  const api: FakeApi = { url: "", requests: [], maxInFlight: 0, close: () => Promise.resolve() };
  let inFlight = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    inFlight++;
    api.maxInFlight = Math.max(api.maxInFlight, inFlight);
    const url = new URL(req.url ?? "/", "http://x");
    api.requests.push({
      path: `${url.pathname}${url.search}`,
      accept: req.headers.accept ?? "",
      authorization: req.headers.authorization ?? "",
    });
    const send = (status: number, body: unknown): void => {
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      }, 15);
    };
    const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(
      url.pathname,
    );
    const gv = m?.[1] ?? m?.[2];
    const spec = kinds.find((k) => k.groupVersion === gv && k.plural === m?.[4]);
    if (m === null || spec === undefined) {
      send(404, {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "NotFound",
        code: 404,
        message: "the server could not find the requested resource",
      });
      return;
    }
    if (spec.kind === forbidden) {
      send(403, {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Forbidden",
        code: 403,
        message: `${spec.plural}${spec.groupVersion.includes("/") ? `.${spec.groupVersion.split("/")[0] ?? ""}` : ""} is forbidden: User "system:serviceaccount:ci:diagnose" cannot list resource "${spec.plural}" in API group "${spec.groupVersion.includes("/") ? (spec.groupVersion.split("/")[0] ?? "") : ""}" at the cluster scope`,
      });
      return;
    }
    const ns = m[3];
    const name = m[5];
    const selected = all.filter((o) => {
      const meta = o["metadata"] as { namespace?: string; name?: string };
      return (
        o["kind"] === spec.kind &&
        (ns === undefined || meta.namespace === ns) &&
        (name === undefined || meta.name === name)
      );
    });
    const strip = (o: KObject): KObject =>
      Object.fromEntries(Object.entries(o).filter(([k]) => k !== "kind" && k !== "apiVersion"));
    if (name !== undefined) {
      if (selected[0] === undefined)
        send(404, { kind: "Status", code: 404, message: `${spec.plural} "${name}" not found` });
      else send(200, selected[0]);
      return;
    }
    const metadataOnly = (req.headers.accept ?? "").includes("as=PartialObjectMetadataList");
    const start = Number(url.searchParams.get("continue") ?? "0");
    const limit = Math.min(Number(url.searchParams.get("limit") ?? "500"), pageSize);
    const page = selected.slice(start, start + limit);
    const next = start + limit < selected.length ? String(start + limit) : undefined;
    send(200, {
      kind: metadataOnly ? "PartialObjectMetadataList" : `${spec.kind}List`,
      apiVersion: metadataOnly ? "meta.k8s.io/v1" : spec.groupVersion,
      metadata: { resourceVersion: "1234", ...(next !== undefined ? { continue: next } : {}) },
      items: page.map((o) =>
        metadataOnly
          ? { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o["metadata"] }
          : {
              ...strip(o),
              metadata: {
                ...(o["metadata"] as object),
                managedFields: [{ manager: "kubectl", operation: "Apply" }],
              },
            },
      ),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () =>
    new Promise((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  return api;
}

/** A kubeconfig with two contexts on the fake server (plain HTTP needs insecure-skip-tls-verify). */
export function kubeconfigFor(url: string): string {
  return `apiVersion: v1
kind: Config
current-context: ci
clusters:
  - name: fake
    cluster: { server: "${url}", insecure-skip-tls-verify: true }
contexts:
  - name: ci
    context: { cluster: fake, user: ci, namespace: shop }
  - name: admin
    context: { cluster: fake, user: admin }
users:
  - name: ci
    user: { token: ci-token }
  - name: admin
    user: { token: admin-token }
`;
}
