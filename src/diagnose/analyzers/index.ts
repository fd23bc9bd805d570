// The analyzers, in the order they run (order only affects ties in output sorting).
import type { Analyzer } from "../analyzer.js";
import { configMapAnalyzer } from "./configmap.js";
import { conditionsAnalyzer } from "./conditions.js";
import { cronJobAnalyzer } from "./cronjob.js";
import { daemonSetAnalyzer } from "./daemonset.js";
import { deploymentAnalyzer } from "./deployment.js";
import { gatewayAnalyzer } from "./gateway.js";
import { hpaAnalyzer } from "./hpa.js";
import { ingressAnalyzer } from "./ingress.js";
import { jobAnalyzer } from "./job.js";
import { networkPolicyAnalyzer } from "./networkpolicy.js";
import { nodeAnalyzer } from "./node.js";
import { pdbAnalyzer } from "./pdb.js";
import { podAnalyzer } from "./pod.js";
import { replicaSetAnalyzer } from "./replicaset.js";
import { serviceAnalyzer } from "./service.js";
import { statefulSetAnalyzer } from "./statefulset.js";
import { storageAnalyzer } from "./storage.js";
import { webhookAnalyzer } from "./webhook.js";

export const ANALYZERS: readonly Analyzer[] = [
  podAnalyzer,
  replicaSetAnalyzer,
  deploymentAnalyzer,
  daemonSetAnalyzer,
  statefulSetAnalyzer,
  jobAnalyzer,
  cronJobAnalyzer,
  serviceAnalyzer,
  ingressAnalyzer,
  nodeAnalyzer,
  webhookAnalyzer,
  configMapAnalyzer,
  hpaAnalyzer,
  pdbAnalyzer,
  networkPolicyAnalyzer,
  gatewayAnalyzer,
  storageAnalyzer,
  conditionsAnalyzer,
];

/** Every check ID with its analyzer, severity and title. */
export const DIAGNOSE_CHECKS = ANALYZERS.flatMap((a) =>
  Object.entries(a.checks).map(([id, c]) => ({ id, analyzer: a.name, ...c })),
);
