import { defineRule } from "../../core/rule.js";
import { isImagePlaceholder, isMutableTag, parseImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "image-tag-mutable",
    title: "Image without a fixed tag",
    category: "supply-chain",
    severity: "medium",
    description:
      "An image with no tag or the `latest` tag runs whatever the registry points that tag at when a node pulls it: two replicas can run different code, a rollback redeploys the new image, and nobody can tell from the manifest what is running.",
    remediation: "Reference the image by a specific version tag, or better by digest (`image@sha256:…`).",
    messages: {
      noTag:
        "Container `{{container}}` uses image `{{image}}` without a tag, which means `latest`: the code it runs changes whenever the tag moves.",
      latestTag:
        "Container `{{container}}` uses image `{{image}}` with the moving tag `{{tag}}`: the code it runs changes whenever the tag moves.",
      unparsable:
        "Container `{{container}}` uses `{{image}}`, which is not a valid image reference: the pod cannot pull it, and what was meant cannot be told.",
    },
    fix: "none",
    concepts: ["I-LATEST"],
    equivalents: {
      trivy: ["KSV-0013"],
      "kube-linter": ["latest-tag"],
      kubescape: ["C-0075"],
      checkov: ["CKV_K8S_14"],
      polaris: ["tagNotSpecified"],
      "kube-score": ["container-image-tag"],
      kics: ["583053b7-e632-46f0-b989-f81ff8045385"],
      kubeaudit: ["image/ImageTagMissing", "image/ImageTagIncorrect"],
      terrascan: ["AC_K8S_0068"],
    },
    notes:
      "An image pinned by digest is never flagged, whatever its tag (`app:latest@sha256:…` runs the digest). Kustomize bases often leave the tag out and set it with an `images:` override at build time: scan the built output (`kustomize build`), not the base. Unrendered templates (`{{ .Values.image }}`, `${IMAGE}`) and containers without an image are skipped; a reference no runtime can parse (`:latest`, a chart whose repository value was left empty) is reported as `unparsable`. Other moving tags (`stable`, `main`) are not detected.",
  },
  create(context) {
    return {
      container(c) {
        const image = c.container.image;
        if (typeof image !== "string" || isImagePlaceholder(image)) return;
        const ref = parseImageRef(image);
        if (ref === undefined) {
          // Often a chart whose repository value is empty: `":latest"`, `"/app:1.0"`.
          reportContainer(context, c, ["image"], "unparsable", { image });
          return;
        }
        if (!isMutableTag(ref)) return;
        if (ref.tag === undefined) {
          reportContainer(context, c, ["image"], "noTag", { image });
        } else {
          reportContainer(context, c, ["image"], "latestTag", { image, tag: ref.tag });
        }
      },
    };
  },
});
