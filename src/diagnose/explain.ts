// `diagnose --explain`: the prompt for one batched LLM call, built only from allow-listed fields
// with every name, namespace, image, IP and node name replaced by a pseudonym that is stable within
// the run (also inside event and status messages), and the validation of the answer, which falls
// back to the template texts. Pure: no I/O; the call itself lives in src/inputs/cluster-explain.ts.
import type { KObject } from "../core/types.js";
import { arr, metaOf, rec, recs, refText, str } from "./graph.js";
import type { DiagnoseFinding, ObjRef } from "./types.js";

export const PROMPT_VERSION = "kubeward-diagnose-explain/1";

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** Replaces identifying values by pseudonyms (`namespace-1`, `pod-2`, `image-1`, `ip-3`, …). */
export class Masker {
  private readonly forward = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private pattern: RegExp | undefined;

  /** Register a value to hide; the same value always gets the same pseudonym. */
  add(value: string | undefined, category: string): void {
    if (value === undefined || value.length < 2 || this.forward.has(value)) return;
    const n = (this.counters.get(category) ?? 0) + 1;
    this.counters.set(category, n);
    this.forward.set(value, `${category}-${n}`);
    this.pattern = undefined;
  }

  /** Every value registered so far (for tests and for `--show-prompt` notes). */
  values(): string[] {
    return [...this.forward.keys()];
  }

  mask(text: string): string {
    if (this.pattern === undefined && this.forward.size > 0) {
      // Longest first, so a pod name is replaced whole before the Deployment name inside it.
      const alternatives = [...this.forward.keys()]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
      // A registered name followed by generated suffixes (`batch-5f6d7-k2x9z`, `batch-5f6d7-`) is
      // a child object's name: masked whole, under a pseudonym of its own.
      this.pattern = new RegExp(
        `(?<![A-Za-z0-9-])(?:${alternatives.join("|")})(?:-[a-z0-9]{1,16})*-?(?![A-Za-z0-9-])`,
        "g",
      );
    }
    const pattern = this.pattern;
    let out =
      pattern !== undefined
        ? text.replace(pattern, (m) => this.forward.get(m) ?? this.pseudonym(m, "name"))
        : text;
    out = out.replace(UUID, (m) => this.pseudonym(m, "uid"));
    out = out.replace(IPV4, (m) => this.pseudonym(m, "ip"));
    out = out.replace(IPV6, (m) => this.pseudonym(m, "ip"));
    return out;
  }

  /** Put the real values back into an answer (for the user's eyes only, never sent). */
  unmask(text: string): string {
    const back = new Map([...this.forward].map(([k, v]) => [v, k]));
    return text.replace(/\b[a-z]+-\d+\b/g, (m) => back.get(m) ?? m);
  }

  private pseudonym(value: string, category: string): string {
    this.add(value, category);
    return this.forward.get(value) ?? category;
  }
}

/** Register every identifying value of the input: names, namespaces, node names, images, IPs. */
export function maskerFor(objects: readonly KObject[], findings: readonly DiagnoseFinding[]): Masker {
  const m = new Masker();
  const refs: ObjRef[] = findings.flatMap((f) => [
    f.object,
    ...f.affected,
    ...f.chain.flatMap((c) => (c.object !== undefined ? [c.object] : [])),
    ...f.evidence.map((e) => e.object),
  ]);
  for (const o of objects) {
    const meta = metaOf(o);
    const kind = (str(o["kind"]) ?? "object").toLowerCase();
    m.add(str(meta["namespace"]), "namespace");
    m.add(str(meta["name"]), kind === "node" ? "node" : "name");
    const spec = rec(o["spec"]);
    m.add(str(spec["nodeName"]), "node");
    const podSpecs = [
      spec,
      rec(rec(spec["template"])["spec"]),
      rec(rec(rec(rec(spec["jobTemplate"])["spec"])["template"])["spec"]),
    ];
    for (const ps of podSpecs)
      for (const key of ["containers", "initContainers", "ephemeralContainers"])
        for (const c of recs(ps[key])) {
          m.add(str(c["image"]), "image");
          m.add(str(c["name"]), "container");
        }
    const status = rec(o["status"]);
    for (const key of ["containerStatuses", "initContainerStatuses"])
      for (const c of recs(status[key])) m.add(str(c["image"]), "image");
    m.add(str(status["podIP"]), "ip");
    m.add(str(status["hostIP"]), "ip");
    for (const a of recs(status["addresses"]))
      m.add(str(a["address"]), a["type"] === "Hostname" ? "node" : "ip");
    for (const v of arr(spec["externalIPs"])) m.add(str(v), "ip");
    m.add(str(spec["clusterIP"]), "ip");
    for (const r of recs(spec["rules"])) m.add(str(r["host"]), "host");
  }
  for (const r of refs) {
    m.add(r.namespace, "namespace");
    m.add(r.name, r.kind === "Node" ? "node" : "name");
  }
  return m;
}

