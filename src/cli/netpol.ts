// `kubeward netpol`: NetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy
// simulation. Reads objects through loadResources; everything else lives in the pure src/netpol/.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYamlValue } from "yaml";
import { loadResources } from "../api.js";
import { UsageError } from "../core/errors.js";
import type { Finding } from "../core/types.js";
import { isRecord } from "../core/workloads.js";
import { explainPod, formatExplanations } from "../netpol/explain.js";
import { lintNetpol } from "../netpol/lint.js";
import { computeMatrix, MATRIX_FORMATS } from "../netpol/matrix.js";
import { buildModel, type Model } from "../netpol/model.js";
import { diffReachability, portsInPlay, whoCanReach } from "../netpol/reach.js";
import {
  endpointName,
  Simulator,
  type Decision,
  type Endpoint,
  type Outcome,
  type Traffic,
} from "../netpol/simulate.js";
import { parseArgs, usage } from "./args.js";
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type Io } from "./io.js";

export const NETPOL_HELP = `Usage: kubeward netpol COMMAND [flags] [PATH...]

Simulates NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy
over the pods, namespaces and nodes in PATH (files, directories, - for stdin; default .). Without
Pod objects, each workload stands for one representative pod named after it.

Commands:
  can --from NS/POD|IP --to NS/POD|IP --port N|NAME [--protocol TCP|UDP|SCTP] PATH...
  can --queries FILE PATH...         many queries (YAML/JSON list of {from, to, port, protocol})
  matrix PATH... [--port P/PROTO ...] [--format text|json|markdown|csv|dot|mermaid]
  explain PATH... [--pod NS/POD]
  who-can-reach NS/POD --port P/PROTO PATH...
  diff OLD NEW [--port P/PROTO ...]  connections that change between two sets of objects
  lint PATH...                       policy mistakes, as findings

Flags:
      --format FORMAT   text or json (matrix: also markdown, csv, dot, mermaid)
  -h, --help            show this help
  (each command's own flags: kubeward netpol COMMAND --help, or kubeward help netpol COMMAND)

Exit codes: can: 0 allowed, 1 denied or ambiguous (equal-priority admin policies disagree),
2 usage or input error. lint: 1 when there are findings. diff: 1 when connections change.

Examples:
  kubeward netpol can --from shop/web --to shop/db --port 5432 k8s/
  kubeward netpol matrix k8s/ --format mermaid
  kubeward netpol who-can-reach shop/db --port 5432/TCP k8s/
  kubeward netpol diff old-k8s/ k8s/
`;

const SUB_FLAGS_FOOTER = `  -h, --help                show this help
`;

/** Each sub-command's own help: `kubeward netpol can --help`, `kubeward help netpol can`. */
export const NETPOL_SUB_HELP: Readonly<Record<string, string>> = {
  can: `Usage: kubeward netpol can --from NS/POD|IP --to NS/POD|IP --port N|NAME [flags] [PATH...]
       kubeward netpol can --queries FILE [PATH...]

Says whether the policies in PATH allow one connection, and why.

Flags:
      --from NS/POD|IP      the client: a pod (or workload) as namespace/name, or an IP address
      --to NS/POD|IP        the server, the same way
      --port N|NAME         the destination port, by number or by the server's container port name
      --protocol PROTO      TCP (default), UDP or SCTP
      --queries FILE        many queries at once: a YAML/JSON list of {from, to, port, protocol}
      --format FORMAT       text or json (default text)
${SUB_FLAGS_FOOTER}
Exit codes: 0 allowed, 1 denied or ambiguous, 2 usage or input error.

Examples:
  kubeward netpol can --from shop/web --to shop/db --port 5432 k8s/
  kubeward netpol can --from 10.0.0.7 --to shop/web --port http k8s/
  kubeward netpol can --queries checks.yaml k8s/ --format json
`,
  matrix: `Usage: kubeward netpol matrix [PATH...] [--port P/PROTO ...] [--format FORMAT]

Prints which pods can reach which, for the ports in play (or those named with --port).

Flags:
      --port P/PROTO        a port to check, e.g. 5432/TCP (repeatable; default: the ports in play)
      --format FORMAT       text, json, markdown, csv, dot or mermaid (default text)
${SUB_FLAGS_FOOTER}
Examples:
  kubeward netpol matrix k8s/
  kubeward netpol matrix k8s/ --port 5432/TCP --format mermaid
`,
  explain: `Usage: kubeward netpol explain [PATH...] [--pod NS/POD ...]

Explains, for each pod and direction (ingress, egress), the policy rules that apply to it, tier by tier.

Flags:
      --pod NS/POD          only this pod (repeatable)
      --format FORMAT       text or json (default text)
${SUB_FLAGS_FOOTER}
Examples:
  kubeward netpol explain k8s/
  kubeward netpol explain k8s/ --pod shop/db
`,
  "who-can-reach": `Usage: kubeward netpol who-can-reach NS/POD --port P/PROTO [PATH...]

Lists the pods that can open a connection to one pod's port.

Flags:
      --port P/PROTO        the port, e.g. 5432 or 5432/TCP
      --protocol PROTO      TCP (default), UDP or SCTP
      --format FORMAT       text or json (default text)
${SUB_FLAGS_FOOTER}
Examples:
  kubeward netpol who-can-reach shop/db --port 5432/TCP k8s/
`,
  diff: `Usage: kubeward netpol diff OLD NEW [--port P/PROTO ...]

Lists the connections that a change of policies opens or closes: OLD and NEW are two sets of objects
(files or directories, e.g. two checkouts).

Flags:
      --port P/PROTO        a port to compare (repeatable; default: the ports in play)
      --format FORMAT       text or json (default text)
${SUB_FLAGS_FOOTER}
Exit codes: 0 nothing changes, 1 connections change, 2 usage or input error.

Examples:
  kubeward netpol diff old-k8s/ k8s/
  kubeward netpol diff main/k8s/ pr/k8s/ --port 5432/TCP --format json
`,
  lint: `Usage: kubeward netpol lint [PATH...]

Reports policy mistakes as findings: policies that select nothing, rules that are shadowed or can
never match, admin policies whose equal priorities overlap, egress policies that block DNS.

Flags:
      --format FORMAT       text or json (default text)
${SUB_FLAGS_FOOTER}
Exit codes: 0 no findings, 1 findings, 2 usage or input error.

Examples:
  kubeward netpol lint k8s/
`,
};

