import { defineRule } from "../../core/rule.js";
import type { Path } from "../../core/types.js";
import { containersOf, isRecord } from "../../core/workloads.js";
import { containerImageRef } from "../lib/image.js";
import { reportContainer } from "../lib/report.js";

/**
 * Repositories of the dashboard's UI and API server: v1 (`kubernetes-dashboard-amd64`), v2
 * (`kubernetesui/dashboard`) and the v3+/Helm split (`kubernetesui/dashboard-api|auth|web`).
 * The metrics scraper and Kong proxy that ship with it are not matched: alone they expose nothing.
 */
const DASHBOARD_REPO =
  /(^|\/)(kubernetes-dashboard(-(amd64|arm64|arm|ppc64le|s390x))?|kubernetesui\/dashboard(-(api|auth|web))?)$/;
const LABEL_KEYS = ["app", "k8s-app", "app.kubernetes.io/name"];

export default defineRule({
  meta: {
    id: "kubernetes-dashboard",
    title: "Kubernetes Dashboard deployed",
    category: "security",
    severity: "medium",
    description:
      "The Kubernetes Dashboard is a web UI that acts on the cluster with its service account or the user's token; exposed or given broad RBAC it has been a classic entry point (the 2018 Tesla cryptojacking ran through an open dashboard).",
    remediation:
      "Remove the dashboard, or keep it off any Ingress or external Service, bind it to a minimal Role and require token or OIDC login.",
    messages: {
      dashboardImage: "Container `{{container}}` runs the Kubernetes Dashboard (`{{image}}`).",
      dashboardLabel:
        "{{kind}} `{{name}}` is labelled `{{label}}: kubernetes-dashboard`: it looks like a Kubernetes Dashboard deployment.",
    },
    fix: "none",
    standards: { mitre: ["T1133"] },
    concepts: ["K-DASHBOARD"],
    equivalents: {
      kubescape: ["C-0014"],
      checkov: ["CKV_K8S_33"],
      kics: ["d2ad057f-0928-41ef-a83c-f59203bb855b"],
      terrascan: ["AC_K8S_0067"],
    },
    notes:
      "A dashboard reachable only through `kubectl proxy` or port-forward, with login required and a read-only service account, is a reasonable choice: suppress the finding there with a reason. Images mirrored under another name are found only through the `app`, `k8s-app` or `app.kubernetes.io/name` label.",
  },
  create(context) {
    return {
      podSpec(pod) {
        let found = false;
        for (const c of containersOf(pod)) {
          const ref = containerImageRef(c.container);
          if (ref === undefined || !DASHBOARD_REPO.test(ref.repository)) continue;
          found = true;
          reportContainer(context, c, ["image"], "dashboardImage", { image: ref.raw });
        }
        if (found) return;
        const r = pod.resource;
        const objectMeta = r.object["metadata"];
        const candidates: [Record<string, string> | undefined, Path][] = [
          [pod.podMeta.labels, [...pod.podMetaPath, "labels"]],
          [
            isRecord(objectMeta) ? (objectMeta["labels"] as Record<string, string> | undefined) : undefined,
            ["metadata", "labels"],
          ],
        ];
        for (const [labels, path] of candidates) {
          const key = LABEL_KEYS.find((k) => labels?.[k] === "kubernetes-dashboard");
          if (key === undefined) continue;
          context.report({
            resource: r,
            path: [...path, key],
            messageId: "dashboardLabel",
            data: { kind: r.ref.kind, name: r.ref.name, label: key },
          });
          return;
        }
      },
    };
  },
});
