import { defineRule } from "../../core/rule.js";
import { containerImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

/** Registries (and registry paths) that stopped receiving images, with where the images went. */
const RETIRED: readonly { prefix: string; replacement: string; since: string }[] = [
  // The Kubernetes project froze k8s.gcr.io on 3 April 2023; new releases only go to registry.k8s.io.
  { prefix: "k8s.gcr.io/", replacement: "registry.k8s.io/", since: "April 2023" },
  { prefix: "gcr.io/google_containers/", replacement: "registry.k8s.io/", since: "April 2023" },
  { prefix: "gcr.io/google-containers/", replacement: "registry.k8s.io/", since: "April 2023" },
  { prefix: "us.gcr.io/k8s-artifacts-prod/", replacement: "registry.k8s.io/", since: "April 2023" },
  { prefix: "eu.gcr.io/k8s-artifacts-prod/", replacement: "registry.k8s.io/", since: "April 2023" },
  { prefix: "asia.gcr.io/k8s-artifacts-prod/", replacement: "registry.k8s.io/", since: "April 2023" },
  // ingress-nginx left quay.io in 2020 (controller v0.33.0); later releases are only on the Kubernetes registry.
  {
    prefix: "quay.io/kubernetes-ingress-controller/",
    replacement: "registry.k8s.io/ingress-nginx/",
    since: "2020",
  },
];

export default defineRule({
  meta: {
    id: "image-deprecated-registry",
    title: "Image from a retired registry",
    category: "supply-chain",
    severity: "medium",
    description:
      'The Kubernetes project froze `k8s.gcr.io` in April 2023: it gets no new images, no security fixes, and its contents may disappear (Kubernetes blog, "k8s.gcr.io Image Registry Will Be Frozen From the 3rd of April 2023": https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/; "registry.k8s.io: faster, cheaper and Generally Available": https://kubernetes.io/blog/2022/11/28/registry-k8s-io-faster-cheaper-ga/). An image from a retired registry is stuck on old code and breaks when the old registry goes away.',
    remediation:
      "Pull the same image from its current home (for `k8s.gcr.io/…`, `registry.k8s.io/…`) and move to a maintained version.",
    messages: {
      retired:
        "Container `{{container}}` pulls `{{image}}` from `{{registry}}`, which gets no new images since {{since}}: use `{{replacement}}…`.",
    },
    fix: "none",
    concepts: ["I-OLDREG"],
    equivalents: { kubescape: ["C-0253"] },
    notes:
      "The rule knows the Kubernetes project's retired registries (`k8s.gcr.io`, the `gcr.io/google_containers` and `k8s-artifacts-prod` aliases) and ingress-nginx's old `quay.io/kubernetes-ingress-controller` repository. A mirror that keeps the old name inside your network is still flagged: suppress the finding with a reason there.",
  },
  create(context) {
    return {
      container(c) {
        const ref = containerImageRef(c.container);
        if (ref?.registry === undefined) return;
        const name = `${ref.registry.toLowerCase()}/${ref.repository}`;
        const retired = RETIRED.find((r) => name.startsWith(r.prefix));
        if (retired === undefined) return;
        reportContainer(context, c, ["image"], "retired", {
          image: ref.raw,
          registry: retired.prefix.slice(0, -1),
          replacement: retired.replacement,
          since: retired.since,
        });
      },
    };
  },
});
