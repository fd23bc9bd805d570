// `netpol matrix`: the reachability truth table. Pods of one class behave identically by
// construction; classes whose rows and columns are equal are merged into one group as well.
import type { Pod } from "./model.js";
import type { Decision, PodClass, Simulator, Traffic, Verdict } from "./simulate.js";

export interface MatrixGroup {
  id: string;
  /** A short label: the first pod and how many more. */
  label: string;
  pods: string[];
}

export interface Matrix {
  ports: Traffic[];
  groups: MatrixGroup[];
  /** cells[port][from group][to group] */
  cells: Verdict[][][];
  representative: boolean;
  pods: number;
  classes: number;
}

/** The decision between two pods of the given classes (distinct pods when the class has two or more). */
export function classDecision(sim: Simulator, from: PodClass, to: PodClass, t: Traffic): Decision {
  const src = from.pods[0] as Pod;
  const dst = from === to ? (to.pods[1] ?? src) : (to.pods[0] as Pod);
  return sim.decide(sim.podEndpoint(src), sim.podEndpoint(dst), t);
}

export function computeMatrix(sim: Simulator, ports: readonly Traffic[]): Matrix {
  const classes = sim.classes;
  const raw: Verdict[][][] = ports.map((t) =>
    classes.map((from) => classes.map((to) => classDecision(sim, from, to, t).verdict)),
  );
  // Merge classes with identical rows and columns over all ports.
  const code = (v: Verdict | undefined) => (v === "allow" ? "1" : v === "deny" ? "0" : "?");
  const sigOf = (i: number) =>
    raw.map((m) => `${(m[i] ?? []).map(code).join("")}|${m.map((row) => code(row[i])).join("")}`).join(";");
  const groupOf = new Map<string, number[]>();
  classes.forEach((_, i) => {
    const sig = sigOf(i);
    const g = groupOf.get(sig);
    if (g === undefined) groupOf.set(sig, [i]);
    else g.push(i);
  });
  const members = [...groupOf.values()];
  const groups: MatrixGroup[] = members.map((idxs, gi) => {
    const pods = idxs.flatMap((i) => classes[i]?.pods.map((p) => p.id) ?? []).sort();
    const first = pods[0] ?? "";
    return { id: `G${gi + 1}`, label: pods.length > 1 ? `${first} (+${pods.length - 1})` : first, pods };
  });
  const cells = raw.map((m) =>
    members.map((fromIdxs) => members.map((toIdxs) => m[fromIdxs[0] ?? 0]?.[toIdxs[0] ?? 0] ?? "deny")),
  );
  return {
    ports: [...ports],
    groups,
    cells,
    representative: sim.model.representative,
    pods: sim.model.pods.length,
    classes: classes.length,
  };
}

const MARK: Record<Verdict, string> = { allow: "✓", deny: "✗", ambiguous: "?" };
/** The mark of a cell; a one-pod group's diagonal (the pod to itself) is shown as "·". */
function mark(m: Matrix, pi: number, i: number, j: number): string {
  if (i === j && m.groups[i]?.pods.length === 1) return "·";
  return MARK[m.cells[pi]?.[i]?.[j] ?? "deny"];
}
const portName = (t: Traffic) => `${t.port}/${t.protocol}`;

function legend(m: Matrix): string[] {
  const lines = m.groups.map((g) => `  ${g.id}: ${g.pods.join(", ")}`);
  const note = m.representative ? ["(no Pod objects given: one representative pod per workload)"] : [];
  return [
    ...note,
    `${m.pods} pods in ${m.groups.length} groups (${m.classes} distinct label sets)`,
    ...lines,
  ];
}

export function matrixText(m: Matrix): string {
  const out = legend(m);
  m.ports.forEach((t, pi) => {
    out.push("", `Port ${portName(t)} (rows: from, columns: to; ✓ allow, ✗ deny, ? ambiguous, · itself)`);
    const w = Math.max(4, ...m.groups.map((g) => g.id.length)) + 1;
    out.push(" ".repeat(w) + m.groups.map((g) => g.id.padEnd(w)).join(""));
    m.groups.forEach((g, i) => {
      out.push(g.id.padEnd(w) + m.groups.map((_, j) => mark(m, pi, i, j).padEnd(w)).join(""));
    });
  });
  return `${out.join("\n")}\n`;
}

