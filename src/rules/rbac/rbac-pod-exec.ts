import { defineRule, type ReportDescriptor } from "../../core/rule.js";
import { listOf, matchGrant, policyRulesOf, ROLE_KINDS } from "../lib/rbac.js";

const SUBRESOURCES = ["pods/exec", "pods/attach"];

export default defineRule({
  meta: {
    id: "rbac-pod-exec",
    title: "Role can exec into or attach to pods",
    category: "rbac",
    severity: "high",
    description:
      "Exec and attach run commands inside a container: the subject gets the pod's ServiceAccount token, its mounted Secrets and its network position, and escapes to the node if the pod is privileged.",
    remediation:
      "Remove `pods/exec` and `pods/attach` from the rule, and grant them only to break-glass operator roles.",
    messages: {
      exec: "{{kind}} `{{name}}` can run commands in pods ({{verbs}} on {{resources}}).",
      execViaGet:
        "{{kind}} `{{name}}` grants get on {{resources}}, which runs commands in pods over WebSockets on API servers before Kubernetes 1.35 (or with the AuthorizePodWebsocketUpgradeCreatePermission gate off).",
    },
    kinds: ROLE_KINDS,
    fix: "none",
    standards: { nsa: ["Authentication and authorization"], mitre: ["T1609"] },
    concepts: ["RB-EXEC"],
    equivalents: {
      trivy: ["KSV-0054", "KSV-0053"],
      kubescape: ["C-0002"],
      checkov: ["CKV2_K8S_2"],
      polaris: [
        "clusterrolePodExecAttach",
        "clusterrolebindingPodExecAttach",
        "rolePodExecAttach",
        "rolebindingClusterRolePodExecAttach",
        "rolebindingRolePodExecAttach",
      ],
      kics: ["d45330fd-f58d-45fb-a682-6481477a0f84", "c589f42c-7924-4871-aee2-1cede9bc7cbc"],
    },
    notes:
      '`create` is what SPDY exec requires; a WebSocket exec is a GET request and needed only `get` until Kubernetes 1.35, which also asks for `create` (feature gate AuthorizePodWebsocketUpgradeCreatePermission, on by default), so both verbs are reported. Rules with `resourceNames` are still reported: exec into one pod still yields its credentials. `resources: ["*"]` is left to `rbac-wildcard`; `pods/portforward` is not checked. Debugging and CI roles (for example a test runner that execs into pods) need it: suppress the rule on them with a reason.',
  },
  create(context) {
    return {
      resource(resource) {
        const data = { kind: resource.ref.kind, name: resource.ref.name };
        const viaGet: ReportDescriptor<"execViaGet">[] = [];
        let grantsCreate = false;
        for (const view of policyRulesOf(resource)) {
          const create = matchGrant(view.rule, {
            apiGroups: [""],
            resources: SUBRESOURCES,
            verbs: ["create"],
          });
          const first = create?.verbs[0];
          if (create !== undefined && first !== undefined) {
            grantsCreate = true;
            context.report({
              resource,
              path: [...view.path, "verbs", first.index],
              messageId: "exec",
              data: {
                ...data,
                verbs: listOf(create.verbs, "every verb"),
                resources: listOf(create.resources),
              },
            });
            continue;
          }
          const get = matchGrant(view.rule, { apiGroups: [""], resources: SUBRESOURCES, verbs: ["get"] });
          const verb = get?.verbs[0];
          if (get === undefined || verb === undefined) continue;
          viaGet.push({
            resource,
            path: [...view.path, "verbs", verb.index],
            messageId: "execViaGet",
            data: { ...data, resources: listOf(get.resources) },
          });
        }
        // `get` next to `create` elsewhere in the same role is what WebSocket exec needs from 1.35
        // on: the role is reported once, for `create`.
        if (!grantsCreate) for (const d of viaGet) context.report(d);
      },
    };
  },
});
