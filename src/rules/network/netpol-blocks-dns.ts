// `netpol lint`'s DNS check as a scan rule; the logic lives in src/netpol/lint.ts.
import { defineRule } from "../../core/rule.js";
import { lintBlocksDns, NETPOL_CHECKS, netpolOfScan } from "../../netpol/lint.js";
import { ALL_POLICY_KINDS, netpolRuleMeta } from "../lib/netpol-rule.js";

export default defineRule({
  meta: {
    ...NETPOL_CHECKS.blocksDns,
    ...netpolRuleMeta(ALL_POLICY_KINDS),
    notes:
      "The rule simulates UDP port 53 from each pod of the scan (its Pod objects, and one pod for each workload) to kube-dns; when the scan has no pod labelled `k8s-app: kube-dns`, one is assumed in `kube-system`, labelled `k8s-app: kube-dns`, with no IP. A cluster whose DNS runs elsewhere (NodeLocal DNSCache, another namespace or label) or whose DNS allowance comes from a policy outside the scan (a platform team's namespace-wide allow-dns policy) gets findings that do not apply there; scan such policies together with the workloads. Whether an `ipBlock` (or `networks`) peer matches cluster pod and service IPs is left to the network plugin (Calico does, Cilium does not), so a pod allowed UDP 53 to a CIDR holding a usual cluster DNS address (10.96.0.10, 10.0.0.10, 10.100.0.10, 172.20.0.10, 34.118.224.10, 10.43.0.10, 10.152.183.10) is not reported; on Cilium such a policy does block DNS. Only the pods that actually send DNS queries matter; a workload that resolves nothing (it connects by IP) can ignore the finding.",
  },
  create(context) {
    return {
      end(resources) {
        const netpol = netpolOfScan(resources);
        if (netpol === undefined) return;
        for (const r of lintBlocksDns(netpol.model, { openWorld: true })) context.report(r);
      },
    };
  },
});
