import { defineRule } from "../../core/rule.js";
import { isRecord } from "../../core/workloads.js";
import { reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "host-aliases",
    title: "Pod rewrites /etc/hosts",
    category: "security",
    severity: "low",
    description:
      "`hostAliases` writes fixed name-to-IP entries into every container's /etc/hosts, ahead of cluster DNS: a stale or hostile entry silently sends traffic for a name (an API endpoint, a registry, a database) to another address, and the override is invisible to anyone who debugs DNS.",
    remediation:
      "Remove `hostAliases` and publish the name in DNS (a Service, an ExternalName Service or the cluster's DNS configuration) instead.",
    messages: {
      hostAliases: "The pod adds entries to /etc/hosts (`hostAliases`), overriding DNS for {{hosts}}.",
    },
    fix: "none",
    concepts: ["W-ETCHOSTS"],
    equivalents: { trivy: ["KSV-0007"] },
    standards: { mitre: ["T1565"] },
    notes:
      "Legitimate uses exist (a legacy host name that must resolve to a fixed IP during a migration); suppress with a reason. An empty `hostAliases: []` is not reported.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const aliases: unknown = (pod.spec as { hostAliases?: unknown }).hostAliases;
        if (!Array.isArray(aliases) || aliases.length === 0) return;
        const hosts: string[] = [];
        for (const a of aliases) {
          const names: unknown = isRecord(a) ? a["hostnames"] : undefined;
          if (Array.isArray(names)) for (const h of names) if (typeof h === "string") hosts.push(h);
        }
        reportPod(context, pod, ["hostAliases"], "hostAliases", {
          hosts:
            hosts.length === 0
              ? "no host name"
              : hosts
                  .slice(0, 5)
                  .map((h) => `\`${h}\``)
                  .join(", "),
        });
      },
    };
  },
});
