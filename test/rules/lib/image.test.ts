// The image reference parser against the distribution/reference grammar that runtimes use.
import { describe, expect, it } from "vitest";
import { containerImageRef, imageName, isMutableTag, parseImageRef } from "../../../src/rules/lib/image.js";

const DIGEST = "sha256:" + "a".repeat(64);

describe("parseImageRef", () => {
  it.each([
    ["nginx", undefined, "nginx", undefined, undefined],
    ["nginx:1.27", undefined, "nginx", "1.27", undefined],
    ["library/nginx:latest", undefined, "library/nginx", "latest", undefined],
    ["docker.io/library/nginx:1.27-alpine", "docker.io", "library/nginx", "1.27-alpine", undefined],
    ["localhost:5000/app", "localhost:5000", "app", undefined, undefined],
    ["localhost:5000/app:v2", "localhost:5000", "app", "v2", undefined],
    ["localhost/app", "localhost", "app", undefined, undefined],
    ["registry.example.com:443/team/app:1.0", "registry.example.com:443", "team/app", "1.0", undefined],
    ["ghcr.io/org/app@" + DIGEST, "ghcr.io", "org/app", undefined, DIGEST],
    ["ghcr.io/org/app:1.0@" + DIGEST, "ghcr.io", "org/app", "1.0", DIGEST],
    ["myregistry:5000/app@" + DIGEST, "myregistry:5000", "app", undefined, DIGEST],
    ["team/app:1.0", undefined, "team/app", "1.0", undefined],
    ["Registry/app", "Registry", "app", undefined, undefined],
  ])("%s", (raw, registry, repository, tag, digest) => {
    expect(parseImageRef(raw)).toEqual({ raw, registry, repository, tag, digest });
  });

  it.each([
    "",
    "   ",
    "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
    "${IMAGE}",
    "nginx:",
    "nginx@sha256:short",
    "nginx@" + "a".repeat(64),
    "nginx:bad tag",
    "/nginx",
    "nginx/",
    "nginx:-dash",
  ])("rejects %j", (raw) => {
    expect(parseImageRef(raw)).toBeUndefined();
  });
});

describe("isMutableTag", () => {
  const mutable = (raw: string) => {
    const ref = parseImageRef(raw);
    if (ref === undefined) throw new Error(`unparsable ${raw}`);
    return isMutableTag(ref);
  };
  it("is true for no tag and `latest` (any case) without a digest", () => {
    expect(mutable("nginx")).toBe(true);
    expect(mutable("nginx:latest")).toBe(true);
    expect(mutable("nginx:Latest")).toBe(true);
    expect(mutable("localhost:5000/app")).toBe(true);
  });
  it("is false for version tags and anything pinned by digest", () => {
    expect(mutable("nginx:1.27")).toBe(false);
    expect(mutable("nginx:latest-alpine")).toBe(false);
    expect(mutable("localhost:5000/app:v1")).toBe(false);
    expect(mutable("nginx@" + DIGEST)).toBe(false);
    expect(mutable("nginx:latest@" + DIGEST)).toBe(false);
  });
});

describe("imageName", () => {
  it("is the last path component", () => {
    const name = (raw: string) => {
      const ref = parseImageRef(raw);
      return ref === undefined ? undefined : imageName(ref);
    };
    expect(name("gcr.io/kubernetes-helm/tiller:v2.16.1")).toBe("tiller");
    expect(name("nginx")).toBe("nginx");
    expect(name("localhost:5000/app:v1")).toBe("app");
  });
});

describe("containerImageRef", () => {
  it("parses a container's image and keeps the text as written", () => {
    expect(containerImageRef({ image: "ghcr.io/org/app:1.0" })).toMatchObject({
      raw: "ghcr.io/org/app:1.0",
      registry: "ghcr.io",
      tag: "1.0",
    });
  });
  it.each([
    [{}],
    [{ image: null }],
    [{ image: 3 }],
    [{ image: ":latest" }],
    [{ image: "{{ .Values.image }}" }],
  ])("gives nothing for %j", (container) => {
    expect(containerImageRef(container)).toBeUndefined();
  });
});
