// `-o FILE` writes through a temporary file and a rename; a path that is not a regular file must be
// written in place. Renaming over `-o /dev/null` (run as root, as in CI containers) replaced the
// device with a regular file, so every later write to /dev/null by any program filled memory.
import {
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { writeAtomic } from "../../src/cli/scan.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("writeAtomic", () => {
  it("writes a regular file through a rename", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-out-"));
    dirs.push(dir);
    const file = join(dir, "report.json");
    writeAtomic(file, (write) => {
      write("a");
      write("b");
    });
    expect(readFileSync(file, "utf8")).toBe("ab");
  });

  it.skipIf(process.platform === "win32")("writes into a FIFO in place instead of replacing it", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-out-"));
    dirs.push(dir);
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    // A non-blocking reader lets the writer open the FIFO without a second process.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      writeAtomic(fifo, "report\n");
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      const buf = Buffer.alloc(64);
      let n = 0;
      try {
        n = readSync(reader, buf, 0, buf.length, null);
      } catch {
        n = 0; // EAGAIN: nothing reached the FIFO
      }
      expect(buf.subarray(0, n).toString("utf8")).toBe("report\n");
    } finally {
      closeSync(reader);
    }
  });
});
