import { defineRule } from "../../core/rule.js";
import { containersOf, type ContainerView } from "../../core/workloads.js";
import { acceleratorNames, servingPodSpecOf } from "../lib/accelerators.js";
import { parseQuantity, quantityText as text } from "../lib/quantity.js";
import { reportContainer } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "gpu-request-limit-mismatch",
    title: "GPU request without an equal limit",
    category: "reliability",
    severity: "high",
    description:
      'GPUs and other device-plugin accelerators (`nvidia.com/gpu`, `amd.com/gpu`, `gpu.intel.com/*`, …) cannot be overcommitted or shared between containers: Kubernetes takes them from `limits`, defaults the request to the limit, and rejects a pod whose request has no limit, differs from it, or is not a whole number (Kubernetes docs, "Schedule GPUs": https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/; "Extended resources": https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources). The workload\'s pods are never created, and the controller retries forever.',
    remediation:
      "Set the accelerator count under `resources.limits` as a whole number, and either leave it out of `requests` or give it the same value there.",
    messages: {
      requestWithoutLimit:
        "Container `{{container}}` requests `{{resource}}: {{request}}` without a limit: Kubernetes rejects accelerator requests that have no limit.",
      requestNotLimit:
        "Container `{{container}}` requests `{{resource}}: {{request}}` but limits it to {{limit}}: accelerators cannot be overcommitted, so the request must equal the limit.",
      notWhole:
        "Container `{{container}}` asks for `{{resource}}: {{value}}`, which is not a whole number: devices are allocated whole, and Kubernetes rejects fractions.",
    },
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "Fractional GPUs come from the device plugin, not from the quantity: NVIDIA time-slicing or MIG expose whole units of another resource (`nvidia.com/gpu.shared`, `nvidia.com/mig-1g.5gb`), which this rule treats the same way. Resources of other device plugins (FPGAs, RDMA NICs) are not checked; the rule knows NVIDIA, AMD, Intel GPU, Habana Gaudi, AWS Neuron and Google TPU resource names.",
  },
  create(context) {
    const check = (c: ContainerView) => {
      if (c.kind === "ephemeralContainer") return;
      const res = c.container.resources;
      for (const name of acceleratorNames(c.container)) {
        const rawLimit: unknown = res?.limits?.[name];
        const rawRequest: unknown = res?.requests?.[name];
        const limit = parseQuantity(rawLimit);
        const request = parseQuantity(rawRequest);
        const notWhole = (raw: unknown, n: number | undefined, field: "limits" | "requests") => {
          if (n === undefined || Number.isInteger(n)) return false;
          reportContainer(context, c, ["resources", field, name], "notWhole", {
            resource: name,
            value: text(raw),
          });
          return true;
        };
        if (notWhole(rawLimit, limit, "limits") || notWhole(rawRequest, request, "requests")) continue;
        if (request === undefined) continue;
        if (rawLimit === undefined || rawLimit === null) {
          reportContainer(context, c, ["resources", "requests", name], "requestWithoutLimit", {
            resource: name,
            request: text(rawRequest),
          });
        } else if (limit !== undefined && limit !== request) {
          reportContainer(context, c, ["resources", "requests", name], "requestNotLimit", {
            resource: name,
            request: text(rawRequest),
            limit: text(rawLimit),
          });
        }
      }
    };
    return {
      container: check,
      // The containers of KServe InferenceService and KAITO Workspace become pods too.
      resource(r) {
        const pod = servingPodSpecOf(r);
        if (pod !== undefined) for (const c of containersOf(pod)) check(c);
      },
    };
  },
});
