import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { getIn, type PodSpecView } from "../../core/workloads.js";
import { namespaceOf } from "../lib/namespaces.js";
import { matchGrant, policyRulesOf, roleRefOf, subjectsOf, BINDING_KINDS, type Grant } from "../lib/rbac.js";
import { findServiceAccount, serviceAccountOf } from "../lib/service-account.js";
import { runningPodSpecs } from "../lib/workload-pods.js";

/** Grants that amount to control of the cluster (or namespace): administrative roles. */
const TAKEOVER: readonly [string, Grant][] = [
  ["full control (every verb on every resource)", { apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  [
    "impersonation",
    {
      apiGroups: ["", "authentication.k8s.io"],
      resources: ["users", "groups", "serviceaccounts", "userextras/*", "uids"],
      verbs: ["impersonate"],
    },
  ],
  [
    "escalate/bind on roles",
    {
      apiGroups: ["rbac.authorization.k8s.io"],
      resources: ["roles", "clusterroles"],
      verbs: ["escalate", "bind"],
    },
  ],
];

/** Built-in ClusterRoles that are administrative by definition. */
const ADMIN_ROLES: Readonly<Record<string, string>> = {
  "cluster-admin": "full control (every verb on every resource)",
  admin: "administration (the built-in `admin` role)",
};

function takeoverIn(role: Resource): string | undefined {
  for (const view of policyRulesOf(role)) {
    for (const [what, grant] of TAKEOVER) {
      const m = matchGrant(view.rule, grant, true);
      if (m === undefined) continue;
      // Full control needs the star in both verbs and resources, not just one of them.
      if (
        grant.verbs[0] === "*" &&
        !(m.verbs.some((v) => v.value === "*") && m.resources.some((r) => r.value === "*"))
      )
        continue;
      return what;
    }
  }
  return undefined;
}

/** Whether the pod gets its ServiceAccount's token mounted (the pod's setting wins over the ServiceAccount's). */
function mountsToken(resources: readonly Resource[], pod: PodSpecView, sa: string): boolean {
  const own: unknown = pod.spec.automountServiceAccountToken;
  if (typeof own === "boolean") return own;
  return getIn(findServiceAccount(resources, pod, sa)?.object, ["automountServiceAccountToken"]) !== false;
}

export default defineRule({
  meta: {
    id: "workload-token-admin-rbac",
    title: "Pod mounts a ServiceAccount token with administrative RBAC",
    category: "rbac",
    severity: "high",
    description:
      "A pod that mounts the token of a ServiceAccount bound to an administrative role hands that role to anyone who compromises the pod: a remote code execution in the application becomes control of the namespace or the whole cluster.",
    remediation:
      "Bind the workload's ServiceAccount to a role with only the permissions it needs, or set `automountServiceAccountToken: false` when it does not call the Kubernetes API.",
    messages: {
      admin:
        "The pod mounts the token of ServiceAccount `{{sa}}`, which {{binding}} grants {{what}} through {{role}}.",
    },
    scope: "cluster",
    fix: "none",
    standards: { nsa: ["Authentication and authorization"], mitre: ["T1528"] },
    concepts: ["X-WL-RBAC", "X-WL-SATOKEN-RBAC"],
    equivalents: { kubescape: ["C-0261", "C-0267", "C-0272"] },
    notes:
      "Only bindings and roles in the scan are seen (plus the built-in `cluster-admin` and `admin` ClusterRoles by name). Administrative means full control (`*` verbs on `*` resources), impersonation, or `escalate`/`bind` on roles; narrower dangerous grants (reading Secrets, exec, creating pods) are reported on the roles themselves by the `rbac-*` rules. Operators and controllers that need such rights should keep them, with a suppression that says why.",
  },
  create(context) {
    return {
      end(resources) {
        const roles = resources.filter((r) => r.ref.kind === "Role" || r.ref.kind === "ClusterRole");
        const bindings = resources.filter((r) => BINDING_KINDS.includes(r.ref.kind));
        for (const pod of runningPodSpecs(resources)) {
          const sa = serviceAccountOf(pod);
          if (!mountsToken(resources, pod, sa.name)) continue;
          const podNs = namespaceOf(pod.resource);
          for (const binding of bindings) {
            const bindingNs = namespaceOf(binding);
            const subject = subjectsOf(binding).find((s) => {
              if (s.kind !== "ServiceAccount" || s.name !== sa.name) return false;
              const ns = s.namespace ?? bindingNs;
              return ns === "" || podNs === "" || ns === podNs;
            });
            if (subject === undefined) continue;
            const ref = roleRefOf(binding);
            if (ref === undefined) continue;
            const role = roles.find(
              (r) =>
                r.ref.kind === ref.kind &&
                r.ref.name === ref.name &&
                (ref.kind === "ClusterRole" || namespaceOf(r) === bindingNs || namespaceOf(r) === ""),
            );
            const what =
              role !== undefined
                ? takeoverIn(role)
                : ref.kind === "ClusterRole"
                  ? ADMIN_ROLES[ref.name]
                  : undefined;
            if (what === undefined) continue;
            context.report({
              resource: pod.resource,
              path: [...pod.path, sa.from ?? "serviceAccountName"],
              messageId: "admin",
              data: {
                sa: sa.name,
                binding: `${binding.ref.kind} \`${binding.ref.name}\``,
                what:
                  binding.ref.kind === "RoleBinding" ? `${what} in its namespace` : `${what} cluster-wide`,
                role: `${ref.kind} \`${ref.name}\``,
              },
            });
            break;
          }
        }
      },
    };
  },
});
