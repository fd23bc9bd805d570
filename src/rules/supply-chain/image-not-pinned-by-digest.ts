import { defineRule } from "../../core/rule.js";
import { containerImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "image-not-pinned-by-digest",
    title: "Image not pinned by digest",
    category: "supply-chain",
    severity: "low",
    description:
      "Any tag, even a version tag, can be re-pushed: a compromised or careless registry push changes what runs on the next pull. A digest names exactly one image and cannot be moved.",
    remediation:
      "Reference the image by digest (`registry/app:1.2.3@sha256:…`), and let a bot such as Renovate keep it current.",
    messages: {
      notPinned:
        "Container `{{container}}` uses image `{{image}}` without a digest: its tag can be re-pointed to other content.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["I-DIGEST"],
    equivalents: {
      kubescape: ["C-0306"],
      checkov: ["CKV_K8S_43"],
      kics: ["7c81d34c-8e5a-402b-9798-9f442630e678"],
      terrascan: ["AC_K8S_0069"],
    },
    notes:
      "Off by default: it is a policy choice that flags nearly every manifest written by hand, and pinning only pays off with automation that updates the digests (Renovate, Dependabot, an admission controller that resolves tags). Unrendered templates (`{{ .Values.image }}`) and containers without an image are skipped. Turn it on where the supply chain policy requires immutable references.",
  },
  create(context) {
    return {
      container(c) {
        const ref = containerImageRef(c.container);
        if (ref === undefined || ref.digest !== undefined) return;
        reportContainer(context, c, ["image"], "notPinned", { image: ref.raw });
      },
    };
  },
});
