import { defineRule } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS, type GrantMatch } from "../lib/rbac.js";

/** Resources whose write verbs start or change pods, by API group. */
const POD_CREATORS: readonly { group: string; resources: string[] }[] = [
  { group: "", resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers"] },
  { group: "apps", resources: ["deployments", "replicasets", "statefulsets", "daemonsets"] },
  { group: "extensions", resources: ["deployments", "replicasets", "daemonsets"] },
  { group: "batch", resources: ["jobs", "cronjobs"] },
];
const WRITE_VERBS = ["create", "update", "patch"];

export default defineRule({
  meta: {
    id: "rbac-create-pods",
    title: "Role can create or change pods and workloads",
    category: "rbac",
    severity: "medium",
    description:
      "Whoever can create or modify pods, or the controllers that make them, can run any image with any ServiceAccount and mount any Secret of the namespace, so they hold every permission of the namespace's ServiceAccounts (and the node's, where Pod Security admission allows privileged pods).",
    remediation:
      "Grant create/update/patch on pods and workload controllers only to deployment tooling, and enforce Pod Security admission in the namespace.",
    messages: {
      createPods: "{{kind}} `{{name}}` can {{verbs}} {{resources}}.",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { cis: ["5.1.4"], nsa: ["Authentication and authorization"] },
    concepts: ["RB-PODS-CREATE"],
    equivalents: {
      trivy: ["KSV-0048"],
      "kube-linter": ["access-to-create-pods"],
      kubescape: ["C-0188"],
      kics: ["592ad21d-ad9b-46c6-8d2d-fad09d62a942"],
    },
    notes:
      'CI/CD deployers, GitOps controllers and operators that manage workloads need these verbs: suppress the rule on their Roles with a reason. `pods/ephemeralcontainers` counts (it adds a debug container to a running pod). Rules with `resourceNames` are still reported (update/patch on a named Deployment still changes its image), and `resources: ["*"]` is left to `rbac-wildcard`.',
  },
  create(context) {
    return {
      resource(resource) {
        for (const view of policyRulesOf(resource)) {
          const matches: GrantMatch[] = [];
          for (const { group, resources } of POD_CREATORS) {
            const m = matchGrant(view.rule, { apiGroups: [group], resources, verbs: WRITE_VERBS });
            if (m !== undefined) matches.push(m);
          }
          const verbs = matches.flatMap((m) => m.verbs).sort((a, b) => a.index - b.index);
          const first = verbs[0];
          if (first === undefined) continue;
          const resources = matches.flatMap((m) => m.resources).sort((a, b) => a.index - b.index);
          context.report({
            resource,
            path: [...view.path, "verbs", first.index],
            messageId: "createPods",
            data: {
              kind: resource.ref.kind,
              name: resource.ref.name,
              verbs: listOf(verbs, "create, update and patch"),
              resources: listOf(resources),
            },
          });
        }
      },
    };
  },
});
