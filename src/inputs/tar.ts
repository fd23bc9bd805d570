// Reading the files of a packaged chart (`.tgz`) in memory, for mapping findings to its templates.
// Handles ustar, GNU long names and pax `path` records: what `helm package` writes.
import { gunzipSync } from "node:zlib";

export function readTgz(data: Buffer): Map<string, Buffer> {
  const buf = gunzipSync(data);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  const str = (start: number, len: number) => {
    const raw = buf.subarray(start, start + len);
    const nul = raw.indexOf(0);
    return raw.toString("utf8", 0, nul === -1 ? len : nul);
  };
  while (offset + 512 <= buf.length) {
    if (buf[offset] === 0) break;
    const size = parseInt(str(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(buf[offset + 156] ?? 48);
    const prefix = str(offset + 345, 155);
    let name = prefix !== "" ? `${prefix}/${str(offset, 100)}` : str(offset, 100);
    const body = buf.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = body.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      if (m?.[1] !== undefined) longName = m[1];
      continue;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    if (type === "0" || type === "\0") files.set(name.replace(/^\.\//, ""), body);
  }
  return files;
}
