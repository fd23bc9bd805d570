import { defineRule } from "../../core/rule.js";
import { K8S_SCHEMA } from "../lib/k8s-schema.generated.js";
import { requiresSelector } from "../lib/selectors.js";
import { BuiltinSchemas, schemaIndex, validateNode, type SchemaProblem } from "../lib/api-schema.js";

const builtin = new BuiltinSchemas(K8S_SCHEMA);

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
    },
    scope: "cluster",
    fix: "none",
    concepts: ["M-SCHEMA"],
    equivalents: { "kube-linter": ["schema-validation"] },
    notes:
      "Built-in kinds are checked against the Kubernetes 1.36 API schema (the npm package kubernetes-models 5.1.0, compacted at build time) whatever `--kube-version` says: a field added after the release you target is not reported (deprecated-api-version reports apiVersions that release no longer serves). Number fields accept any number (the schema's integer formats are not shipped). A missing `spec.selector` of an apps/v1 (or apps/v1beta2) Deployment, StatefulSet, DaemonSet or ReplicaSet is left to selector-mismatch, so it is reported once. Custom resources without a CustomResourceDefinition in the input are not checked; schema-unchecked counts them.",
  },
  create(context) {
    return {
      end(resources) {
        const lookup = schemaIndex(builtin, context.resources);
        const problems: SchemaProblem[] = [];
        for (const r of resources) {
          const found = lookup(r.ref.apiVersion, r.ref.kind);
          if (!("node" in found)) continue;
          problems.length = 0;
          validateNode(r.object, found.node, [], problems);
          for (const p of problems) {
            if (isMissingSelector(r.ref.apiVersion, r.ref.kind, p)) continue;
            context.report({ resource: r, path: p.path, messageId: p.messageId, data: p.data });
          }
        }
      },
    };
  },
});
