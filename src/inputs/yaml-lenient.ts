// Indentation that go-yaml (kubectl, the API server's decoder) accepts and the YAML spec forbids:
// libyaml's scanner does not check the indentation of the continuation lines of a quoted scalar or
// of a flow collection (`[`/`{`), so
//
//   annotations:
//     a: "first line
//     second line"          (continuation at the key's own indentation, or less)
//   args: ["a",
//     "b"]                  (flow sequence continued at the parent's indentation)
//
// load in Kubernetes. Indentation inside both is not part of the value (a quoted scalar's line
// breaks fold and drop the next line's leading spaces; a flow collection ignores white space), so
// indenting those lines further gives the same value. The repaired text keeps every original
// character; `toOriginal` maps its offsets back, so every location stays that of the user's file.
// Pure.

export interface IndentRepair {
  /** Original offset of the start of the construct (the opening quote or bracket). */
  offset: number;
  kind: "quoted" | "flow";
}

export interface RepairedText {
  text: string;
  repairs: IndentRepair[];
  /** Maps an offset of the repaired text to the offset of the same character in the original. */
  toOriginal: (offset: number) => number;
}

/** Spaces inserted at an original offset (always a line start). */
interface Insertion {
  at: number;
  count: number;
}

/**
 * The text with under-indented continuation lines of quoted scalars and flow collections indented
 * one column past the line that opened them; undefined when nothing needed it. Block scalars
 * (`|`, `>`) and comments are skipped; a continuation line holding a document marker (`---`,
 * `...` at column 0) is left as it is, as go-yaml rejects it too.
 */
export function repairIndentation(
  text: string,
  inScope: (offset: number) => boolean = () => true,
): RepairedText | undefined {
  const insertions: Insertion[] = [];
  const repairs: IndentRepair[] = [];
  const lines = lineStarts(text);
  let blockIndent = -1; // > -1 while inside a block scalar whose parent line had this indentation
  let open: { kind: "quoted" | "flow"; offset: number; target: number; repaired: boolean } | undefined;
  let quote = ""; // the open quote character, while in a quoted scalar
  let depth = 0; // open flow brackets
  for (let li = 0; li < lines.length; li++) {
    const start = lines[li] ?? 0;
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    const blank = line.trim() === "";
    if (blockIndent > -1) {
      if (blank || indent > blockIndent) continue;
      blockIndent = -1;
    }
    let i = indent;
    if (open !== undefined) {
      // A continuation line of an open quoted scalar or flow collection.
      if (
        !blank &&
        indent < open.target &&
        inScope(open.offset) &&
        // A closing bracket may stand at its key's indentation (YAML allows that).
        !(
          open.kind === "flow" &&
          depth === 1 &&
          /^[\]}]/.test(line.slice(indent)) &&
          indent >= open.target - 1
        ) &&
        !/^(---|\.\.\.)(\s|$)/.test(line) &&
        line[indent] !== "\t"
      ) {
        insertions.push({ at: start, count: open.target - indent });
        if (!open.repaired) repairs.push({ offset: open.offset, kind: open.kind });
        open.repaired = true;
      }
    } else if (line.startsWith("---") || line.startsWith("...")) i = 3;
    const content = contentColumn(line);
    // Where a quote or bracket may open a value: at the line's content, after `: `, `- ` or `,`.
    let atValue = open === undefined || open.kind === "flow";
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote !== "") {
        if (quote === '"' && c === "\\") i++;
        else if (c === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else {
            quote = "";
            atValue = false;
            if (depth === 0) open = undefined;
          }
        }
        continue;
      }
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
      if (c === " " || c === "\t") continue;
      if ((c === '"' || c === "'") && atValue) {
        quote = c;
        if (open === undefined)
          open = { kind: "quoted", offset: start + i, target: content + 1, repaired: false };
        continue;
      }
      if ((c === "[" || c === "{") && (atValue || depth > 0)) {
        if (depth === 0 && open === undefined)
          open = { kind: "flow", offset: start + i, target: content + 1, repaired: false };
        depth++;
        atValue = true;
        continue;
      }
      if ((c === "]" || c === "}") && depth > 0) {
        depth--;
        if (depth === 0) open = undefined;
        atValue = false;
        continue;
      }
      if (
        depth === 0 &&
        (c === "|" || c === ">") &&
        atValue &&
        /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(i))
      ) {
        // Its lines are those indented more than the line that opened it.
        blockIndent = indent;
        break;
      }
      // A value may start after `key:`, `- `, `,` (in flow) or at the start of the line.
      if (c === ":" && (line[i + 1] === undefined || line[i + 1] === " " || line[i + 1] === "\t"))
        atValue = true;
      else if (c === "-" && (line[i + 1] === undefined || line[i + 1] === " ")) atValue = true;
      else if (c === "," && depth > 0) atValue = true;
      else {
        // Inside a plain scalar: skip to its end (a quote in it is a character, not a scalar).
        atValue = false;
        while (i + 1 < line.length && !isPlainEnd(line, i + 1, depth > 0)) i++;
      }
    }
  }
  if (insertions.length === 0) return undefined;
  const parts: string[] = [];
  let from = 0;
  for (const ins of insertions) {
    parts.push(text.slice(from, ins.at), " ".repeat(ins.count));
    from = ins.at;
  }
  parts.push(text.slice(from));
  return { text: parts.join(""), repairs, toOriginal: mapper(insertions) };
}

/** Whether a plain scalar ends before `line[i]`: at `: `, ` #`, or flow punctuation in flow context. */
function isPlainEnd(line: string, i: number, flow: boolean): boolean {
  const c = line[i];
  if (
    c === ":" &&
    (line[i + 1] === undefined || line[i + 1] === " " || (flow && ",]}".includes(line[i + 1] ?? "")))
  )
    return true;
  if (c === "#" && line[i - 1] === " ") return true;
  return flow && (c === "," || c === "]" || c === "}");
}

/** The column (0-based) of a line's content after its indentation and `- ` sequence indicators. */
function contentColumn(line: string): number {
  return /^ *(?:- +)*/.exec(line)?.[0].length ?? 0;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

function lineEnd(text: string, start: number): number {
  const nl = text.indexOf("\n", start);
  const end = nl === -1 ? text.length : nl;
  return end > start && text[end - 1] === "\r" ? end - 1 : end;
}

function mapper(insertions: readonly Insertion[]): (offset: number) => number {
  // Repaired offset where each insertion begins, and the spaces inserted before it.
  const starts: number[] = [];
  const before: number[] = [];
  let total = 0;
  for (const ins of insertions) {
    starts.push(ins.at + total);
    before.push(total);
    total += ins.count;
  }
  return (offset) => {
    // The last insertion starting at or before `offset` (binary search).
    let lo = 0;
    let hi = starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k === -1) return offset;
    const ins = insertions[k];
    const s = starts[k] ?? 0;
    if (ins === undefined) return offset;
    // Inside the inserted spaces: the line start they were inserted at.
    if (offset < s + ins.count) return ins.at;
    return offset - (before[k] ?? 0) - ins.count;
  };
}
