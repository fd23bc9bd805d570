// Container image references, parsed the way container runtimes read them
// (distribution/reference grammar: [registry[:port]/]path[:tag][@algorithm:hex]).

export interface ImageRef {
  /** The text as written. */
  raw: string;
  /** Registry host (with port), when the first path component names one; undefined means Docker Hub. */
  registry: string | undefined;
  /** Repository path without registry, tag or digest, e.g. "library/nginx" is written "nginx". */
  repository: string;
  tag: string | undefined;
  /** "algorithm:hex", e.g. "sha256:…". */
  digest: string | undefined;
}

const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const TAG = /^\w[\w.-]{0,127}$/;

/** Text that is not meant as an image reference yet: empty, or an unrendered template. */
export function isImagePlaceholder(raw: string): boolean {
  const text = raw.trim();
  return text === "" || /[\s{}$]/.test(text);
}

/**
 * Parse an image reference. Returns undefined for text that is not a reference a runtime would
 * accept (empty, whitespace, unrendered templates such as `{{ .Values.image }}` or `${IMAGE}`),
 * so that rules stay silent on what they cannot read.
 */
export function parseImageRef(raw: string): ImageRef | undefined {
  const text = raw.trim();
  if (isImagePlaceholder(text)) return undefined;

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }

  // A colon after the last slash starts the tag; one before it belongs to a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === "" || rest.startsWith("/") || rest.endsWith("/")) return undefined;

  let registry: string | undefined;
  const slash = rest.indexOf("/");
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    // The same test the Docker CLI applies: a dot, a port or "localhost" (or upper case) marks a host.
    if (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase()) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return { raw, registry, repository: rest, tag, digest };
}

/**
 * The parsed image of a container (`ref.raw` is the text as written); undefined when it has no
 * image (absent or null) or one no runtime would accept (see parseImageRef).
 */
export function containerImageRef(container: { image?: unknown }): ImageRef | undefined {
  const image = container.image;
  return typeof image === "string" ? parseImageRef(image) : undefined;
}

/** The last path component of the repository: "nginx" for "docker.io/library/nginx:1.27". */
export function imageName(ref: ImageRef): string {
  const i = ref.repository.lastIndexOf("/");
  return i === -1 ? ref.repository : ref.repository.slice(i + 1);
}

/**
 * True when the image resolves to whatever a moving tag points at: no tag (which means `latest`)
 * or `latest` itself, and no digest (a digest wins over any tag).
 */
export function isMutableTag(ref: ImageRef): boolean {
  if (ref.digest !== undefined) return false;
  return ref.tag === undefined || ref.tag.toLowerCase() === "latest";
}
