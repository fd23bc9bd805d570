import type { Formatter } from "./types.js";

// Placeholder until the sarif formatter lands; it prints JSON lines so nothing is lost.
export const formatSarif: Formatter = (result) =>
  result.findings.map((f) => JSON.stringify(f)).join("\n") + "\n";
