// The watched run of the culprit search: what code read of an object, replayed on another object.
import { describe, expect, it } from "vitest";
import { applyOps } from "../../src/fix/ops.js";
import { isTree, seesSame, watch } from "../../src/fix/watch.js";

const POD = () => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    hostNetwork: true,
    containers: [{ name: "web", image: "x:1", securityContext: { readOnlyRootFilesystem: false } }],
  },
});
type Pod = ReturnType<typeof POD>;

/** `read` run on a watched POD, then each change replayed: does the reading see it? */
function sees(read: (pod: Pod) => unknown, ops: Parameters<typeof applyOps>[1]): boolean {
  const pod = POD();
  const w = watch(pod);
  read(w.value);
  const changed = applyOps(pod, ops);
  if ("error" in changed) throw new Error(changed.error);
  return !seesSame(w, changed.value);
}

describe("watch", () => {
  const hostNetwork = (p: Pod) => p.spec.hostNetwork;
  it("sees a change to a value that was read, and no change elsewhere", () => {
    expect(sees(hostNetwork, [{ op: "remove", path: ["spec", "hostNetwork"] }])).toBe(true);
    expect(sees(hostNetwork, [{ op: "set", path: ["spec", "hostNetwork"], value: false }])).toBe(true);
    expect(sees(hostNetwork, [{ op: "set", path: ["spec", "hostNetwork"], value: true }])).toBe(false);
    // `spec` was reached, but only its hostNetwork was looked at.
    expect(sees(hostNetwork, [{ op: "set", path: ["spec", "dnsPolicy"], value: "None" }])).toBe(false);
    expect(
      sees(hostNetwork, [
        {
          op: "set",
          path: ["spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"],
          value: true,
        },
      ]),
    ).toBe(false);
  });

  it("sees a node that turns into a value, or appears where the reading found nothing", () => {
    const sc = (p: Pod) => p.spec.containers[0]?.securityContext;
    expect(sees(sc, [{ op: "set", path: ["spec", "containers", 0, "securityContext"], value: 1 }])).toBe(
      true,
    );
    const missing = (p: Pod) => (p.spec as Record<string, unknown>)["securityContext"];
    expect(
      sees(missing, [{ op: "set", path: ["spec", "securityContext", "runAsNonRoot"], value: true }]),
    ).toBe(true);
  });

  it("sees a key added under a node whose keys were listed or tested", () => {
    const keys = (p: Pod) => Object.keys(p.spec.containers[0]?.securityContext ?? {});
    const add = [
      { op: "set" as const, path: ["spec", "containers", 0, "securityContext", "runAsNonRoot"], value: true },
    ];
    expect(sees(keys, add)).toBe(true);
    expect(sees((p) => "runAsNonRoot" in (p.spec.containers[0]?.securityContext ?? {}), add)).toBe(true);
    expect(sees((p) => Object.hasOwn(p.spec.containers[0]?.securityContext ?? {}, "runAsNonRoot"), add)).toBe(
      true,
    );
    // The whole object as text reads every part of it.
    expect(sees((p) => JSON.stringify(p), add)).toBe(true);
    expect(sees((p) => ({ ...p.spec }), add)).toBe(false);
  });

  it("sees an item appended to a list that was walked or measured", () => {
    const append = [
      { op: "append" as const, path: ["spec", "containers"], value: { name: "b", image: "y:1" } },
    ];
    expect(sees((p) => p.spec.containers.map((c) => c.name), append)).toBe(true);
    expect(sees((p) => p.spec.containers.length, append)).toBe(true);
    expect(sees((p) => p.spec.containers[0]?.name, append)).toBe(false);
  });

  it("is spoiled by a change attempt, and refuses objects that share a node", () => {
    const pod = POD();
    const w = watch(pod);
    expect(() => {
      (w.value.spec as Record<string, unknown>)["hostNetwork"] = false;
    }).toThrow(TypeError);
    expect(pod.spec.hostNetwork).toBe(true);
    expect(w.spoiled).toBe(true);
    expect(seesSame(w, POD())).toBe(false);

    const shared = { a: 1 };
    expect(isTree({ x: shared, y: shared })).toBe(false);
    expect(isTree({ x: { a: 1 }, y: { a: 1 } })).toBe(true);
    // An object with a shared node is never taken as read the same.
    const tree = watch({ x: { a: 1 }, y: { a: 1 } });
    expect(seesSame(tree, { x: shared, y: shared })).toBe(false);
  });

  it("keeps one stand-in per path, as the object has one node per path", () => {
    const w = watch(POD());
    expect(w.value.spec).toBe(w.value.spec);
    expect(w.value.spec.containers[0]).not.toBe(w.value.spec);
    expect(Array.isArray(w.value.spec.containers)).toBe(true);
  });
});
