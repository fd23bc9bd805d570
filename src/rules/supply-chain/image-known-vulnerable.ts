import { defineRule } from "../../core/rule.js";
import { imageName, parseImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

type Version = readonly [number, number, number];

interface Advisory {
  /** Image names (last path component) the advisory applies to. */
  images: readonly string[];
  /** Repository path must contain this (keeps `grafana` from matching any image named so). */
  owner: string;
  /** Affected when inside one of these [from, to) ranges; `to` undefined: no fixed release. */
  ranges: readonly (readonly [from: Version, to: Version | undefined])[];
  id: string;
  what: string;
}

// The application CVEs and end-of-life notices the peers check (kubescape C-0081, C-0090, C-0091,
// C-0292), with the affected versions from each project's advisory.
const ADVISORIES: readonly Advisory[] = [
  {
    images: ["argocd"],
    owner: "argoproj",
    ranges: [
      [
        [0, 0, 0],
        [2, 1, 9],
      ],
      [
        [2, 2, 0],
        [2, 2, 4],
      ],
    ],
    id: "CVE-2022-24348",
    what: "a path traversal that lets a crafted Helm chart read files of other applications (fixed in 2.1.9, 2.2.4, 2.3.0)",
  },
  {
    images: ["grafana", "grafana-enterprise"],
    owner: "grafana",
    ranges: [
      [
        [9, 2, 0],
        [9, 2, 4],
      ],
    ],
    id: "CVE-2022-39328",
    what: "an authentication bypass in its HTTP middleware (fixed in 9.2.4)",
  },
  {
    images: ["kyverno"],
    owner: "kyverno",
    ranges: [
      [
        [1, 8, 3],
        [1, 8, 5],
      ],
    ],
    id: "CVE-2022-47633",
    what: "an image signature verification bypass (fixed in 1.8.5)",
  },
  {
    images: ["controller", "nginx-ingress-controller"],
    owner: "ingress-nginx",
    ranges: [[[0, 0, 0], undefined]],
    id: "its end of life",
    what: "the Ingress NGINX controller, retired by Kubernetes SIG Network in March 2026: no more releases or security fixes",
  },
];

function parseVersion(tag: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(tag);
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export default defineRule({
  meta: {
    id: "image-known-vulnerable",
    title: "Image version with a known critical vulnerability or end of life",
    category: "supply-chain",
    severity: "high",
    description:
      "A few widely deployed cluster applications shipped releases with vulnerabilities that hand an attacker the cluster (Argo CD reading other apps' secrets, a Grafana authentication bypass, Kyverno accepting unsigned images), and the Ingress NGINX controller is no longer maintained. These are recognised offline from the image tag.",
    remediation:
      "Upgrade the image to a fixed release (or, for Ingress NGINX, migrate to a maintained controller).",
    messages: {
      vulnerable: "Container `{{container}}` runs `{{image}}`, affected by {{id}}: {{what}}.",
    },
    fix: "none",
    concepts: ["K-CVE-APP"],
    equivalents: { kubescape: ["C-0081", "C-0090", "C-0091", "C-0292"] },
    notes:
      "Not a vulnerability scanner: it knows only the advisories listed in its source (those the peers check), reads versions from tags (an image pinned by digest alone is not judged), and matches images by name and owner (`argoproj/argocd`, `grafana/grafana`, `kyverno/kyverno`, `ingress-nginx/controller`), so a mirror under another path is missed.",
  },
  create(context) {
    return {
      container(c) {
        const raw = c.container.image;
        if (typeof raw !== "string") return;
        const ref = parseImageRef(raw);
        if (ref?.tag === undefined) return;
        const version = parseVersion(ref.tag);
        if (version === undefined) return;
        const name = imageName(ref);
        // The path components before the image name: `grafana` in `grafana/grafana`, not in `team/grafana`.
        const owners = ref.repository.split("/").slice(0, -1);
        for (const a of ADVISORIES) {
          if (!a.images.includes(name) || !owners.includes(a.owner)) continue;
          const hit = a.ranges.some(
            ([from, to]) => compare(version, from) >= 0 && (to === undefined || compare(version, to) < 0),
          );
          // (An end of life that no release escapes is about the image itself, its repository; an
          // advisory with fixed releases is about the tag.)
          const whole = a.ranges.every(([from, to]) => to === undefined && compare(from, [0, 0, 0]) === 0);
          if (hit)
            reportContainer(
              context,
              c,
              ["image"],
              "vulnerable",
              { image: raw, id: a.id, what: a.what },
              undefined,
              undefined,
              whole ? "repository" : "tag",
            );
        }
      },
    };
  },
});
