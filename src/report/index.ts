// Output formats by name.
import { formatBaseline } from "./baseline.js";
import { formatGithub, streamGithub } from "./github.js";
import { formatJson, streamJson } from "./json.js";
import { formatJunit, streamJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import { formatSarif, streamSarif } from "./sarif.js";
import { formatStylish, streamStylish } from "./stylish.js";
import { streamOf, type Formatter, type StreamFormatter } from "./types.js";

export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  markdown: formatMarkdown,
  baseline: formatBaseline,
};

export const FORMAT_NAMES = Object.keys(FORMATTERS);
export type { Formatter, FormatOptions, StreamFormatter } from "./types.js";

/** The streaming form of each format (the CLI writes reports of any size piece by piece). */
const STREAMERS: Readonly<Record<string, StreamFormatter>> = {
  stylish: streamStylish,
  json: streamJson,
  sarif: streamSarif,
  junit: streamJunit,
  github: streamGithub,
};

/** A format's streaming formatter; a format without one is written as one string. */
export function streamerFor(format: string): StreamFormatter | undefined {
  const streamer = STREAMERS[format];
  if (streamer !== undefined) return streamer;
  const formatter = FORMATTERS[format];
  return formatter === undefined ? undefined : streamOf(formatter);
}
