import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";

/** Annotations that make a cloud load balancer internal (private addresses only). */
const INTERNAL: readonly [string, RegExp][] = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", /^(true|0\.0\.0\.0\/0)$/i],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", /^internal$/i],
  ["service.beta.kubernetes.io/azure-load-balancer-internal", /^true$/i],
  ["networking.gke.io/load-balancer-type", /^internal$/i],
  ["cloud.google.com/load-balancer-type", /^internal$/i],
  ["service.beta.kubernetes.io/oci-load-balancer-internal", /^true$/i],
  ["service.beta.kubernetes.io/openstack-internal-load-balancer", /^true$/i],
  ["service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", /^private$/i],
  ["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", /^intranet$/i],
];

export default defineRule({
  meta: {
    id: "service-external-load-balancer",
    title: "Service gets an internet-facing load balancer",
    category: "network",
    severity: "low",
    description:
      "A `type: LoadBalancer` Service without an internal-load-balancer annotation gets a public address from most cloud providers, exposing the workload to the internet, often by accident when the Service was meant for other clusters or an office network.",
    remediation:
      "Add your cloud's internal-load-balancer annotation, restrict `loadBalancerSourceRanges`, or expose the workload through an Ingress or Gateway.",
    messages: {
      external:
        "Service `{{name}}` of type LoadBalancer has no internal-load-balancer annotation or `loadBalancerSourceRanges`, so it is likely public.",
    },
    kinds: ["Service"],
    fix: "none",
    enabledByDefault: false,
    concepts: ["N-LB"],
    equivalents: { kics: ["26763a1c-5dda-4772-b507-5fca7fb5f165"] },
    notes:
      "Off by default: public load balancers are the point of many Services (ingress controllers, public APIs). Bare-metal load balancers (MetalLB) hand out whatever addresses their pools hold, public or not.",
  },
  create(context) {
    return {
      resource(svc) {
        if (getIn(svc.object, ["spec", "type"]) !== "LoadBalancer") return;
        const ranges = getIn(svc.object, ["spec", "loadBalancerSourceRanges"]);
        if (Array.isArray(ranges) && ranges.length > 0) return;
        const annotations = getIn(svc.object, ["metadata", "annotations"]);
        if (
          isRecord(annotations) &&
          INTERNAL.some(([k, re]) => typeof annotations[k] === "string" && re.test(annotations[k]))
        )
          return;
        context.report({
          resource: svc,
          path: ["spec", "type"],
          messageId: "external",
          data: { name: svc.ref.name },
        });
      },
    };
  },
});