/** What is sent for one finding: allow-listed fields only, masked. */
export interface PromptFinding {
  index: number;
  check: string;
  severity: string;
  object: string;
  problem: string;
  chain: string[];
  affected: string[];
  evidence: string[];
  templateExplanation: string;
  templateRemediation: string;
}

export interface Prompt {
  version: string;
  system: string;
  user: string;
  findings: PromptFinding[];
  /** JSON schema of the expected answer. */
  schema: Record<string, unknown>;
}

export const ANSWER_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["explanations"],
  properties: {
    explanations: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["index", "explanation", "remediation"],
        properties: {
          index: { type: "integer", minimum: 0 },
          explanation: { type: "string", minLength: 1, maxLength: 2000 },
          remediation: { type: "string", minLength: 1, maxLength: 2000 },
        },
      },
    },
  },
} as const;

const SYSTEM = `You explain Kubernetes problems to the engineer on call. You receive findings from a deterministic analyzer: each has a check ID, the problem, the cause chain, evidence and a template explanation. Names are pseudonyms (namespace-1, pod names as name-3, image-2, ip-4); keep them exactly as given. For every finding, write a short plain-English explanation (what is wrong and why it matters, citing the evidence) and a concrete remediation (commands or fields to change). Do not invent facts that are not in the evidence. Answer only with JSON matching the schema: {"explanations":[{"index":N,"explanation":"...","remediation":"..."}]}.`;

export function buildPrompt(findings: readonly DiagnoseFinding[], masker: Masker): Prompt {
  const mref = (r: ObjRef): string => masker.mask(refText(r));
  const items: PromptFinding[] = findings.map((f, index) => ({
    index,
    check: f.id,
    severity: f.severity,
    object: mref(f.object),
    problem: masker.mask(f.message),
    chain: f.chain.map((c) => masker.mask(c.text)),
    affected: f.affected.map(mref),
    evidence: f.evidence.map((e) =>
      "field" in e
        ? `${mref(e.object)} ${e.field} = ${masker.mask(e.value)}`
        : `${mref(e.object)} ${e.event.type} event ${e.event.reason} (x${e.event.count}): ${masker.mask(e.event.message)}`,
    ),
    templateExplanation: masker.mask(f.explanation),
    templateRemediation: masker.mask(f.remediation),
  }));
  return {
    version: PROMPT_VERSION,
    system: SYSTEM,
    user: JSON.stringify({ findings: items }),
    findings: items,
    schema: ANSWER_SCHEMA,
  };
}

/**
 * Validate the model's answer against the schema by hand (no dependency at run time); returns the
 * texts by finding index, unmasked. Anything invalid is dropped, so those findings keep the
 * template texts.
 */
export function parseAnswer(
  text: string,
  count: number,
  masker: Masker,
): { explanations: Map<number, { explanation: string; remediation: string }>; errors: string[] } {
  const explanations = new Map<number, { explanation: string; remediation: string }>();
  const errors: string[] = [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { explanations, errors: ["the answer is not JSON"] };
  }
  const list = rec(body)["explanations"];
  if (!Array.isArray(list)) return { explanations, errors: ['the answer has no "explanations" array'] };
  for (const item of list) {
    const r = rec(item);
    const index = r["index"];
    const explanation = r["explanation"];
    const remediation = r["remediation"];
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
      errors.push(`an entry has an invalid index ${JSON.stringify(index)}`);
      continue;
    }
    if (
      typeof explanation !== "string" ||
      typeof remediation !== "string" ||
      explanation.trim() === "" ||
      remediation.trim() === "" ||
      explanation.length > 2000 ||
      remediation.length > 2000
    ) {
      errors.push(`entry ${index} lacks a valid explanation or remediation`);
      continue;
    }
    if (!explanations.has(index))
      explanations.set(index, {
        explanation: masker.unmask(explanation.trim()),
        remediation: masker.unmask(remediation.trim()),
      });
  }
  if (explanations.size < count)
    errors.push(`${count - explanations.size} of ${count} findings got no valid answer`);
  return { explanations, errors };
}
