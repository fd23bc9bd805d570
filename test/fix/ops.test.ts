// Path operations on plain values (what a fix must produce): applied to a copy, the original untouched.
import { describe, expect, it } from "vitest";
import { applyOps } from "../../src/fix/ops.js";

const pod = () => ({
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    containers: [
      {
        name: "web",
        image: "nginx",
        securityContext: { runAsNonRoot: false },
        ports: [{ containerPort: 80 }],
      },
      { name: "side", image: "busybox", args: ["a"] },
    ],
    volumes: [{ name: "v" }],
  },
});

describe("applyOps", () => {
  it("changes only a copy, and copies only the mappings and lists on the ops' paths", () => {
    const original = pod();
    const before = JSON.stringify(original);
    const r = applyOps(original, [
      { op: "set", path: ["spec", "containers", 0, "securityContext", "runAsNonRoot"], value: true },
      { op: "append", path: ["spec", "containers", 1, "args"], value: "b" },
      { op: "remove", path: ["spec", "volumes", 0] },
      {
        op: "add",
        path: ["spec", "containers", 1, "securityContext", "readOnlyRootFilesystem"],
        value: true,
      },
    ]);
    expect(JSON.stringify(original)).toBe(before);
    if (!("value" in r)) throw new Error(r.error);
    const v = r.value as ReturnType<typeof pod>;
    expect(v).toEqual({
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx",
            securityContext: { runAsNonRoot: true },
            ports: [{ containerPort: 80 }],
          },
          {
            name: "side",
            image: "busybox",
            args: ["a", "b"],
            securityContext: { readOnlyRootFilesystem: true },
          },
        ],
        volumes: [],
      },
    });
    // Untouched subtrees are shared (no deep copy of the whole object), touched ones are new.
    expect(v.metadata).toBe(original.metadata);
    expect(v.spec.containers[0]?.ports).toBe(original.spec.containers[0]?.ports);
    expect(v.spec).not.toBe(original.spec);
    expect(v.spec.containers[1]?.args).not.toBe(original.spec.containers[1]?.args);
  });

  it("reports an op that cannot apply and leaves the original as it was", () => {
    const original = pod();
    const before = JSON.stringify(original);
    const r = applyOps(original, [
      { op: "set", path: ["spec", "containers", 0, "image"], value: "nginx:1" },
      { op: "set", path: ["metadata", "name", "x"], value: 1 },
    ]);
    expect(r).toEqual({ error: "`metadata.name` is not a mapping" });
    expect(JSON.stringify(original)).toBe(before);
  });
});
