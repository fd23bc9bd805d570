// The `allowed-registries` template: every container image comes from a registry (or a path within
// one) on an allow-list. image-registry-not-allowed is an instance of it. Pure: no I/O.
import { wildcardMatch } from "../../core/config.js";
import { option, type OptionProblem } from "../../core/options.js";
import { containerImageRef, type ImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";
import { defineTemplate } from "./template.js";

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

export const allowedRegistriesTemplate = defineTemplate({
  name: "allowed-registries",
  summary: "Container images only from the listed registries (hosts or path prefixes, `*` wildcards).",
  defaults: {
    title: "Image from a registry outside the allowed list",
    category: "supply-chain",
    severity: "high",
    description:
      "An image from a registry the organisation does not control or trust bypasses its scanning and signing, and a typo-squatted or hijacked public repository runs with the pod's privileges.",
    remediation: "Pull the image through an allowed registry (mirror it there).",
  },
  messages: {
    notAllowed:
      "Container `{{container}}` pulls `{{image}}` from `{{registry}}`, which is not in the allowed registries ({{allowed}}).",
  },
  placeholders: ["container", "image", "registry", "allowed"],
  options: {
    allowedRegistries: option.strings(
      "Registries (hosts, or path prefixes within one; `*.` wildcards) images may come from; empty reports nothing.",
      [],
    ),
  },
  required: ["allowedRegistries"],
  check(o) {
    const problems: OptionProblem[] = [];
    if (o.allowedRegistries.every((e) => e.trim() === ""))
      problems.push({ path: ["allowedRegistries"], message: "option `allowedRegistries` lists no registry" });
    return problems;
  },
  fixKind: () => "none",
  create(context) {
    const allowed = context.options.allowedRegistries.filter((x) => typeof x === "string");
    return {
      container(c) {
        if (allowed.length === 0) return;
        const ref = containerImageRef(c.container);
        if (ref === undefined) return;
        const name = fullImageName(ref);
        if (registryAllowed(name, allowed)) return;
        reportContainer(context, c, ["image"], "notAllowed", {
          image: ref.raw,
          registry: name.slice(0, name.indexOf("/")),
          allowed: allowed.map((a) => `\`${a}\``).join(", "),
        });
      },
    };
  },
  example: {
    id: "registry-allow-list",
    options: { allowedRegistries: ["registry.example.com", "ghcr.io/acme"] },
    invalid: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: docker.io/nginx:1.27 # expect: notAllowed
`,
    valid: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
    - name: proxy
      image: ghcr.io/acme/proxy:2.0.1
`,
  },
});
