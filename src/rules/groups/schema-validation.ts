// Validation against the API schema: built-in kinds and custom resources with their CRDs.
import type { AnyRule } from "../../core/rule.js";
import schema from "../reliability/schema.js";
import schemaUnchecked from "../reliability/schema-unchecked.js";

export const schemaRules: readonly AnyRule[] = [schema, schemaUnchecked];
