import { defineRule } from "../../core/rule.js";
import type { Resource } from "../../core/types.js";
import { K8S_SCHEMA } from "../lib/k8s-schema.generated.js";
import { BuiltinSchemas, schemaIndex } from "../lib/api-schema.js";

const builtin = new BuiltinSchemas(K8S_SCHEMA);

export default defineRule({
  meta: {
    id: "schema-unchecked",
    title: "Objects not checked against a schema",
    category: "reliability",
    severity: "info",
    description:
      "The `schema` rule checks custom resources only when their CustomResourceDefinition is in the input (kubeward never fetches schemas). This notice counts, per apiVersion and kind, the objects it had to skip, so that a clean scan is not mistaken for a validated one.",
    remediation:
      "Scan the CustomResourceDefinitions together with their custom resources (for example the operator's chart or CRD manifests), or accept that these objects are not schema-checked.",
    messages: {
      noCrd:
        "{{count}} object(s) of {{apiVersion}} {{kind}} not schema-checked: no CustomResourceDefinition for it in the input.",
      noSchema:
        "{{count}} object(s) of {{apiVersion}} {{kind}} not schema-checked: its CustomResourceDefinition gives no openAPIV3Schema for this version.",
      builtinUnknown:
        "{{count}} object(s) of {{apiVersion}} {{kind}} not schema-checked: kubeward ships no schema for this apiVersion.",
    },
    scope: "cluster",
    fix: "none",
    concepts: [],
    equivalents: {},
    notes:
      "Turn it off (`schema-unchecked: off`) when you knowingly scan custom resources without their CRDs.",
  },
  create(context) {
    return {
      end(resources) {
        const lookup = schemaIndex(builtin, context.resources);
        const skipped = new Map<
          string,
          { first: Resource; count: number; reason: "noCrd" | "noSchema" | "builtinUnknown" }
        >();
        for (const r of resources) {
          const found = lookup(r.ref.apiVersion, r.ref.kind);
          if ("node" in found) continue;
          const key = `${r.ref.apiVersion} ${r.ref.kind}`;
          const entry = skipped.get(key);
          if (entry === undefined) skipped.set(key, { first: r, count: 1, reason: found.skipped });
          else entry.count++;
        }
        for (const { first, count, reason } of skipped.values()) {
          context.report({
            resource: first,
            path: ["kind"],
            messageId: reason,
            data: { count, apiVersion: first.ref.apiVersion, kind: first.ref.kind },
          });
        }
      },
    };
  },
});
