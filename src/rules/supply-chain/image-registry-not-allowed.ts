import { wildcardMatch } from "../../core/config.js";
import { option } from "../../core/options.js";
import { defineRule } from "../../core/rule.js";
import { parseImageRef, type ImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

/** `registry/repository` as the runtime resolves it: Docker Hub spelled out, official images under `library/`. */
export function fullImageName(ref: ImageRef): string {
  const registry = (ref.registry ?? "docker.io").toLowerCase();
  if (registry === "docker.io" || registry === "index.docker.io" || registry === "registry-1.docker.io") {
    return `docker.io/${ref.repository.includes("/") ? ref.repository : `library/${ref.repository}`}`;
  }
  return `${registry}/${ref.repository}`;
}

/**
 * An entry allows a registry host (`ghcr.io`, `*.azurecr.io`) or a path prefix within one
 * (`ghcr.io/acme`, `docker.io/library`); `*` matches any run of characters.
 */
export function registryAllowed(name: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const e = entry.trim().replace(/\/+$/, "").toLowerCase();
    if (e === "") return false;
    const parts = name.split("/");
    const depth = e.split("/").length;
    return wildcardMatch(e, parts.slice(0, depth).join("/"));
  });
}

export default defineRule({
  meta: {
    id: "image-registry-not-allowed",
    title: "Image from a registry outside the allowed list",
    category: "supply-chain",
    severity: "high",
    description:
      'Organisations pull images only from registries they control or trust (a mirror that scans and signs images, the cloud provider\'s registry): an image from anywhere else bypasses those checks, and a typo-squatted or hijacked public repository runs with the pod\'s privileges (NSA-CISA Kubernetes Hardening Guide, "Use trusted repositories"; Kubernetes docs, "Images": https://kubernetes.io/docs/concepts/containers/images/).',
    remediation:
      "Pull the image through an allowed registry (mirror it there), or add its registry to `allowedRegistries` if it is trusted.",
    messages: {
      notAllowed:
        "Container `{{container}}` pulls `{{image}}` from `{{registry}}`, which is not in the allowed registries ({{allowed}}).",
    },
    fix: "none",
    enabledByDefault: false,
    concepts: ["I-REGISTRY"],
    equivalents: {
      trivy: ["KSV-0032", "KSV-0035", "KSV-0033", "KSV-0034", "KSV-0125"],
      kubescape: ["C-0001", "C-0078"],
    },
    notes:
      'Off until configured: set `allowedRegistries` to your registries, e.g. `["registry.example.com", "*.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io/acme"]` (the examples on this page use `registry.example.com`). An entry names a registry host or a path prefix within one; images without a registry are Docker Hub, written `docker.io` (official images are `docker.io/library/…`). With an empty list the rule reports nothing. Unrendered templates and containers without an image are skipped.',
  },
  options: {
    allowedRegistries: option.strings(
      "Registries (hosts, or path prefixes within one; `*.` wildcards) images may come from; empty reports nothing.",
      [],
    ),
  },
  create(context) {
    const raw: unknown = context.options.allowedRegistries;
    const allowed = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === "string") : [];
    return {
      container(c) {
        if (allowed.length === 0) return;
        const image: unknown = c.container.image;
        if (typeof image !== "string") return;
        const ref = parseImageRef(image);
        if (ref === undefined) return;
        const name = fullImageName(ref);
        if (registryAllowed(name, allowed)) return;
        reportContainer(context, c, ["image"], "notAllowed", {
          image,
          registry: name.slice(0, name.indexOf("/")),
          allowed: allowed.map((a) => `\`${a}\``).join(", "),
        });
      },
    };
  },
});
