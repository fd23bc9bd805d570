// Pod and container security rules (Pod Security Standards and beyond).
import type { AnyRule } from "../../core/rule.js";
import privilegedContainer from "../security/privileged-container.js";

export const podSecurityRules: readonly AnyRule[] = [privilegedContainer];
