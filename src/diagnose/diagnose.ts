// Runs every analyzer over the object graph and merges their problems into root causes: problems
// with one key become one finding listing every affected object, and symptoms (a Deployment short
// of replicas, a Service without endpoints, an Ingress in front of it) fold into the cause they
// name, extending its chain instead of being reported again. Pure: no I/O.
import { SEVERITIES, type Severity } from "../core/types.js";
import { Context } from "./analyzer.js";
import { ANALYZERS } from "./analyzers/index.js";
import { Graph, refKey, refText } from "./graph.js";
import type { ChainStep, DiagnoseFinding, DiagnoseInput, DiagnoseResult, ObjRef, Problem } from "./types.js";

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

type Target = NonNullable<DiagnoseOptions["target"]>;

export interface DiagnoseOptions {
  /** Only findings about this object (as subject, affected object or chain link). */
  target?: { kind: string; name: string; namespace?: string };
  /** Only findings that affect an object of this namespace (cluster-scoped objects stay as context). */
  namespace?: string;
  /** Kinds a live lister read (possibly empty), so absence of an object of them is meaningful. */
  listedKinds?: readonly string[];
}

export function buildGraph(input: DiagnoseInput, listedKinds: readonly string[] = []): Graph {
  const g = new Graph(input.objects, input.unreadable ?? []);
  for (const k of listedKinds) g.listedKinds.add(k);
  return g;
}

export function diagnose(input: DiagnoseInput, options: DiagnoseOptions = {}): DiagnoseResult {
  const graph = buildGraph(input, options.listedKinds);
  graph.scopeNamespace = options.namespace;
  const ctx = new Context(graph);
  const problems = ANALYZERS.flatMap((a) => a.analyze(ctx));
  let findings = merge(problems);
  const target = options.target;
  if (target !== undefined) findings = findings.filter((f) => concerns(f, target));
  const ns = options.namespace;
  if (ns !== undefined) findings = findings.filter((f) => f.affected.some((a) => a.namespace === ns));
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  return {
    findings,
    unreadable: [...graph.unreadable],
    summary: {
      objects: graph.objects.length,
      events: graph.events.length,
      findings: findings.length,
      bySeverity,
    },
  };
}

interface Group {
  root: Problem;
  severity: Severity;
  affected: Map<string, ObjRef>;
  /** Longest path of a folded symptom down to the root subject. */
  via: ChainStep[];
  impact: string[];
}

function merge(problems: readonly Problem[]): DiagnoseFinding[] {
  const groups = new Map<string, Group>();
  const symptoms: Problem[] = [];
  for (const p of problems) {
    const existing = groups.get(p.key);
    if (existing !== undefined) {
      existing.affected.set(refKey(p.subject), p.subject);
      if (rank(p.severity) > rank(existing.severity)) existing.severity = p.severity;
      continue;
    }
    if (p.causes !== undefined) {
      symptoms.push(p);
      continue;
    }
    groups.set(p.key, {
      root: p,
      severity: p.severity,
      affected: new Map([[refKey(p.subject), p.subject]]),
      via: [],
      impact: [],
    });
  }
  // Symptoms whose causes are symptoms themselves resolve through the groups created so far; a
  // symptom with no known cause stands as its own finding.
  for (const s of symptoms) {
    const targets = (s.causes?.keys ?? [])
      .map((k) => groups.get(k))
      .filter((g): g is Group => g !== undefined);
    if (targets.length === 0) {
      const own: Problem = { ...s };
      delete own.causes;
      if (!groups.has(s.key))
        groups.set(s.key, {
          root: own,
          severity: s.severity,
          affected: new Map([[refKey(s.subject), s.subject]]),
          via: [],
          impact: [],
        });
      continue;
    }
    for (const g of targets) {
      g.affected.set(refKey(s.subject), s.subject);
      g.impact.push(`${refText(s.subject)}: ${s.message}`);
      if (rank(s.severity) > rank(g.severity)) g.severity = s.severity;
      const via = s.causes?.via ?? [];
      if (via.length > g.via.length) g.via = via;
    }
  }
  const out: DiagnoseFinding[] = [];
  for (const g of groups.values()) {
    const root = g.root;
    const affected = [
      root.subject,
      ...[...g.affected.values()].filter((r) => refKey(r) !== refKey(root.subject)).sort(byRef),
    ];
    const chain: ChainStep[] = [...g.via];
    if (!chain.some((c) => c.object !== undefined && refKey(c.object) === refKey(root.subject)))
      chain.push({ object: root.subject, text: `${refText(root.subject)}: ${root.message}` });
    chain.push(
      ...(root.steps ?? []).filter(
        (s) => s.object === undefined || refKey(s.object) !== refKey(root.subject) || !chain.includes(s),
      ),
    );
    out.push({
      id: root.id,
      severity: g.severity,
      object: root.subject,
      message: root.message,
      explanation: root.explanation,
      remediation: root.remediation,
      evidence: root.evidence,
      chain: dedupeSteps(chain),
      affected,
      impact: [...new Set(g.impact)].sort(),
    });
  }
  return out.sort(
    (a, b) =>
      rank(b.severity) - rank(a.severity) ||
      byRef(a.object, b.object) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

function dedupeSteps(steps: ChainStep[]): ChainStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    if (seen.has(s.text)) return false;
    seen.add(s.text);
    return true;
  });
}

function byRef(a: ObjRef, b: ObjRef): number {
  const ka = `${a.namespace ?? ""}\u0000${a.kind}\u0000${a.name}`;
  const kb = `${b.namespace ?? ""}\u0000${b.kind}\u0000${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function concerns(f: DiagnoseFinding, t: Target): boolean {
  const match = (r: ObjRef | undefined): boolean =>
    r !== undefined &&
    r.kind.toLowerCase() === t.kind.toLowerCase() &&
    r.name === t.name &&
    (t.namespace === undefined || r.namespace === undefined || r.namespace === t.namespace);
  return match(f.object) || f.affected.some(match) || f.chain.some((c) => match(c.object));
}
