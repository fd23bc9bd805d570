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

/** Pieces of text gathered and handed to `write` about CHUNK_CHARS at a time (`end` writes the rest). */
export function chunked(write: (chunk: string) => void): { add: (text: string) => void; end: () => void } {
  let parts: string[] = [];
  let size = 0;
  return {
    add(text) {
      parts.push(text);
      size += text.length;
      if (size >= CHUNK_CHARS) {
        write(parts.join(""));
        parts = [];
        size = 0;
      }
    },
    end() {
      if (parts.length > 0) write(parts.join(""));
      parts = [];
      size = 0;
    },
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
/**
 * The size (in characters) of the pieces reports are written in. Small enough that each piece is
 * an ordinary young-generation string: pieces of a megabyte go to V8's large-object space, and
 * hundreds of them made the garbage collector mark the whole scan again and again (SARIF of
 * 240,000 findings: 7 s of CPU in 1,000-item batches, 2.5 s in pieces of this size).
 */
export const CHUNK_CHARS = 32 * 1024;

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
    // Items per batch, adjusted to the size of the items seen so far: about CHUNK_CHARS at a time.
    let perBatch = 1;
    const flush = () => {
      let wrapped: unknown = batch;
      for (let j = 1; j < depth; j++) wrapped = [wrapped];
      const text = JSON.stringify(wrapped, null, 2);
      write((items === 0 ? "[\n" : ",\n") + text.slice(wrapper, text.length - wrapper));
      items += batch.length;
      perBatch = Math.max(1, Math.min(1_000, Math.floor((CHUNK_CHARS * batch.length) / text.length)));
      batch = [];
    };
    for (const value of part.values) {
      batch.push(value);
      if (batch.length >= perBatch) flush();
    }
    if (batch.length > 0) flush();
    write(items === 0 ? "[]" : `\n${indent}]`);
    from = at + quoted.length;
  }
  write(rendered.slice(from));
}
