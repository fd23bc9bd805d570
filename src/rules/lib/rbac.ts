// RBAC PolicyRule matching as the API server's authorizer does it (rbac/v1 helpers): "*" in
// apiGroups, resources or verbs grants everything in that list; "*/sub" grants that subresource
// of every resource; names are case-sensitive. Rules see each rule entry of a Role/ClusterRole.
import type { PolicyRule } from "../../core/k8s.js";
import type { Path, Resource } from "../../core/types.js";
import { isRecord } from "../../core/workloads.js";

export const ROLE_KINDS: readonly string[] = ["Role", "ClusterRole"];
export const BINDING_KINDS: readonly string[] = ["RoleBinding", "ClusterRoleBinding"];

export interface PolicyRuleView {
  resource: Resource;
  /** Path of the rule entry, e.g. ["rules", 2]. */
  path: Path;
  rule: PolicyRule;
}

/**
 * The rule entries of a Role or ClusterRole. An aggregated ClusterRole (`aggregationRule`) has
 * none of its own: the controller overwrites `rules` with those of the ClusterRoles it selects,
 * which are checked where they are defined.
 */
export function policyRulesOf(resource: Resource): PolicyRuleView[] {
  if (!ROLE_KINDS.includes(resource.ref.kind)) return [];
  if (resource.ref.kind === "ClusterRole" && isRecord(resource.object["aggregationRule"])) return [];
  const rules = resource.object["rules"];
  if (!Array.isArray(rules)) return [];
  const out: PolicyRuleView[] = [];
  rules.forEach((r: unknown, i) => {
    if (isRecord(r)) out.push({ resource, path: ["rules", i], rule: normalise(r) });
  });
  return out;
}

/**
 * `validate.ts` lets `null` list items through (null means "unset"); the API server decodes them
 * as "", so do the same, keeping indexes aligned with the source.
 */
function normalise(r: Record<string, unknown>): PolicyRule {
  const list = (key: string): string[] | undefined => {
    const v = r[key];
    return Array.isArray(v) ? v.map((x: unknown) => (typeof x === "string" ? x : "")) : undefined;
  };
  const rule: PolicyRule = { verbs: list("verbs") ?? [] };
  const apiGroups = list("apiGroups");
  const resources = list("resources");
  const resourceNames = list("resourceNames");
  const nonResourceURLs = list("nonResourceURLs");
  if (apiGroups !== undefined) rule.apiGroups = apiGroups;
  if (resources !== undefined) rule.resources = resources;
  if (resourceNames !== undefined) rule.resourceNames = resourceNames;
  if (nonResourceURLs !== undefined) rule.nonResourceURLs = nonResourceURLs;
  return rule;
}

/** What a check looks for: resources ("pods/exec" for a subresource) in API groups, with verbs. */
export interface Grant {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
}

function groupsOf(rule: PolicyRule): readonly string[] {
  // The API server rejects resource rules without apiGroups; read a missing list as the core group
  // the author most likely meant rather than ignoring the rule.
  return rule.apiGroups ?? [""];
}

/**
 * The resources of `rule` that grant one of `wanted` (each "resource" or "resource/subresource").
 * A bare "*" is left out unless `includeStar`: rules that look for a specific resource leave
 * "every resource" to `rbac-wildcard`, so one rule entry does not light up every RBAC rule.
 */
export function matchingResources(
  rule: PolicyRule,
  wanted: readonly string[],
  includeStar = false,
): { index: number; value: string }[] {
  const out: { index: number; value: string }[] = [];
  (rule.resources ?? []).forEach((value, index) => {
    if (value === "*") {
      if (includeStar) out.push({ index, value });
      return;
    }
    const hit = wanted.some((w) => {
      if (w === value) return true;
      // "userextras/*" in `wanted` stands for every subresource of userextras.
      if (w.endsWith("/*") && value.startsWith(w.slice(0, -1))) return true;
      const slash = w.indexOf("/");
      return slash > 0 && value === `*${w.slice(slash)}`;
    });
    if (hit) out.push({ index, value });
  });
  return out;
}

export function matchesGroup(rule: PolicyRule, groups: readonly string[]): boolean {
  return groupsOf(rule).some((g) => g === "*" || groups.includes(g));
}

/** The verbs of `rule` (with their index) that are in `wanted`, "*" included. */
export function matchingVerbs(
  rule: PolicyRule,
  wanted: readonly string[],
): { index: number; value: string }[] {
  const out: { index: number; value: string }[] = [];
  rule.verbs.forEach((value, index) => {
    if (value === "*" || wanted.includes(value)) out.push({ index, value });
  });
  return out;
}

/** True when the rule names specific objects: a least-privilege rule, not a blanket grant. */
export function hasResourceNames(rule: PolicyRule): boolean {
  return (rule.resourceNames ?? []).length > 0;
}

export interface GrantMatch {
  verbs: { index: number; value: string }[];
  resources: { index: number; value: string }[];
}

/** Where `rule` grants `grant` (undefined when it does not). */
export function matchGrant(rule: PolicyRule, grant: Grant, includeStar = false): GrantMatch | undefined {
  if ((rule.resources ?? []).length === 0) return undefined;
  if (!matchesGroup(rule, grant.apiGroups)) return undefined;
  const resources = matchingResources(rule, grant.resources, includeStar);
  if (resources.length === 0) return undefined;
  const verbs = matchingVerbs(rule, grant.verbs);
  if (verbs.length === 0) return undefined;
  return { verbs, resources };
}

/** "get, list and watch" for the report messages; a "*" among them reads as `star` (e.g. "create, update and patch"). */
export function listOf(items: readonly { value: string }[], star?: string): string {
  if (star !== undefined && items.some((i) => i.value === "*")) return star;
  const values = [...new Set(items.map((i) => i.value))];
  const last = values.pop();
  if (last === undefined) return "";
  return values.length === 0 ? last : `${values.join(", ")} and ${last}`;
}

export interface SubjectView {
  /** Path of the subject entry, e.g. ["subjects", 0]. */
  path: Path;
  kind: string;
  name: string;
  namespace: string | undefined;
}

/** The subjects of a RoleBinding or ClusterRoleBinding. */
export function subjectsOf(resource: Resource): SubjectView[] {
  if (!BINDING_KINDS.includes(resource.ref.kind)) return [];
  const subjects = resource.object["subjects"];
  if (!Array.isArray(subjects)) return [];
  const out: SubjectView[] = [];
  subjects.forEach((s: unknown, i) => {
    if (!isRecord(s) || typeof s["kind"] !== "string" || typeof s["name"] !== "string") return;
    const ns = s["namespace"];
    out.push({
      path: ["subjects", i],
      kind: s["kind"],
      name: s["name"],
      namespace: typeof ns === "string" ? ns : undefined,
    });
  });
  return out;
}

/** The binding's roleRef as `{ kind, name }`, or undefined when malformed. */
export function roleRefOf(resource: Resource): { kind: string; name: string } | undefined {
  const ref = resource.object["roleRef"];
  if (!isRecord(ref) || typeof ref["kind"] !== "string" || typeof ref["name"] !== "string") return undefined;
  return { kind: ref["kind"], name: ref["name"] };
}

/** "ServiceAccount `ns/name`", "User `alice`" for the report messages. */
export function describeSubject(s: SubjectView): string {
  return s.kind === "ServiceAccount" && s.namespace !== undefined
    ? `ServiceAccount \`${s.namespace}/${s.name}\``
    : `${s.kind} \`${s.name}\``;
}
