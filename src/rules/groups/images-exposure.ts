// Image, API version, legacy component, labelling and exposure (Service/Ingress) rules.
import type { AnyRule } from "../../core/rule.js";

export const imageAndExposureRules: readonly AnyRule[] = [];