const COMMON = {
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type OptionSpec = Readonly<
  Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>
>;

/** Parse a sub-command's flags (plus --format and --help); undefined when help was printed. */
function parseSub<const O extends OptionSpec>(sub: string, argv: readonly string[], io: Io, options: O) {
  const all: typeof COMMON & O = { ...COMMON, ...options };
  const parsed = usage(() =>
    parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: all }),
  );
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout(NETPOL_SUB_HELP[sub] ?? NETPOL_HELP);
    return undefined;
  }
  return parsed;
}

export function netpolCommand(argv: readonly string[], io: Io): number {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "can":
      return canCommand(rest, io);
    case "matrix":
      return matrixCommand(rest, io);
    case "explain":
      return explainCommand(rest, io);
    case "who-can-reach":
      return whoCanReachCommand(rest, io);
    case "diff":
      return diffCommand(rest, io);
    case "lint":
      return lintCommand(rest, io);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.stdout(NETPOL_HELP);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown netpol command "${sub}"\n\n${NETPOL_HELP}`);
  }
}

/** Read the objects and build the model; input errors (unparsable files) are fatal for netpol. */
function load(paths: readonly string[], io: Io, quiet = false): Model {
  const loaded = loadResources({ paths: paths.length > 0 ? paths : ["."], cwd: io.cwd, stdin: io.readStdin });
  const errors = loaded.findings.filter((f) => f.severity !== "info");
  for (const f of errors) io.stderr(`kubeward: ${f.file}:${f.line}:${f.column}: ${f.message}\n`);
  if (errors.length > 0) throw new UsageError("the input has errors; the simulation would be incomplete");
  const model = buildModel(loaded.resources);
  if (!quiet)
    for (const w of model.warnings) {
      const where = w.resource
        ? `${w.resource.kind} ${w.resource.namespace ? `${w.resource.namespace}/` : ""}${w.resource.name}: `
        : "";
      io.stderr(`kubeward: warning: ${where}${w.message}\n`);
    }
  return model;
}

function format(value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? "text";
  if (!allowed.includes(f)) throw new UsageError(`unknown format "${f}" (expected ${allowed.join(", ")})`);
  return f;
}

/** `80`, `80/TCP`, `dns/UDP`, `http` */
function splitPort(spec: string): { port: string; protocol: string | undefined } {
  const slash = spec.indexOf("/");
  return slash === -1
    ? { port: spec, protocol: undefined }
    : { port: spec.slice(0, slash), protocol: spec.slice(slash + 1) };
}

function numericPorts(specs: readonly string[] | undefined): Traffic[] {
  return (specs ?? []).map((s) => {
    const { port, protocol } = splitPort(s);
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535)
      throw new UsageError(`--port ${s}: expected a port number 1-65535, e.g. 443/TCP`);
    const p = (protocol ?? "TCP").toUpperCase();
    if (p !== "TCP" && p !== "UDP" && p !== "SCTP")
      throw new UsageError(`--port ${s}: unknown protocol (expected TCP, UDP or SCTP)`);
    return { port: n, protocol: p };
  });
}

function representativeNote(model: Model): string {
  return model.representative
    ? "note: no Pod objects given; each workload stands for one representative pod\n"
    : "";
}

// ---------- can ----------

interface Query {
  from: string;
  to: string;
  port: string;
  protocol: string | undefined;
}

function outcomeText(o: Outcome): string {
  const head = `${o.tier} ${o.action}`;
  return `${head}: ${o.reason}`;
}

function decisionText(q: Query, src: Endpoint, dst: Endpoint, t: Traffic, d: Decision): string {
  return [
    `${d.verdict.toUpperCase()}  ${endpointName(src)} -> ${endpointName(dst)}  ${q.port === String(t.port) ? "" : `${q.port}=`}${t.port}/${t.protocol}`,
    `  egress  (${endpointName(src)}): ${outcomeText(d.egress)}`,
    `  ingress (${endpointName(dst)}): ${outcomeText(d.ingress)}`,
    "",
  ].join("\n");
}

function canCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("can", argv, io, {
    from: { type: "string" },
    to: { type: "string" },
    port: { type: "string" },
    protocol: { type: "string" },
    queries: { type: "string" },
  });
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const fmt = format(values.format, ["text", "json"]);
  let queries: Query[];
  const batch = values.queries !== undefined;
  if (batch) {
    if (values.from !== undefined || values.to !== undefined)
      throw new UsageError("use either --queries or --from/--to");
    queries = readQueries(values.queries ?? "", io);
  } else {
    if (values.from === undefined || values.to === undefined || values.port === undefined)
      throw new UsageError("netpol can needs --from, --to and --port (or --queries FILE)");
    queries = [{ from: values.from, to: values.to, port: values.port, protocol: values.protocol }];
  }
  const model = load(positionals, io);
  const sim = new Simulator(model);
  const results: unknown[] = [];
  let text = representativeNote(model);
  let exit = EXIT_OK;
  for (const q of queries) {
    try {
      const src = sim.resolve(q.from);
      const dst = sim.resolve(q.to);
      const t = sim.traffic(q.port, q.protocol, dst);
      const d = sim.decide(src, dst, t);
      if (d.verdict !== "allow" && exit === EXIT_OK) exit = EXIT_FINDINGS;
      const body = { verdict: d.verdict, egress: d.egress, ingress: d.ingress };
      results.push(
        batch ? { query: { ...q, port: q.port, protocol: q.protocol ?? t.protocol }, ...body } : body,
      );
      text += decisionText(q, src, dst, t, d);
    } catch (err) {
      if (!(err instanceof UsageError) || !batch) throw err;
      exit = EXIT_ERROR;
      results.push({ query: q, error: err.message });
      text += `ERROR  ${q.from} -> ${q.to} ${q.port}: ${err.message}\n\n`;
    }
  }
  if (fmt === "json") {
    const out = batch ? results : results[0];
    io.stdout(
      `${JSON.stringify(model.representative && !batch ? { ...(out as object), representativePods: true } : out, null, 2)}\n`,
    );
  } else io.stdout(text);
  return exit;
}

function readQueries(file: string, io: Io): Query[] {
  let text: string;
  try {
    text = file === "-" ? io.readStdin() : readFileSync(resolve(io.cwd, file), "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --queries ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYamlValue(text);
  } catch (err) {
    throw new UsageError(`--queries ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(value))
    throw new UsageError(`--queries ${file}: expected a list of {from, to, port, protocol}`);
  return value.map((q, i) => {
    if (
      !isRecord(q) ||
      typeof q["from"] !== "string" ||
      typeof q["to"] !== "string" ||
      (typeof q["port"] !== "string" && typeof q["port"] !== "number")
    )
      throw new UsageError(`--queries ${file}: entry ${i} needs from, to and port`);
    const protocol = q["protocol"];
    return {
      from: q["from"],
      to: q["to"],
      port: String(q["port"]),
      protocol: typeof protocol === "string" ? protocol : undefined,
    };
  });
}

