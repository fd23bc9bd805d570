// added-capabilities and dangerous-capabilities take their capability lists from the config.
import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG, type Config } from "../../../src/core/config.js";
import { scanText } from "../../helpers/scan.js";

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE", "chown", "CAP_SYS_TIME", "NET_ADMIN"]
`;

function findings(id: string, options?: Record<string, unknown>): string[] {
  const config: Config = {
    ...EMPTY_CONFIG,
    rules: { [id]: options === undefined ? { enabled: true } : { enabled: true, options } },
  };
  return scanText(manifest, "options.yaml", { config })
    .filter((f) => f.ruleId === id)
    .map((f) => `${f.line}:${f.column} ${f.message}`);
}

describe("added-capabilities options", () => {
  it("allows only NET_BIND_SERVICE by default", () => {
    expect(findings("added-capabilities")).toEqual([
      "12:37 Container `app` adds the `chown` capability, which is not allowed (allowed: NET_BIND_SERVICE).",
      "12:46 Container `app` adds the `CAP_SYS_TIME` capability, which is not allowed (allowed: NET_BIND_SERVICE).",
      "12:62 Container `app` adds the `NET_ADMIN` capability, which is not allowed (allowed: NET_BIND_SERVICE).",
    ]);
  });

  it("takes `allowed`, matching names case-insensitively and with or without CAP_", () => {
    expect(
      findings("added-capabilities", { allowed: ["CAP_CHOWN", "sys_time", "NET_BIND_SERVICE"] }),
    ).toEqual([
      "12:62 Container `app` adds the `NET_ADMIN` capability, which is not allowed (allowed: CHOWN, SYS_TIME, NET_BIND_SERVICE).",
    ]);
  });

  it("reports NET_BIND_SERVICE too when `allowed` is empty", () => {
    expect(findings("added-capabilities", { allowed: [] })).toHaveLength(4);
    expect(findings("added-capabilities", { allowed: [] })[0]).toContain("(none is allowed)");
  });

  it("falls back to the default when `allowed` is not a list", () => {
    expect(findings("added-capabilities", { allowed: "CHOWN" })).toHaveLength(3);
  });
});

describe("dangerous-capabilities options", () => {
  it("flags NET_ADMIN but not SYS_TIME by default", () => {
    expect(findings("dangerous-capabilities")).toEqual([
      "12:62 Container `app` adds the dangerous capability `NET_ADMIN`.",
    ]);
  });

  it("takes the list from `capabilities`", () => {
    expect(findings("dangerous-capabilities", { capabilities: ["SYS_TIME"] })).toEqual([
      "12:46 Container `app` adds the dangerous capability `CAP_SYS_TIME`.",
    ]);
  });
});
