// Rule metadata as JSON or Markdown (for `kubeward rules` and the docs index).
import type { AnyRule } from "../core/rule.js";
import { PEER_TOOLS } from "../core/types.js";

export function ruleMetaJson(r: AnyRule): Record<string, unknown> {
  const m = r.meta;
  return {
    id: m.id,
    ...(m.aliases ? { aliases: m.aliases } : {}),
    title: m.title,
    category: m.category,
    severity: m.severity,
    enabledByDefault: m.enabledByDefault ?? true,
    description: m.description,
    remediation: m.remediation,
    fix: m.fix,
    kinds: m.kinds ?? null,
    scope: m.scope ?? "object",
    standards: m.standards ?? {},
    concepts: m.concepts ?? [],
    equivalents: m.equivalents,
    messages: m.messages,
    docs: `docs/rules/${m.id}.md`,
  };
}

export function rulesJson(rules: readonly AnyRule[]): string {
  return JSON.stringify({ schemaVersion: 1, rules: rules.map(ruleMetaJson) }, null, 2) + "\n";
}

export function equivalentsText(r: AnyRule): string {
  const parts = PEER_TOOLS.flatMap((t) => {
    const ids = r.meta.equivalents[t];
    return ids && ids.length > 0 ? [`${t}: ${ids.map((i) => "`" + i + "`").join(", ")}`] : [];
  });
  return parts.join("; ");
}

export function rulesMarkdown(rules: readonly AnyRule[]): string {
  const lines = [
    "| ID | Title | Category | Severity | Default | Equivalents |",
    "|---|---|---|---|---|---|",
    ...rules.map(
      (r) =>
        `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.title} | ${r.meta.category} | ${r.meta.severity} | ${r.meta.enabledByDefault === false ? "off" : "on"} | ${equivalentsText(r) || "—"} |`,
    ),
  ];
  return lines.join("\n") + "\n";
}
