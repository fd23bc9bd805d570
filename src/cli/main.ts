#!/usr/bin/env node
// The only code that touches process, argv and stdout. Commands are imported lazily.
import { UsageError, InputError } from "../core/errors.js";

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXIT_ERROR, EXIT_OK, type Io } from "./io.js";

const HELP = `kubeward: find and fix misconfigurations in Kubernetes configuration

Usage:
  kubeward scan [PATH...] [flags]     scan manifests (files, directories, - for stdin)
  kubeward merge REPORT.json...       merge JSON reports (e.g. of shards) into one, in any format
  kubeward baseline create [PATH...]  record today's findings; scan --baseline FILE reports only new ones
  kubeward fix [PATH...] [flags]      fix findings with minimal, verified edits (diff unless --write)
  kubeward rules [--format json|markdown]
  kubeward diagnose [KIND/NAME]       what is wrong in a cluster (live or snapshot), in plain English
  kubeward netpol COMMAND [PATH...]   simulate network policies: can, matrix, explain, who-can-reach, diff, lint
  kubeward completion bash|zsh|fish   shell completion script
  kubeward help [COMMAND]             this help, or a command's
  kubeward version

Examples:
  kubeward scan .                                  # everything under the current directory
  kubeward scan charts/web -f prod.yaml            # a Helm chart, rendered by helm
  kubeward scan . --format sarif -o kubeward.sarif
  kubeward netpol can --from shop/web --to shop/db --port 5432 k8s/

Run 'kubeward help COMMAND' (or 'kubeward COMMAND --help') for a command's flags and examples.
`;

const VERSION_HELP = `Usage: kubeward version

Prints kubeward's version (also: kubeward --version, kubeward -v).

Examples:
  kubeward version
`;

const HELP_HELP = `Usage: kubeward help [COMMAND [SUBCOMMAND]]

Prints the overview of all commands, or one command's help (the same as kubeward COMMAND --help).

Examples:
  kubeward help
  kubeward help scan
  kubeward help netpol can
`;

/** Every command with its one-line description and help text (for `help` and `completion`). */
async function commandSpecs(): Promise<import("./completion.js").CommandSpec[]> {
  const { flagsOf } = await import("./completion.js");
  const helps = await helpTexts();
  const describe: Record<string, [description: string, words?: readonly string[]]> = {
    scan: ["scan manifests, charts and kustomizations"],
    fix: ["fix findings with minimal, verified edits"],
    merge: ["merge JSON reports into one"],
    baseline: ["record today's findings", ["create"]],
    rules: ["list the rules"],
    diagnose: ["explain what is wrong in a live cluster or a snapshot"],
    netpol: ["simulate network policies", ["can", "matrix", "explain", "who-can-reach", "diff", "lint"]],
    completion: ["print a shell completion script", ["bash", "zsh", "fish"]],
    help: ["show help", Object.keys(helps)],
    version: ["print the version"],
  };
  const { NETPOL_SUB_HELP } = await import("./netpol.js");
  // netpol's flags are those of its commands, each listed once.
  const netpolHelp = [helps["netpol"] ?? "", ...Object.values(NETPOL_SUB_HELP)].join("\n");
  return Object.entries(describe).map(([name, [description, words]]) => ({
    name,
    description,
    flags: uniqueFlags(flagsOf(name === "netpol" ? netpolHelp : (helps[name] ?? ""))),
    ...(words !== undefined ? { words } : {}),
  }));
}

function uniqueFlags(flags: import("./completion.js").Flag[]): import("./completion.js").Flag[] {
  const seen = new Set<string>();
  return flags.filter((f) => !seen.has(f.long) && seen.add(f.long));
}

async function helpTexts(): Promise<Record<string, string>> {
  return {
    scan: (await import("./scan.js")).SCAN_HELP,
    fix: (await import("./fix.js")).FIX_HELP,
    merge: (await import("./merge.js")).MERGE_HELP,
    baseline: (await import("./baseline.js")).BASELINE_HELP,
    rules: (await import("./rules.js")).RULES_HELP,
    diagnose: (await import("./diagnose.js")).DIAGNOSE_HELP,
    netpol: (await import("./netpol.js")).NETPOL_HELP,
    completion: (await import("./completion.js")).COMPLETION_HELP,
    version: VERSION_HELP,
    help: HELP_HELP,
  };
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "scan":
        return await (await import("./scan.js")).scanCommand(rest, io);
      case "diagnose":
        return await (await import("./diagnose.js")).diagnoseCommand(rest, io);
      case "merge":
        return (await import("./merge.js")).mergeCommand(rest, io);
      case "baseline":
        return await (await import("./baseline.js")).baselineCommand(rest, io);
      case "completion":
        return (await import("./completion.js")).completionCommand(rest, io, await commandSpecs());
      case "fix":
        return (await import("./fix.js")).fixCommand(rest, io);
      case "netpol":
        return (await import("./netpol.js")).netpolCommand(rest, io);
      case "rules":
        return (await import("./rules.js")).rulesCommand(rest, io);
      case "version":
      case "--version":
      case "-v":
        if (rest[0] === "--help" || rest[0] === "-h") {
          io.stdout(VERSION_HELP);
          return EXIT_OK;
        }
        io.stdout(`${(await import("./version.js")).VERSION}\n`);
        return EXIT_OK;
      case "help": {
        const topic = rest[0] === "--help" || rest[0] === "-h" ? "help" : rest[0];
        if (topic === undefined) {
          io.stdout(HELP);
          return EXIT_OK;
        }
        const sub = rest[1];
        const text =
          topic === "netpol" && sub !== undefined
            ? (await import("./netpol.js")).NETPOL_SUB_HELP[sub]
            : rest.length > 1
              ? undefined
              : (await helpTexts())[topic];
        if (text === undefined) throw new UsageError(`no help for "${rest.join(" ")}"\n\n${HELP}`);
        io.stdout(text);
        return EXIT_OK;
      }
      case undefined:
      case "--help":
      case "-h":
        io.stdout(HELP);
        return EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      io.stderr(`kubeward: ${err.message}\n`);
      return EXIT_ERROR;
    }
    const e = err as Error;
    io.stderr(`kubeward: internal error: ${e.message}\nPlease report this with the command you ran.\n`);
    if (io.env["KUBEWARD_DEBUG"] !== undefined) io.stderr(`${e.stack ?? ""}\n`);
    return EXIT_ERROR;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // Also true through the npm bin symlink and when run from source (tsx src/cli/main.ts).
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const { readFileSync } = await import("node:fs");
  // A reader that stops early (`kubeward rules | head -1`) closes the pipe: that is not an error
  // worth a stack trace. Exit quietly with the code the command chose.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw err;
    });
  }
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => readFileSync(0, "utf8"),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY,
    errIsTTY: process.stderr.isTTY,
    env: process.env,
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
