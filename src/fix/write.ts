// Writing fixed files: atomically (a temporary file in the same directory, then rename), with the
// original file mode, and only if the file still holds the text the fix was computed from.
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../core/errors.js";

/**
 * Replace `file`'s content `expected` by `text`. Throws InputError when the file changed on disk
 * since it was read (someone else edited it) or cannot be written; the file is then untouched.
 */
export function writeFixed(file: string, expected: string, text: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o7777;
    if (readFileSync(file, "utf8") !== expected) {
      throw new InputError(`${file} changed on disk since it was read; not written (run fix again)`);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const tmp = join(dirname(file), `.${basename(file)}.kubeward-${String(process.pid)}.tmp`);
  try {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
