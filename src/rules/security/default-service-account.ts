import { defineRule } from "../../core/rule.js";
import { reportPod } from "../lib/report.js";
import { serviceAccountOf } from "../lib/service-account.js";

export default defineRule({
  meta: {
    id: "default-service-account",
    title: "Pod runs as the default ServiceAccount",
    category: "security",
    severity: "low",
    description:
      "Every pod in a namespace that names no ServiceAccount shares the `default` one, so any permission or cloud identity granted to it for one workload is silently granted to all of them.",
    remediation: "Create a dedicated ServiceAccount for the workload and set `serviceAccountName` to it.",
    messages: {
      implicit: "The pod names no ServiceAccount, so it runs as the namespace's `default` ServiceAccount.",
      explicit: "The pod runs as the namespace's `default` ServiceAccount.",
    },
    fix: "none",
    standards: { cis: ["5.1.5"] },
    concepts: ["W-DEFSA"],
    equivalents: {
      "kube-linter": ["default-service-account"],
      kubescape: ["C-0189"],
      checkov: ["CKV_K8S_41"],
      kics: ["591ade62-d6b0-4580-b1ae-209f80ba1cd9"],
      kubeaudit: ["asat/AutomountServiceAccountTokenTrueAndDefaultSA"],
    },
    notes:
      "The risk is small when the `default` ServiceAccount has no RoleBindings and no cloud identity and the pod does not mount its token (see `service-account-token-automount`); simple single-workload namespaces may prefer to disable this rule. It is reported even with `automountServiceAccountToken: false`, because projected tokens and cloud workload identity still use the ServiceAccount.",
  },
  create(context) {
    return {
      podSpec(pod) {
        const sa = serviceAccountOf(pod);
        if (sa.name !== "default") return;
        // Reported at the pod spec; the setting it lacks is `serviceAccountName` (whose values key,
        // in a chart, is the one that would set it).
        if (sa.from === undefined)
          reportPod(context, pod, [], "implicit", {}, undefined, ["serviceAccountName"]);
        else reportPod(context, pod, [sa.from], "explicit");
      },
    };
  },
});
