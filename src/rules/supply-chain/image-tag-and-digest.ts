import { defineRule } from "../../core/rule.js";
import { containerImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "image-tag-and-digest",
    title: "Image names both a tag and a digest",
    category: "supply-chain",
    severity: "info",
    description:
      'When an image reference has both a tag and a digest (`app:1.4@sha256:…`), the runtime pulls the digest and ignores the tag: nothing checks that the tag still points at that digest, so the tag readers rely on can describe a different image than the one that runs (Kubernetes docs, "Images", image names: https://kubernetes.io/docs/concepts/containers/images/#image-names).',
    remediation:
      "Keep tag and digest in step with a bot that updates both (Renovate, Dependabot), or reference the image by digest alone.",
    messages: {
      both: "Container `{{container}}` names image `{{image}}` by tag `{{tag}}` and by digest: the digest runs, and nothing checks that the tag still matches it.",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: [],
    equivalents: {},
    notes:
      "Off by default: `tag@digest` is the form Renovate and many charts write on purpose (the tag for people, the digest for the runtime), and it is sound as long as automation updates both. Turn it on where policy asks for digest-only references, or where tags are edited by hand next to digests. `latest@sha256:…` is reported too: the digest is what runs.",
  },
  create(context) {
    return {
      container(c) {
        const ref = containerImageRef(c.container);
        if (ref?.tag === undefined || ref.digest === undefined) return;
        reportContainer(context, c, ["image"], "both", { image: ref.raw, tag: ref.tag });
      },
    };
  },
});
