// A formatter is a pure function from a scan result to text. The streaming form hands the text
// over in pieces, so a report of any size is never held as one string (V8 caps strings near 512 MB).
import type { ScanResult } from "../api.js";

export interface FormatOptions {
  /** ANSI colours (stylish only). */
  color?: boolean;
  /** Version string for tool metadata (SARIF). */
  version?: string;
}

export type Formatter = (result: ScanResult, options: FormatOptions) => string;

export type StreamFormatter = (
  result: ScanResult,
  options: FormatOptions,
  write: (chunk: string) => void,
) => void;

/** The whole report as one string (tests, the library API); fine for reports of ordinary size. */
export function collect(stream: StreamFormatter): Formatter {
  return (result, options) => {
    const parts: string[] = [];
    stream(result, options, (chunk) => parts.push(chunk));
    return parts.join("");
  };
}

/** A string formatter used where a streaming one is expected (formats that cannot stream). */
export function streamOf(formatter: Formatter): StreamFormatter {
  return (result, options, write) => {
    write(formatter(result, options));
  };
}

/** Values to splice into a rendered JSON document, as an array, in place of the string `marker`. */
export interface JsonArrayPart {
  marker: string;
  values: Iterable<unknown>;
}

/** `items` mapped lazily (one at a time, nothing kept). */
export function* mapped<T>(items: Iterable<T>, fn: (item: T) => unknown): Iterable<unknown> {
  for (const item of items) yield fn(item);
}

/**
 * Write a document rendered by `JSON.stringify(doc, null, 2)` with each part's items spliced in
 * as the array that replaces its marker string (a property value). The output is byte for byte
 * what JSON.stringify gives for the whole document, but no string holds more than one item.
 */
/** Items stringified at once by `streamJsonDocument`. */
const BATCH = 1_000;

export function streamJsonDocument(
  rendered: string,
  parts: readonly JsonArrayPart[],
  write: (chunk: string) => void,
): void {
  let from = 0;
  for (const part of parts) {
    const quoted = JSON.stringify(part.marker);
    const at = rendered.indexOf(quoted, from);
    if (at === -1) throw new Error("marker not in the rendered document");
    const lineStart = rendered.lastIndexOf("\n", at) + 1;
    const indent = /^ */.exec(rendered.slice(lineStart, at))?.[0] ?? "";
    const inner = `${indent}  `;
    write(rendered.slice(from, at));
    // Items are stringified a batch at a time, by JSON.stringify itself at the depth they have in
    // the document (the batch wrapped in as many arrays), and the wrappers' lines cut off: the
    // same bytes as stringifying each item and indenting it, without a string per item.
    const depth = inner.length / 2;
    if (!Number.isInteger(depth)) throw new Error("the rendered document is not indented by two");
    const wrapper = depth * 2 + Array.from({ length: depth }, (_, j) => 2 * j).reduce((a, b) => a + b, 0);
    let items = 0;
    let batch: unknown[] = [];
    const flush = () => {
      let wrapped: unknown = batch;
      for (let j = 1; j < depth; j++) wrapped = [wrapped];
      const text = JSON.stringify(wrapped, null, 2);
      write((items === 0 ? "[\n" : ",\n") + text.slice(wrapper, text.length - wrapper));
      items += batch.length;
      batch = [];
    };
    for (const value of part.values) {
      batch.push(value);
      // About 1 MB at a time: few writes, bounded memory.
      if (batch.length === BATCH) flush();
    }
    if (batch.length > 0) flush();
    write(items === 0 ? "[]" : `\n${indent}]`);
    from = at + quoted.length;
  }
  write(rendered.slice(from));
}
