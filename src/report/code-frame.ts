// A code frame: the lines around a location with a caret under the column, as ESLint and Babel print.
// Pure: it works on the text the inputs kept (ScanResult.texts).

export interface CodeFrameOptions {
  /** Lines shown before and after the location. */
  context?: number;
  /** Underline up to this column (exclusive) when the location ends on the same line. */
  endLine?: number;
  endColumn?: number;
  /** Wraps the marker line and caret, e.g. in ANSI colour. */
  highlight?: (s: string) => string;
  dim?: (s: string) => string;
}

const MAX_LINE = 160;

/** Returns "" when `line` is not in `text`. Lines are 1-based, columns 1-based. */
export function codeFrame(
  text: string,
  line: number,
  column: number,
  options: CodeFrameOptions = {},
): string {
  const lines = text.split(/\r?\n|\r/);
  if (line < 1 || line > lines.length) return "";
  const context = options.context ?? 2;
  const highlight = options.highlight ?? ((s: string) => s);
  const dim = options.dim ?? ((s: string) => s);
  const first = Math.max(1, line - context);
  // A final newline does not start another line worth showing as context.
  const lastLine =
    lines.length > 1 && lines.at(-1) === "" && line < lines.length ? lines.length - 1 : lines.length;
  const last = Math.min(lastLine, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = clip(printable(lines[n - 1] ?? ""));
    const gutter = String(n).padStart(width);
    if (n === line) {
      out.push(`${highlight(">")} ${gutter} | ${src}`);
      const lineText = lines[n - 1] ?? "";
      const col = Math.min(Math.max(column, 1), lineText.length + 1);
      // Keep tabs in the padding so the caret lines up under tab-indented text.
      const pad = lineText.slice(0, col - 1).replace(/[^\t]/g, " ");
      const span =
        options.endLine === line && options.endColumn !== undefined && options.endColumn > col
          ? Math.min(options.endColumn, lineText.length + 1) - col
          : 1;
      out.push(`  ${" ".repeat(width)} | ${clip(pad)}${highlight("^".repeat(Math.max(span, 1)))}`);
    } else {
      out.push(dim(`  ${gutter} | ${src}`));
    }
  }
  return out.join("\n");
}

/** Control characters (other than tab) would garble the terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\uFFFD");
}

function clip(s: string): string {
  return s.length > MAX_LINE ? s.slice(0, MAX_LINE) + "…" : s;
}
