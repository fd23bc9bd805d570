import { defineRule } from "../../core/rule.js";
import { DEFAULT_KUBE_VERSION, kubeMinor } from "../../core/kube-version.js";
import { K8S_SCHEMA } from "../lib/k8s-schema.generated.js";
import { K8S_VERSIONS } from "../lib/k8s-schema-versions.generated.js";
import { requiresSelector } from "../lib/selectors.js";
import {
  BuiltinSchemas,
  schemaIndex,
  validateNode,
  type SchemaNode,
  type SchemaProblem,
} from "../lib/api-schema.js";

/** The built-in schemas of one Kubernetes release (made on first use; scans of one release share them). */
const releases = new Map<number, BuiltinSchemas>();
function builtinFor(minor: number): BuiltinSchemas {
  let b = releases.get(minor);
  if (b === undefined) {
    b = new BuiltinSchemas(K8S_SCHEMA, { minor, versions: K8S_VERSIONS });
    releases.set(minor, b);
  }
  return b;
}

/**
 * The problems of an object against a schema node, by node and object. validateNode is a pure
 * function of both, and neither changes once made (objects are never changed in place; nodes are
 * the release's, shared by every run, or a CRD's, made anew per run): the fixer's re-scans check
 * mostly the same objects again.
 */
const checked = new WeakMap<SchemaNode, WeakMap<object, readonly SchemaProblem[]>>();
function problemsOf(object: object, node: SchemaNode): readonly SchemaProblem[] {
  let byObject = checked.get(node);
  if (byObject === undefined) checked.set(node, (byObject = new WeakMap()));
  let problems = byObject.get(object);
  if (problems === undefined) {
    const out: SchemaProblem[] = [];
    validateNode(object, node, [], out);
    problems = out;
    byObject.set(object, problems);
  }
  return problems;
}

/** A missing required `spec.selector` is selector-mismatch's finding (one finding per problem). */
const isMissingSelector = (apiVersion: string, kind: string, p: SchemaProblem): boolean =>
  p.messageId === "missingField" &&
  p.path.length === 2 &&
  p.path[0] === "spec" &&
  p.path[1] === "selector" &&
  requiresSelector(apiVersion, kind);

export default defineRule({
  meta: {
    id: "schema",
    title: "Object does not match its API schema",
    category: "reliability",
    severity: "high",
    description:
      "Every object is checked against the OpenAPI schema of its kind, as kubeconform does: the Kubernetes API schema for built-in kinds, the served version's openAPIV3Schema for custom resources whose CustomResourceDefinition is in the input. A misspelt or misplaced field is rejected by `kubectl apply` (strict field validation, its default since 1.27) or, with validation off, silently dropped: the setting the author meant never takes effect.",
    remediation:
      "Correct the field as the message says: fix its spelling or indentation, give it the type the schema expects, or add the required field.",
    messages: {
      unknownField: "`{{field}}` is not a field of {{type}}.{{hint}}",
      wrongType: "`{{field}}` must be {{expected}}, not {{actual}}.",
      missingField: "`{{field}}` is required in {{type}}.",
      fieldNotInRelease:
        "`{{field}}` is not a field of {{type}} in Kubernetes {{release}} (`--kube-version`): it first appears in {{since}}.",
      kindNotInRelease:
        "{{kind}} `{{apiVersion}}` is not in the Kubernetes {{release}} API (`--kube-version`): it first appears in {{since}}.",
    },
    scope: "cluster",
    fix: "none",
    concepts: ["M-SCHEMA"],
    equivalents: { "kube-linter": ["schema-validation"] },
    notes:
      "Built-in kinds are checked against the Kubernetes 1.36 API schema (the npm package kubernetes-models 5.1.0, compacted at build time). What depends on `--kube-version` (default 1.35): a field or a kind that the target release's API does not have yet is reported (`fieldNotInRelease`, `kindNotInRelease`, with the release that added it). Which release added what is read from the OpenAPI specs of every release from 1.20 to 1.36 (the model classes of @kubernetes/client-node for 1.20 to 1.22, 1.24, 1.25, 1.27 to 1.30 and 1.32 to 1.34, the output types of @pulumi/kubernetes for 1.23, 1.26, 1.31 and 1.35, read at development time by tools/gen-k8s-versions.ts, and kubernetes-models for 1.36), so targeting 1.31 reports the 1.32 field `spec.resources` of a Pod and the default 1.35 reports the 1.36 field `spec.schedulingGroup`. A field the API removed later is accepted for the releases that had it (1.35's alpha `spec.workloadRef` for 1.35). Not version-dependent: field types and required fields (1.36's for every release), and apiVersions removed before 1.20 or added in 1.36 (deprecated-api-version reports those a release no longer serves). Like kubeconform, alpha and beta fields count as in the API whether or not their feature gate is on. Number fields accept any number (the schema's integer formats are not shipped). A missing `spec.selector` of an apps/v1 (or apps/v1beta2) Deployment, StatefulSet, DaemonSet or ReplicaSet is left to selector-mismatch, so it is reported once. Custom resources without a CustomResourceDefinition in the input are not checked; schema-unchecked counts them.",
  },
  create(context) {
    return {
      end(resources) {
        const minor =
          kubeMinor(context.kubeVersion ?? DEFAULT_KUBE_VERSION) ??
          Number(DEFAULT_KUBE_VERSION.split(".")[1]);
        const builtin = builtinFor(minor);
        const lookup = schemaIndex(builtin, context.resources);
        for (const r of resources) {
          const added = builtin.kindAdded(r.ref.apiVersion, r.ref.kind);
          if (added !== undefined) {
            // The API server has no such type: its fields are not worth checking one by one.
            context.report({
              resource: r,
              path: ["apiVersion"],
              messageId: "kindNotInRelease",
              data: {
                kind: r.ref.kind,
                apiVersion: r.ref.apiVersion,
                release: `1.${String(minor)}`,
                since: added,
              },
            });
            continue;
          }
          const found = lookup(r.ref.apiVersion, r.ref.kind);
          if (!("node" in found)) continue;
          for (const p of problemsOf(r.object, found.node)) {
            if (isMissingSelector(r.ref.apiVersion, r.ref.kind, p)) continue;
            // Copies: the findings of one run own their path and data.
            context.report({ resource: r, path: [...p.path], messageId: p.messageId, data: { ...p.data } });
          }
        }
      },
    };
  },
});