// ---------- matrix ----------

function matrixCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("matrix", argv, io, { port: { type: "string", multiple: true } });
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const fmt = format(values.format, Object.keys(MATRIX_FORMATS));
  const ports = numericPorts(values.port);
  const model = load(positionals, io);
  const sim = new Simulator(model);
  const m = computeMatrix(sim, ports.length > 0 ? ports : portsInPlay(sim));
  const formatter = MATRIX_FORMATS[fmt];
  if (formatter !== undefined) io.stdout(formatter(m));
  return EXIT_OK;
}

// ---------- explain ----------

function explainCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("explain", argv, io, { pod: { type: "string", multiple: true } });
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const fmt = format(values.format, ["text", "json"]);
  const model = load(positionals, io);
  const sim = new Simulator(model);
  const pods =
    values.pod === undefined
      ? model.pods
      : values.pod.map((spec) => {
          const e = sim.resolve(spec);
          if (e.kind !== "pod") throw new UsageError(`--pod ${spec}: not a pod`);
          return e.pod;
        });
  const list = pods.map((p) => explainPod(sim, p));
  io.stdout(
    fmt === "json"
      ? `${JSON.stringify(list, null, 2)}\n`
      : representativeNote(model) + formatExplanations(list),
  );
  return EXIT_OK;
}

