import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { getIn } from "../../core/workloads.js";

/** Loopback (127.0.0.0/8, ::1) and link-local (169.254.0.0/16, fe80::/10) addresses. */
export function specialAddress(ip: string): "loopback" | "link-local" | undefined {
  const v = ip.trim().toLowerCase();
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v) || v === "::1" || v === "0:0:0:0:0:0:0:1") return "loopback";
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(v) || /^fe[89ab][0-9a-f]:/.test(v)) return "link-local";
  return undefined;
}

export default defineRule({
  meta: {
    id: "endpoints-loopback",
    title: "Endpoints or EndpointSlice points at a loopback or link-local address",
    category: "network",
    severity: "high",
    description:
      "A hand-made Endpoints or EndpointSlice with a loopback (127.0.0.0/8, ::1) or link-local (169.254.0.0/16, fe80::/10) address makes kube-proxy send the Service's traffic to whatever listens there on each node: the node's own services or the cloud metadata endpoint, with its credentials (CVE-2021-25740-style).",
    remediation:
      "Use the routable addresses of the real backends, or give the Service a selector and let Kubernetes manage its endpoints.",
    messages: {
      special: "{{kind}} `{{name}}` lists {{what}} address `{{ip}}`.",
    },
    kinds: ["EndpointSlice", "Endpoints"],
    fix: "none",
    concepts: ["N-EPS-LOOPBACK"],
    equivalents: { terrascan: ["AC_K8S_0132"] },
    notes:
      "The API server rejects such addresses in Endpoints but not in EndpointSlices; both are checked, since either may be applied by a tool that bypasses validation.",
  },
  create(context) {
    return {
      resource(r) {
        const report = (ip: unknown, path: Path) => {
          if (typeof ip !== "string") return;
          const what = specialAddress(ip);
          if (what !== undefined)
            context.report({
              resource: r,
              path,
              messageId: "special",
              data: { kind: r.ref.kind, name: r.ref.name, what, ip },
            });
        };
        if (r.ref.kind === "EndpointSlice") {
          const eps = getIn(r.object, ["endpoints"]);
          if (!Array.isArray(eps)) return;
          eps.forEach((e: unknown, i) => {
            const addrs = getIn(e, ["addresses"]);
            if (Array.isArray(addrs))
              addrs.forEach((a: unknown, j) => {
                report(a, ["endpoints", i, "addresses", j]);
              });
          });
          return;
        }
        const subsets = getIn(r.object, ["subsets"]);
        if (!Array.isArray(subsets)) return;
        subsets.forEach((s: unknown, i) => {
          for (const key of ["addresses", "notReadyAddresses"]) {
            const addrs = getIn(s, [key]);
            if (Array.isArray(addrs))
              addrs.forEach((a: unknown, j) => {
                report(getIn(a, ["ip"]), ["subsets", i, key, j, "ip"]);
              });
          }
        });
      },
    };
  },
});
