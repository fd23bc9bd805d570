// `kubeward completion bash|zsh|fish`: shell completion scripts, generated from each command's
// --help text, so a flag added to a help text is completed without further work.
import { UsageError } from "../core/errors.js";
import { SEVERITIES } from "../core/types.js";
import { FORMAT_NAMES } from "../report/index.js";
import { UNIT_KINDS } from "../units/units.js";
import { EXIT_OK, type Io } from "./io.js";

export const COMPLETION_HELP = `Usage: kubeward completion bash|zsh|fish

Prints a shell completion script for kubeward's commands, flags and their values.

Examples:
  source <(kubeward completion bash)                        # bash, this shell
  kubeward completion bash > ~/.local/share/bash-completion/completions/kubeward
  kubeward completion zsh > "\${fpath[1]}/_kubeward"          # zsh (then: compinit)
  kubeward completion fish > ~/.config/fish/completions/kubeward.fish
`;

export interface Flag {
  long: string;
  short?: string;
  /** The value's placeholder (FILE, FORMAT, ...), when the flag takes one. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  flags: Flag[];
  /** Words completed as the first positional (netpol's subcommands, completion's shells). */
  words?: readonly string[];
}

/** The flags listed in a help text: lines like `  -o, --output FILE   description` or `--a / --b`. */
export function flagsOf(help: string): Flag[] {
  const flags: Flag[] = [];
  for (const line of help.split("\n")) {
    const m =
      /^\s+(?:-([a-zA-Z]), )?(--[a-z][a-z0-9-]*(?: [A-Z][A-Z_=]*)?(?: \/ --[a-z][a-z0-9-]*)*)\s*(.*)$/.exec(
        line,
      );
    if (m === null) continue;
    const [, short, spec = "", description = ""] = m;
    for (const part of spec.split(" / ")) {
      const [long = "", value] = part.slice(2).split(" ");
      flags.push({
        long,
        ...(short !== undefined && !part.includes("/") && flags.at(-1)?.long !== long ? { short } : {}),
        ...(value !== undefined ? { value } : {}),
        description: description.trim(),
      });
    }
  }
  return flags;
}

/** Values offered after a flag, by its placeholder or name. */
function valuesFor(f: Flag): readonly string[] | "file" | undefined {
  if (f.value === undefined) return undefined;
  if (f.value === "FORMAT") return FORMAT_NAMES;
  if (f.value === "SEVERITY") return SEVERITIES;
  if (f.value === "UNIT") return [...UNIT_KINDS.filter((u) => u !== "all"), "all"];
  if (/FILE|PATH|DIR/.test(f.value) || f.long === "set-file") return "file";
  return [];
}

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

export function bashScript(commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const prevCases: string[] = [];
  const seen = new Set<string>();
  for (const c of commands)
    for (const f of c.flags) {
      const v = valuesFor(f);
      if (v === undefined || seen.has(f.long)) continue;
      seen.add(f.long);
      const pat = [`--${f.long}`, ...(f.short !== undefined ? [`-${f.short}`] : [])].join("|");
      prevCases.push(
        v === "file"
          ? `    ${pat}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`
          : v.length > 0
            ? `    ${pat}) COMPREPLY=($(compgen -W ${q(v.join(" "))} -- "$cur")); return ;;`
            : `    ${pat}) return ;;`,
      );
    }
  const cmdCases = commands.map((c) => {
    const flags = c.flags
      .flatMap((f) => [`--${f.long}`, ...(f.short !== undefined ? [`-${f.short}`] : [])])
      .join(" ");
    return `    ${c.name}) flags=${q(flags)}; words=${q((c.words ?? []).join(" "))} ;;`;
  });
  return `# kubeward completion for bash: source <(kubeward completion bash)
_kubeward() {
  local cur prev flags="" words=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${q(names)} -- "$cur"))
    return
  fi
  case "$prev" in
${prevCases.join("\n")}
  esac
  case "\${COMP_WORDS[1]}" in
${cmdCases.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [ -n "$words" ] && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _kubeward kubeward
`;
}

const zq = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "'\\''")
    .replace(/\[/g, "\\[")
    .replace(/\]/g, "\\]")
    .replace(/:/g, "\\:");

export function zshScript(commands: readonly CommandSpec[]): string {
  const list = commands.map((c) => `    '${zq(c.name)}:${zq(c.description)}'`).join("\n");
  const cases = commands.map((c) => {
    const specs = c.flags.map((f) => {
      const v = valuesFor(f);
      const action =
        v === undefined
          ? ""
          : v === "file"
            ? `:${f.value ?? "file"}:_files`
            : `:${f.value ?? "value"}:(${v.join(" ")})`;
      const names = f.short !== undefined ? `{-${f.short},--${f.long}}` : `--${f.long}`;
      return `        '*'${names}'[${zq(f.description)}]${action}'`;
    });
    const rest =
      c.words !== undefined && c.words.length > 0
        ? `        '1:command:(${c.words.join(" ")})' '*:file:_files'`
        : `        '*:file:_files'`;
    return `    ${c.name})\n      _arguments -s \\\n${[...specs, rest].join(" \\\n")}\n      ;;`;
  });
  return `#compdef kubeward
# kubeward completion for zsh: kubeward completion zsh > "\${fpath[1]}/_kubeward"
_kubeward() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases.join("\n")}
  esac
}
compdef _kubeward kubeward
`;
}

const fq = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

export function fishScript(commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const lines = [
    "# kubeward completion for fish: kubeward completion fish > ~/.config/fish/completions/kubeward.fish",
    "complete -c kubeward -f",
  ];
  for (const c of commands)
    lines.push(
      `complete -c kubeward -n ${fq(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${fq(c.description)}`,
    );
  for (const c of commands) {
    const when = `-n ${fq(`__fish_seen_subcommand_from ${c.name}`)}`;
    if (c.words !== undefined && c.words.length > 0)
      lines.push(`complete -c kubeward ${when} -a ${fq(c.words.join(" "))}`);
    else lines.push(`complete -c kubeward ${when} -F`);
    for (const f of c.flags) {
      const v = valuesFor(f);
      const short = f.short !== undefined ? ` -s ${f.short}` : "";
      const value =
        v === undefined ? "" : v === "file" ? " -r -F" : v.length > 0 ? ` -x -a ${fq(v.join(" "))}` : " -x";
      lines.push(`complete -c kubeward ${when} -l ${f.long}${short}${value} -d ${fq(f.description)}`);
    }
  }
  return lines.join("\n") + "\n";
}

export const SHELLS = ["bash", "zsh", "fish"] as const;

export function completionCommand(argv: readonly string[], io: Io, commands: readonly CommandSpec[]): number {
  const [shell, ...rest] = argv;
  if (shell === "--help" || shell === "-h") {
    io.stdout(COMPLETION_HELP);
    return EXIT_OK;
  }
  if (shell === undefined || rest.length > 0 || !(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`completion needs one shell: ${SHELLS.join(", ")}\n\n${COMPLETION_HELP}`);
  io.stdout(
    shell === "bash" ? bashScript(commands) : shell === "zsh" ? zshScript(commands) : fishScript(commands),
  );
  return EXIT_OK;
}
