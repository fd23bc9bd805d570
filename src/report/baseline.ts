// `--format baseline`: the findings as a baseline file (what `kubeward baseline create` writes).
import { createBaseline } from "../core/baseline.js";
import type { Formatter } from "./types.js";

export const formatBaseline: Formatter = (result) =>
  JSON.stringify(createBaseline(result.findings), null, 2) + "\n";
