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
  /** Lines whose value must not be shown (secrets): the line is shown with its value masked. */
  mask?: (line: number) => boolean;
  maskLine?: (text: string) => string;
  /** Applied to every line shown: replaces values that must never be printed (see mask.ts). */
  scrub?: (text: string) => string;
}

/**
 * Where each line of a text starts, computed once per text so that frames for many findings in one
 * file cost only the lines they show (splitting the text for every finding is quadratic).
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  get count(): number {
    return this.starts.length;
  }
  /** Line `n` (1-based) without its line break. */
  line(n: number): string {
    const start = this.starts[n - 1];
    if (start === undefined) return "";
    const next = this.starts[n];
    let end = next ?? this.text.length;
    if (next !== undefined) {
      end--;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return this.text.slice(start, end);
  }
}

const MAX_LINE = 160;

/** Returns "" when `line` is not in `text`. Lines are 1-based, columns 1-based. */
export function codeFrame(
  text: string | LineIndex,
  line: number,
  column: number,
  options: CodeFrameOptions = {},
): string {
  return codeFrameLines(text, line, column, options).join("\n");
}

/** The lines of `codeFrame` (none when `line` is not in `text`). */
export function codeFrameLines(
  text: string | LineIndex,
  line: number,
  column: number,
  options: CodeFrameOptions = {},
): string[] {
  const index = typeof text === "string" ? new LineIndex(text) : text;
  const count = index.count;
  if (line < 1 || line > count) return [];
  const show = (n: number) => {
    const raw = index.line(n);
    const shown = options.mask?.(n) === true && options.maskLine !== undefined ? options.maskLine(raw) : raw;
    return options.scrub === undefined ? shown : options.scrub(shown);
  };
  const context = options.context ?? 2;
  const highlight = options.highlight ?? ((s: string) => s);
  const dim = options.dim ?? ((s: string) => s);
  const first = Math.max(1, line - context);
  // A final newline does not start another line worth showing as context.
  const lastLine = count > 1 && index.line(count) === "" && line < count ? count - 1 : count;
  const last = Math.min(lastLine, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const shown = show(n);
    const src = clip(printable(shown));
    const gutter = String(n).padStart(width);
    if (n === line) {
      out.push(`${highlight(">")} ${gutter} | ${src}`);
      const lineText = shown;
      const col = Math.min(Math.max(column, 1), lineText.length + 1);
      // Keep tabs in the padding so the caret lines up under tab-indented text.
      const before = lineText.slice(0, col - 1);
      const pad = before.includes("\t") ? before.replace(/[^\t]/g, " ") : " ".repeat(before.length);
      const span =
        options.endLine === line && options.endColumn !== undefined && options.endColumn > col
          ? Math.min(options.endColumn, lineText.length + 1) - col
          : 1;
      out.push(`  ${" ".repeat(width)} | ${clip(pad)}${highlight("^".repeat(Math.max(span, 1)))}`);
    } else {
      out.push(dim(`  ${gutter} | ${src}`));
    }
  }
  return out;
}

/**
 * Control characters (other than tab) would drive the terminal; bidi controls would show other text
 * than is there. Each becomes U+FFFD, one for one, so the caret still lines up.
 */
function printable(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    "\uFFFD",
  );
}

function clip(s: string): string {
  return s.length > MAX_LINE ? s.slice(0, MAX_LINE) + "…" : s;
}