// ---------- who-can-reach ----------

function whoCanReachCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("who-can-reach", argv, io, {
    port: { type: "string" },
    protocol: { type: "string" },
  });
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const [target, ...paths] = positionals;
  if (target === undefined || values.port === undefined)
    throw new UsageError("usage: kubeward netpol who-can-reach NS/POD --port P/PROTO PATH...");
  const fmt = format(values.format, ["text", "json"]);
  const model = load(paths, io);
  const sim = new Simulator(model);
  const dst = sim.resolve(target);
  const { port, protocol } = splitPort(values.port);
  const t = sim.traffic(port, protocol ?? values.protocol, dst);
  const reachers = whoCanReach(sim, dst, () => t);
  if (fmt === "json") {
    io.stdout(
      `${JSON.stringify({ target: endpointName(dst), port: t.port, protocol: t.protocol, sources: reachers.map((r) => ({ pods: r.pods, verdict: r.verdict, egress: r.decision.egress, ingress: r.decision.ingress })) }, null, 2)}\n`,
    );
  } else {
    const lines = [
      `${representativeNote(model)}Pods that can reach ${endpointName(dst)} on ${t.port}/${t.protocol}:`,
    ];
    if (reachers.length === 0) lines.push("  none");
    for (const r of reachers)
      lines.push(
        `  ${r.verdict === "ambiguous" ? "? " : ""}${r.pods.join(", ")}`,
        `      ${r.decision.ingress.reason}`,
      );
    io.stdout(`${lines.join("\n")}\n`);
  }
  return EXIT_OK;
}

// ---------- diff ----------

function diffCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("diff", argv, io, { port: { type: "string", multiple: true } });
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const [oldPath, newPath, ...extra] = positionals;
  if (oldPath === undefined || newPath === undefined || extra.length > 0)
    throw new UsageError("usage: kubeward netpol diff OLD NEW [--port P/PROTO ...]");
  const fmt = format(values.format, ["text", "json"]);
  const before = new Simulator(load([oldPath], io, true));
  const after = new Simulator(load([newPath], io));
  const given = numericPorts(values.port);
  const ports = given.length > 0 ? given : portsInPlay(before, after);
  const changes = diffReachability(before, after, ports);
  if (fmt === "json") io.stdout(`${JSON.stringify({ ports, changes }, null, 2)}\n`);
  else {
    const lines = [`Compared ${ports.map((t) => `${t.port}/${t.protocol}`).join(", ")}:`];
    if (changes.length === 0) lines.push("  no connection changes");
    for (const c of changes)
      lines.push(
        `  ${c.after === "allow" ? "+" : c.after === "deny" ? "-" : "?"} ${c.port}/${c.protocol} ${c.before} -> ${c.after}: ${c.from.join(", ")}  ->  ${c.to.join(", ")}`,
      );
    io.stdout(`${lines.join("\n")}\n`);
  }
  return changes.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

// ---------- lint ----------

function lintCommand(argv: readonly string[], io: Io): number {
  const parsed = parseSub("lint", argv, io, {});
  if (parsed === undefined) return EXIT_OK;
  const { values, positionals } = parsed;
  const fmt = format(values.format, ["text", "json"]);
  const findings: Finding[] = lintNetpol(load(positionals, io));
  if (fmt === "json") io.stdout(`${JSON.stringify(findings, null, 2)}\n`);
  else
    io.stdout(
      findings.length === 0
        ? "no netpol problems found\n"
        : findings
            .map((f) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}\n`)
            .join(""),
    );
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
