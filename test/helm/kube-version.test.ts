// A chart's kubeVersion constraint, read as helm reads it (Masterminds semver), and the Kubernetes
// version kubeward picks when the constraint excludes helm's default (issue 8 item 7).
import { describe, expect, it } from "vitest";
import { parseConstraint, pickKubeVersion, satisfies } from "../../src/inputs/helm-kube-version.js";

const ok = (c: string, v: [number, number, number]) => {
  const alts = parseConstraint(c);
  if (alts === undefined) throw new Error(`not parsed: ${c}`);
  return satisfies(alts, v);
};

describe("kubeVersion constraints", () => {
  it("reads ranges with spaces or commas, pre-release bounds, ~, ^, wildcards, hyphens and ||", () => {
    expect(ok(">= 1.19.0-0 < 1.26.0-0", [1, 25, 16])).toBe(true);
    expect(ok(">= 1.19.0-0 < 1.26.0-0", [1, 26, 0])).toBe(false);
    expect(ok(">=1.19.0-0, <1.26.0-0", [1, 18, 9])).toBe(false);
    expect(ok("~1.21.2", [1, 21, 9])).toBe(true);
    expect(ok("~1.21.2", [1, 22, 0])).toBe(false);
    expect(ok("^1.20", [1, 35, 0])).toBe(true);
    expect(ok("1.24.x", [1, 24, 7])).toBe(true);
    expect(ok("1.24.x", [1, 25, 0])).toBe(false);
    expect(ok("<= 1.24.x", [1, 24, 30])).toBe(true);
    expect(ok("1.20 - 1.22.3", [1, 22, 4])).toBe(false);
    expect(ok("1.20 - 1.22.3", [1, 21, 0])).toBe(true);
    expect(ok("<1.20 || >=1.30", [1, 25, 0])).toBe(false);
    expect(ok("<1.20 || >=1.30", [1, 31, 0])).toBe(true);
    expect(ok(">= 1.20, != 1.25.0", [1, 25, 0])).toBe(false);
    expect(parseConstraint("banana")).toBeUndefined();
  });

  it("picks the newest minor at or below the default, its lowest allowed patch, else the oldest above", () => {
    expect(pickKubeVersion(">= 1.19.0-0 < 1.26.0-0", "v1.35.0")).toBe("v1.25.0");
    expect(pickKubeVersion(">=1.22.4 <1.23", "v1.35.0")).toBe("v1.22.4");
    expect(pickKubeVersion("<1.20 || >=1.40", "v1.35.0")).toBe("v1.19.0");
    expect(pickKubeVersion(">= 1.37.0", "v1.35.0")).toBe("v1.37.0");
    expect(pickKubeVersion("< 1.0.0", "v1.35.0")).toBeUndefined();
    expect(pickKubeVersion("banana", "v1.35.0")).toBeUndefined();
  });
});
