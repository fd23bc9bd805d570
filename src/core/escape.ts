// Text from a scanned repository (file names, object and container names, label values) reaches
// terminals and CI logs. A control character in it could clear the screen, set the window title,
// rewrite a line with a carriage return or forge a log line; a bidi override could show other text
// than is there. Every human-facing format passes such text through here. Pure.

// C0 controls, DEL, C1 controls, and the bidirectional embedding/override/isolate/mark characters.
const CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]";
const UNSAFE = new RegExp(CLASS);
const UNSAFE_ALL = new RegExp(CLASS, "g");

/**
 * `s` with each unsafe character shown as an escape (`\x1b`, `\n`, `\u202e`); safe text is unchanged.
 * With `keepLineBreaks`, CR and LF stay (for a format that encodes them itself, like GitHub's `%0A`).
 */
export function escapeControl(s: string, keepLineBreaks = false): string {
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE_ALL, (c) => {
    if (keepLineBreaks && (c === "\n" || c === "\r")) return c;
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** True when `s` holds a character `escapeControl` would escape (for tests and invariants). */
export function hasControl(s: string): boolean {
  return UNSAFE.test(s);
}
