import { defineRule } from "../../core/rule.js";
import { isMutableTag, parseImageRef } from "../lib/image.js";
import { reportContainer, setFix } from "../lib/report.js";

const POLICIES = ["Always", "IfNotPresent", "Never"];

export default defineRule({
  meta: {
    id: "image-pull-policy-not-always",
    title: "Moving image tag not pulled on every start",
    category: "supply-chain",
    severity: "low",
    description:
      "With `latest` (or no tag) and `imagePullPolicy: IfNotPresent` or `Never`, each node keeps whatever image the tag named when that node first pulled it: replicas on different nodes run different code, and a fixed image never reaches nodes that already have an old one.",
    remediation:
      "Pin the image to a version tag or digest; if it must follow a moving tag, set `imagePullPolicy: Always`.",
    messages: {
      notAlways:
        "Container `{{container}}` runs the moving image `{{image}}` with `imagePullPolicy: {{policy}}`: nodes that already have an older copy keep running it.",
      invalidPolicy:
        "Container `{{container}}` has `imagePullPolicy: {{policy}}`, which Kubernetes rejects: the values are `Always`, `IfNotPresent` and `Never` (case-sensitive).",
    },
    fix: "unsafe",
    concepts: ["I-PULL"],
    equivalents: {
      checkov: ["CKV_K8S_15"],
      polaris: ["pullPolicyNotAlways"],
      "kube-score": ["container-image-pull-policy"],
      kics: ["caa3479d-885d-4882-9aac-95e5e78ef5c2"],
    },
    notes:
      "Narrower than polaris or kube-score, which ask for `Always` on every image: with a version tag or a digest, `IfNotPresent` is the sound default (fewer registry round trips, pods start when the registry is down), so only moving tags (`latest` or none, without a digest) are flagged. An omitted policy is not flagged either: for such images Kubernetes defaults it to `Always`. If you rely on `Always` so that every pod start re-checks registry credentials on shared nodes, enable the `AlwaysPullImages` admission plugin instead of checking manifests.",
  },
  create(context) {
    return {
      container(c) {
        const policy = c.container.imagePullPolicy;
        // An empty string is unset for the API server, which then applies its default.
        if (policy === undefined || policy === "") return;
        if (!POLICIES.includes(policy)) {
          reportContainer(
            context,
            c,
            ["imagePullPolicy"],
            "invalidPolicy",
            { policy },
            { noFix: "the intended policy is unclear; write Always, IfNotPresent or Never" },
          );
          return;
        }
        const image = c.container.image;
        if (policy === "Always" || typeof image !== "string") return;
        const ref = parseImageRef(image);
        if (ref === undefined || !isMutableTag(ref)) return;
        reportContainer(
          context,
          c,
          ["imagePullPolicy"],
          "notAlways",
          { policy, image },
          setFix(["imagePullPolicy"], "Always", `Set imagePullPolicy: Always on container ${c.name}.`),
        );
      },
    };
  },
});
