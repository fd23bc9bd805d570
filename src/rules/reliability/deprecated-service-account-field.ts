import { defineRule } from "../../core/rule.js";
import { reportPod } from "../lib/report.js";

export default defineRule({
  meta: {
    id: "deprecated-service-account-field",
    title: "Deprecated serviceAccount field",
    category: "reliability",
    severity: "low",
    description:
      "`serviceAccount` is a deprecated alias of `serviceAccountName`; when both are present only `serviceAccountName` counts, so a stale `serviceAccount` misleads readers and tools about which identity the pod has.",
    remediation:
      "Rename `serviceAccount` to `serviceAccountName` (or delete it when `serviceAccountName` is set).",
    messages: {
      deprecated: "The pod uses the deprecated `serviceAccount` field; use `serviceAccountName`.",
      conflicting:
        "`serviceAccount: {{deprecated}}` is ignored because `serviceAccountName: {{name}}` is set; the pod runs as `{{name}}`.",
    },
    fix: "safe",
    concepts: ["W-SA-DEPR"],
    equivalents: {
      "kube-linter": ["deprecated-service-account-field"],
      kubescape: ["C-0294"],
      kubeaudit: ["asat/AutomountServiceAccountTokenDeprecated"],
    },
    notes:
      "Objects exported from a cluster (`kubectl get -o yaml`) carry both fields with the same value; that is harmless and not reported.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const { serviceAccount, serviceAccountName } = pod.spec;
        if (typeof serviceAccount !== "string" || serviceAccount === "") return;
        if (typeof serviceAccountName !== "string" || serviceAccountName === "") {
          reportPod(
            context,
            pod,
            ["serviceAccount"],
            "deprecated",
            {},
            {
              fix: {
                description: `Replace the deprecated serviceAccount field by serviceAccountName: ${serviceAccount}.`,
                ops: [
                  { op: "remove", path: ["serviceAccount"] },
                  { op: "set", path: ["serviceAccountName"], value: serviceAccount },
                ],
              },
            },
          );
        } else if (serviceAccountName !== serviceAccount) {
          reportPod(
            context,
            pod,
            ["serviceAccount"],
            "conflicting",
            { deprecated: serviceAccount, name: serviceAccountName },
            { noFix: "the two fields name different accounts; which one the pod needs is not known" },
          );
        }
      },
    };
  },
});