export function matrixMarkdown(m: Matrix): string {
  const out: string[] = [];
  if (m.representative) out.push("_No Pod objects given: one representative pod per workload._", "");
  out.push("| group | pods |", "|---|---|", ...m.groups.map((g) => `| ${g.id} | ${g.pods.join(", ")} |`));
  m.ports.forEach((t, pi) => {
    out.push("", `**${portName(t)}** (rows: from, columns: to)`, "");
    out.push(`| from \\ to | ${m.groups.map((g) => g.id).join(" | ")} |`);
    out.push(`|---|${m.groups.map(() => "---").join("|")}|`);
    m.groups.forEach((g, i) =>
      out.push(`| ${g.id} | ${m.groups.map((_, j) => mark(m, pi, i, j)).join(" | ")} |`),
    );
  });
  return `${out.join("\n")}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every cell, in order: port, from group, to group. */
function cellsOf(m: Matrix): { t: Traffic; a: MatrixGroup; b: MatrixGroup; v: Verdict }[] {
  const out: { t: Traffic; a: MatrixGroup; b: MatrixGroup; v: Verdict }[] = [];
  m.ports.forEach((t, pi) => {
    m.groups.forEach((a, i) => {
      m.groups.forEach((b, j) => {
        // A one-pod group's diagonal is the pod talking to itself: always allowed, not worth listing.
        if (i !== j || a.pods.length > 1) out.push({ t, a, b, v: m.cells[pi]?.[i]?.[j] ?? "deny" });
      });
    });
  });
  return out;
}

/** One row per (port, from group, to group). */
export function matrixCsv(m: Matrix): string {
  const out = ["port,protocol,from,to,verdict,from_pods,to_pods"];
  for (const { t, a, b, v } of cellsOf(m))
    out.push(
      [String(t.port), t.protocol, a.id, b.id, v, a.pods.join(" "), b.pods.join(" ")].map(csvCell).join(","),
    );
  return `${out.join("\n")}\n`;
}

export function matrixJson(m: Matrix): string {
  return `${JSON.stringify(
    {
      representative: m.representative,
      pods: m.pods,
      classes: m.classes,
      groups: m.groups,
      ports: m.ports.map((t) => ({
        port: t.port,
        protocol: t.protocol,
        allowed: cellsOf(m)
          .filter((c) => c.t === t && c.v !== "deny")
          .map((c) => ({ from: c.a.id, to: c.b.id, verdict: c.v })),
      })),
    },
    null,
    2,
  )}\n`;
}

/** Allowed edges only (a full graph would be unreadable). */
export function matrixDot(m: Matrix): string {
  const out = ["digraph netpol {", "  node [shape=box];"];
  for (const g of m.groups) out.push(`  ${g.id} [label=${JSON.stringify(`${g.id}\n${g.label}`)}];`);
  for (const { t, a, b, v } of cellsOf(m))
    if (v !== "deny")
      out.push(`  ${a.id} -> ${b.id} [label="${portName(t)}"${v === "ambiguous" ? ", style=dashed" : ""}];`);
  out.push("}");
  return `${out.join("\n")}\n`;
}

export function matrixMermaid(m: Matrix): string {
  const out = ["flowchart LR"];
  for (const g of m.groups) out.push(`  ${g.id}["${g.label.replace(/"/g, "'")}"]`);
  for (const { t, a, b, v } of cellsOf(m))
    if (v !== "deny") out.push(`  ${a.id} ${v === "ambiguous" ? "-.->" : "-->"}|${portName(t)}| ${b.id}`);
  return `${out.join("\n")}\n`;
}

export const MATRIX_FORMATS: Record<string, (m: Matrix) => string> = {
  text: matrixText,
  json: matrixJson,
  markdown: matrixMarkdown,
  csv: matrixCsv,
  dot: matrixDot,
  mermaid: matrixMermaid,
};
