#!/usr/bin/env node
// The only code that touches process, argv and stdout. Commands are imported lazily.
import { UsageError, InputError } from "../core/errors.js";

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXIT_ERROR, EXIT_OK, type Io } from "./io.js";

const HELP = `kubeward: find and fix misconfigurations in Kubernetes configuration

Usage:
  kubeward scan [PATH...] [flags]     scan manifests (files, directories, - for stdin)
  kubeward rules [--format json|markdown]
  kubeward diagnose [KIND/NAME]       what is wrong in a cluster (snapshot), in plain English
  kubeward netpol COMMAND [PATH...]   simulate network policies: can, matrix, explain, who-can-reach, diff, lint
  kubeward version

Run 'kubeward COMMAND --help' for a command's flags.
`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "scan":
        return (await import("./scan.js")).scanCommand(rest, io);
      case "diagnose":
        return (await import("./diagnose.js")).diagnoseCommand(rest, io);
      case "netpol":
        return (await import("./netpol.js")).netpolCommand(rest, io);
      case "rules":
        return (await import("./rules.js")).rulesCommand(rest, io);
      case "version":
      case "--version":
      case "-v":
        io.stdout(`${(await import("./version.js")).VERSION}\n`);
        return EXIT_OK;
      case undefined:
      case "help":
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
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => readFileSync(0, "utf8"),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY,
    env: process.env,
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
