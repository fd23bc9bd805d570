// The cluster input flags shared by `diagnose` and `scan --cluster`: --snapshot files, or the live
// cluster of --kubeconfig/--context with -n/-A/-l.
import { resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { escapeControl } from "../core/escape.js";
import type { KObject } from "../core/types.js";
import type { LiveOptions } from "../inputs/cluster-live.js";
import { loadSnapshot } from "../inputs/cluster-snapshot.js";
import type { Io } from "./io.js";

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  "all-namespaces"?: boolean;
  selector?: string;
}

/** The objects of every --snapshot PATH; skipped files are named on stderr. */
export function readSnapshots(snapshots: readonly string[], values: ClusterFlags, io: Io): KObject[] {
  if (values.context !== undefined || values.kubeconfig !== undefined)
    throw new UsageError("--snapshot reads no cluster: drop --context/--kubeconfig");
  const objects: KObject[] = [];
  for (const s of snapshots) {
    const snap = loadSnapshot(resolve(io.cwd, s), { display: s });
    objects.push(...snap.objects);
    for (const k of snap.skipped) io.stderr(`kubeward: skipped ${escapeControl(k.file)}: ${k.reason}\n`);
  }
  return objects;
}

/** What the flags say about the live cluster to read. */
export function liveOptionsOf(values: ClusterFlags, io: Io): LiveOptions {
  return {
    ...(values.kubeconfig !== undefined ? { kubeconfig: resolve(io.cwd, values.kubeconfig) } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    allNamespaces: values["all-namespaces"] === true,
    env: io.env,
    ...(values.selector !== undefined ? { selector: values.selector } : {}),
  };
}
