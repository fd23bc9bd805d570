import { defineRule } from "../../core/rule.js";
import { getIn, isRecord } from "../../core/workloads.js";
import { describeNamespace, namespaceOf, namespaceScope } from "../lib/namespaces.js";
import { podsByNamespace, workloadPods } from "../lib/workload-pods.js";

export default defineRule({
  meta: {
    id: "service-selector-dangling",
    title: "Service selector matches no pods",
    category: "reliability",
    severity: "medium",
    description:
      "A Service whose selector matches no pod template has no endpoints: every connection to it fails, usually because of a typo or a label renamed on one side only.",
    remediation:
      "Make the Service's `spec.selector` match the labels of the pod template it should route to.",
    messages: {
      noMatch:
        "Service `{{name}}` selects {{selector}}, but no workload in {{namespace}} has pods with these labels.",
      noWorkloads:
        "Service `{{name}}` selects {{selector}}, but the scan holds no workload in {{namespace}}; scan it together with the workloads it routes to.",
    },
    kinds: ["Service"],
    scope: "cluster",
    fix: "none",
    concepts: ["X-SVC-DANGLING"],
    equivalents: {
      "kube-linter": ["dangling-service"],
      kubescape: ["C-0293"],
      "kube-score": ["service-targets-pod"],
      kics: ["3ca03a61-3249-4c16-8427-6f8e47dda729"],
    },
    notes:
      "The rule sees only the objects of the scan: scanning part of a release (a single file, one chart of an umbrella) can report Services whose pods come from elsewhere, and pods created by operators from custom resources are unknown to it. To limit that, a Service is not reported when a selector value is the name of a custom resource in the scan (operators label their pods with it, as prometheus-operator does), nor when it is in `kube-system` and the scan holds no workload there (control-plane static pods and add-ons of the cluster installer). An object without `metadata.namespace` is assumed to go to the same namespace as the other namespace-less objects of the scan (as with `kubectl apply -n` or Helm), and, since Helm charts often set the namespace on some objects only, it may pair with objects of any named namespace too. Services without a selector (manually managed Endpoints/EndpointSlices) and ExternalName Services are not checked. Custom workloads with a pod template at `spec.template` (such as Argo Rollouts) count as workloads.",
  },
  create(context) {
    return {
      end(resources) {
        const scope = namespaceScope(resources);
        // Per namespace, computed once: a scan of many objects stays linear.
        const podsIn = podsByNamespace(scope);
        let kubeSystemWorkloads: boolean | undefined;
        for (const svc of resources) {
          if (svc.ref.kind !== "Service") continue;
          const ns = namespaceOf(svc);
          const { pods, crNames } = podsIn(ns);
          if (getIn(svc.object, ["spec", "type"]) === "ExternalName") continue;
          const raw = getIn(svc.object, ["spec", "selector"]);
          if (!isRecord(raw)) continue;
          const matchLabels: Record<string, string> = {};
          for (const [k, v] of Object.entries(raw)) if (typeof v === "string") matchLabels[k] = v;
          const pairs = Object.entries(matchLabels);
          if (pairs.length === 0) continue;
          if (pods.some({ matchLabels })) continue;
          // Pods an operator makes for a custom resource of the scan, and kube-system's own
          // (static control-plane pods, add-ons of the cluster installer), are not in the scan.
          if (pairs.some(([, v]) => crNames.has(v))) continue;
          if (ns === "kube-system") {
            kubeSystemWorkloads ??= resources.some((r) => r.ref.namespace === ns && workloadPods(r));
            if (!kubeSystemWorkloads) continue;
          }
          context.report({
            resource: svc,
            path: ["spec", "selector"],
            messageId: pods.size === 0 ? "noWorkloads" : "noMatch",
            data: {
              name: svc.ref.name,
              selector: pairs.map(([k, v]) => `\`${k}=${v}\``).join(", "),
              namespace: describeNamespace(ns),
            },
          });
        }
      },
    };
  },
});
