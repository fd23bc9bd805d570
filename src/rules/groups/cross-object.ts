// Rules that need more than one object (selectors, references, coverage).
import type { AnyRule } from "../../core/rule.js";

export const crossObjectRules: readonly AnyRule[] = [];
